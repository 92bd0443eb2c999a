"""본문 이미지 올리기: where the body editor sends an image (static/js/prose-body.js), staff only.

Mounted under the admin (geumcheon_portal/urls.py) through ``admin_site.admin_view``:
signed in with the second factor, CSRF-checked, never cached, and behind the admin's
network guard. Answers JSON for the editor: ``{"url", "alt"}`` with 201, or
``{"error"}`` in Korean with 400/403 — never a server error for a bad file.
The image itself is kept and served by boards/body_images.py.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from boards import registry
from boards.body_images import ALT_MAX_LENGTH, BodyImage


class BodyImageForm(forms.ModelForm):
    class Meta:
        model = BodyImage
        fields = ["image", "alt"]
        error_messages = {
            "image": {
                "required": "올릴 이미지 파일을 골라 주세요.",
                "empty": "빈 파일입니다. 다른 이미지 파일을 골라 주세요.",
            },
            "alt": {
                "required": "대체텍스트를 적어 주세요. 이미지를 볼 수 없는 분께 화면낭독기가 이 글을 읽어 줍니다.",
                "max_length": f"대체텍스트는 {ALT_MAX_LENGTH}자까지 적을 수 있습니다. 긴 설명은 본문에 글로 적어 주세요.",
            },
        }


def may_upload(user):
    """Staff who may change the posts of some board: whoever may write a body may put an image in it."""
    return bool(user.is_active and user.is_staff) and any(
        user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
        for model in registry.post_models()
    )


def _error(message, status=400):
    return JsonResponse({"error": message}, status=status)


@require_POST
def upload(request):
    if not may_upload(request.user):
        return _error("본문 이미지를 올릴 권한이 없습니다.", status=403)
    form = BodyImageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _error(" ".join(message for messages in form.errors.values() for message in messages))
    body_image = form.save(commit=False)
    body_image.uploaded_by = request.user
    try:
        body_image.save()  # re-encoding happens here (files.fields.ImageField.pre_save)
    except ValidationError as error:
        return _error(" ".join(error.messages))
    return JsonResponse({"url": body_image.get_absolute_url(), "alt": body_image.alt}, status=201)
