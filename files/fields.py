"""The image field every uploaded picture uses: checked on the way in, re-encoded before it is stored.

Banners, quick-link icons, trail images and press photos all declare
``files.fields.ImageField``: the upload checks (files/checks.py) run as the
field's own validator and in its form field, and a new upload is replaced by its
re-encoding (upright, sRGB, no metadata, files/images.py) just before it is written.
"""

from django import forms
from django.db import models

from .checks import validate_image
from .images import normalize_image
from .names import attachment_upload_to

MAX_NAME_LENGTH = 255


class CheckedImageFormField(forms.ImageField):
    """Our image checks run before Django's own Pillow check, so a decompression bomb
    gets the Korean message naming the file and the reason rather than Django's
    generic "올바른 이미지를 업로드하세요" (Pillow refuses it before our validator runs)."""

    def to_python(self, data):
        if data:
            validate_image(data)
        return super().to_python(data)


class ImageField(models.ImageField):
    default_validators = [validate_image]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("upload_to", attachment_upload_to)
        kwargs.setdefault("max_length", MAX_NAME_LENGTH)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("upload_to") is attachment_upload_to:
            del kwargs["upload_to"]
        if kwargs.get("max_length") == MAX_NAME_LENGTH:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        field_file = getattr(model_instance, self.attname)
        if field_file and not field_file._committed:
            setattr(model_instance, self.attname, normalize_image(field_file))
        return super().pre_save(model_instance, add)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})
