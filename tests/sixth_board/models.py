from django.db import models

from boards.models import AttachmentBase, Post


class Minutes(Post):
    meeting_date = models.DateField("회의일", null=True, blank=True)

    class Meta(Post.Meta):
        verbose_name = "회의록"
        verbose_name_plural = "회의록"


class MinutesAttachment(AttachmentBase):
    post = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="attachments", verbose_name="게시글")

    class Meta(AttachmentBase.Meta):
        pass
