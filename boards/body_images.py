"""본문 이미지: pictures placed in a post's body, kept and served by the portal itself.

Staff upload them through the editor (editorial/body_images.py answers the upload).
They are checked and re-encoded like every image here (files.fields.ImageField:
content checks, pixel limit, upright sRGB without metadata) and served by ``serve``
below, since media has no URL of its own. The address carries a random key, not the
row number, so the image of a post that is not public yet cannot be found by counting;
the body sanitiser (boards/richtext.py) keeps an ``<img>`` only with such an address.
"""

import uuid

from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from files.checks import UploadValidator
from files.fields import ImageField
from files.serving import serve_file

MAX_BYTES = 20 * 1024 * 1024  # a phone photo fits; it is re-encoded to at most IMAGE_MAX_SIDE pixels anyway
ALT_MAX_LENGTH = 300


class BodyImage(models.Model):
    key = models.UUIDField("주소 키", default=uuid.uuid4, unique=True, editable=False)
    image = ImageField(
        "이미지", validators=[UploadValidator("image", max_bytes=MAX_BYTES)],
        help_text="JPG, PNG, GIF, WEBP 파일을 20MB까지 올릴 수 있습니다. 위치 정보 같은 메타데이터는 지우고 저장합니다.",
    )
    alt = models.CharField(
        "대체텍스트", max_length=ALT_MAX_LENGTH,
        help_text="이미지에 담긴 내용을 글로 적습니다. 화면낭독기가 이 글을 읽어 줍니다.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name="올린 사람",
    )
    uploaded_at = models.DateTimeField("올린 일시", auto_now_add=True)

    class Meta:
        verbose_name = "본문 이미지"
        verbose_name_plural = "본문 이미지"
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["-uploaded_at", "-id"], name="bodyimage_newest")]

    def __str__(self):
        return self.alt

    def get_absolute_url(self):
        return reverse("boards:body-image", kwargs={"key": self.key})


@require_safe
def serve(request, key):
    body_image = get_object_or_404(BodyImage, key=key)
    return serve_file(body_image.image, filename=body_image.image.name, as_attachment=False)
