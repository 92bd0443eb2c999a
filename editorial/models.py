"""수정 검토: a change to a public post on a board with review waits here until it is approved."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from boards.models import UploadedFile


class PendingChange(models.Model):
    """The post as its editor wants it; the public page keeps the approved one (editorial/pending.py)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="게시판 모델")
    object_id = models.PositiveBigIntegerField("게시글 번호")
    post = GenericForeignKey("content_type", "object_id")
    fields = models.JSONField("바뀐 내용", default=dict)
    removed_attachments = models.JSONField("뺄 붙임 번호", default=list, blank=True)
    attachment_order = models.JSONField("붙임 순서", default=dict, blank=True)
    override_reason = models.TextField("개인정보 검출 시 공개 사유", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="고친 사람",
    )
    created_at = models.DateTimeField("처음 고친 일시", auto_now_add=True)
    updated_at = models.DateTimeField("마지막으로 고친 일시", auto_now=True)

    class Meta:
        verbose_name = "검토 중인 수정"
        verbose_name_plural = "검토 중인 수정"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="editorial_one_pending_change_per_post"),
        ]

    def __str__(self):
        return f"{self.content_type.name} {self.object_id}번 수정"


class PendingAttachment(UploadedFile):
    """A 붙임 added by a pending change: stored now, attached to the post when the change is approved."""

    change = models.ForeignKey(
        PendingChange, on_delete=models.CASCADE, related_name="added_files", verbose_name="검토 중인 수정",
    )
    # Set when a restored revision brings back a removed 붙임: its number, and its file is not this row's to delete.
    restored_from = models.PositiveBigIntegerField("되살리는 붙임 번호", null=True, blank=True)

    class Meta:
        verbose_name = "검토 중인 붙임"
        verbose_name_plural = "검토 중인 붙임"
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["change", "order", "id"], name="pendingattachment_change")]
