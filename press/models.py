from django.db import models

from boards.models import AttachmentBase, Post
from files.fields import ImageField


class PressRelease(Post):
    subtitle = models.TextField(
        "부제", blank=True, help_text="한 줄에 하나씩 적습니다. 목록과 본문 위에 보입니다."
    )

    class Meta(Post.Meta):
        verbose_name = "보도자료"
        verbose_name_plural = "보도자료"


    @property
    def subtitle_lines(self):
        return [line.strip(" -") for line in self.subtitle.splitlines() if line.strip(" -")]


class PressAttachment(AttachmentBase):
    post = models.ForeignKey(
        PressRelease, on_delete=models.CASCADE, related_name="attachments", verbose_name="게시글"
    )

    class Meta(AttachmentBase.Meta):
        pass


class PressPhoto(models.Model):
    post = models.ForeignKey(
        PressRelease, on_delete=models.CASCADE, related_name="photos", verbose_name="보도자료"
    )
    image = ImageField("사진")
    alt = models.CharField(
        "대체 텍스트", max_length=200, help_text="사진을 볼 수 없는 분께 읽어 줄 설명입니다."
    )
    caption = models.CharField("사진 설명", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("순서", default=0)

    class Meta:
        verbose_name = "보도 사진"
        verbose_name_plural = "보도 사진"
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["post", "order", "id"], name="pressphoto_post")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(alt=""), name="pressphoto_alt_required",
                violation_error_message="대체 텍스트를 입력해 주세요.",
            ),
        ]

    def __str__(self):
        return self.alt
