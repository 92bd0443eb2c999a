from django.db import models
from django.db.models import Q

from boards.models import AttachmentBase, Department, Post


class ContractNotice(Post):
    class Method(models.TextChoices):
        SINGLE_QUOTE = "single", "1인 견적 수의계약"
        MULTI_QUOTE = "multi", "2인 이상 견적 수의계약"
        E_QUOTE = "e_quote", "전자 견적 수의계약"

    title = models.CharField("계약명", max_length=200)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name="계약부서"
    )
    method = models.CharField("계약방법", max_length=10, choices=Method.choices)
    amount = models.PositiveBigIntegerField("계약금액(원)")
    contract_date = models.DateField("계약일")
    term_start = models.DateField("계약기간 시작")
    term_end = models.DateField("계약기간 끝")
    contractor_name = models.CharField("계약상대자 업체명", max_length=100)
    contractor_representative = models.CharField("계약상대자 대표자", max_length=50)
    contractor_address = models.CharField("계약상대자 소재지", max_length=200)
    reason = models.TextField("수의계약 사유")
    legal_basis = models.CharField("수의계약 근거", max_length=200)

    class Meta(Post.Meta):
        verbose_name = "소액수의 계약"
        verbose_name_plural = "소액수의 계약"
        constraints = [
            *Post.Meta.constraints,
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")),
                name="contracts_term_in_order",
                violation_error_message="계약기간의 끝은 시작보다 빠를 수 없습니다.",
            ),
        ]



class ContractAttachment(AttachmentBase):
    post = models.ForeignKey(
        ContractNotice, on_delete=models.CASCADE, related_name="attachments", verbose_name="게시글"
    )

    class Meta(AttachmentBase.Meta):
        pass
