"""The staff side every board shares: departments, the post admin base and the 붙임 inline."""

import posixpath

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from .filechecks import check_total_size, validate_image
from .models import Department, PrivacyOverride
from .screening import findings_error, may_override, record_override, screen_post
from .serving import serve_file
from .uploads import display_name


class CheckedImageFormField(forms.ImageField):
    """Our image checks run before Django's own Pillow check, so a decompression bomb
    gets the Korean message naming the file and the reason rather than Django's
    generic "올바른 이미지를 업로드하세요" (Pillow refuses it before our validator runs)."""

    def to_python(self, data):
        if data:
            validate_image(data)
        return super().to_python(data)


# Uploaded files are never reachable by URL to MEDIA, so the admin's usual
# "현재: <a href=MEDIA_URL…>" link would be dead; staff get links to
# StoredFileAdminMixin's view instead.
PLAIN_FILE_INPUT = {
    models.FileField: {"widget": forms.FileInput},
    models.ImageField: {"widget": forms.FileInput, "form_class": CheckedImageFormField},
}


def stored_file_url(site, parent, field, *, relation="self", item=None):
    """Admin URL serving ``field`` of ``parent`` (or of ``item``, one of its inline rows)."""
    opts = parent._meta
    target = item if item is not None else parent
    return reverse(
        f"{site.name}:{opts.app_label}_{opts.model_name}_file",
        args=[quote(parent.pk), relation, target.pk, field],
    )


def image_preview(url, alt):
    return format_html(
        '<a href="{}"><img src="{}" alt="{}" style="max-height:6rem;max-width:12rem"></a>', url, url, alt
    )


class StoredFileAdminMixin:
    """Serves an object's stored files (and its inline rows' files) to staff who may view it."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_file"
        view = self.admin_site.admin_view(self.stored_file_view)
        return [
            path("<path:object_id>/files/<str:relation>/<int:pk>/<str:field>/", view, name=name),
            *super().get_urls(),
        ]

    def stored_file_view(self, request, object_id, relation, pk, field):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("파일을 찾을 수 없습니다.")
        if relation == "self":
            if pk != obj.pk:
                raise Http404("파일을 찾을 수 없습니다.")
            target = obj
        elif relation in self._inline_relations():
            target = get_object_or_404(getattr(obj, relation), pk=pk)
        else:
            raise Http404("파일을 찾을 수 없습니다.")
        try:
            model_field = target._meta.get_field(field)
        except FieldDoesNotExist:
            raise Http404("파일을 찾을 수 없습니다.")
        if not isinstance(model_field, models.FileField) or not getattr(target, field):
            raise Http404("파일을 찾을 수 없습니다.")
        field_file = getattr(target, field)
        filename = getattr(target, "original_name", "") or posixpath.basename(field_file.name)
        is_image = isinstance(model_field, models.ImageField)
        # admin_view() adds never-cache headers, so drafts stay out of shared caches.
        return serve_file(field_file, filename=filename, as_attachment=not is_image)

    def _inline_relations(self):
        inline_models = {inline.model for inline in self.inlines}
        return {
            rel.get_accessor_name() for rel in self.opts.related_objects if rel.related_model in inline_models
        }


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


PUBLICATION_STATES = {"public": "공개", "scheduled": "예약", "private": "비공개"}


def publication_state(post, now=None):
    if not post.is_published:
        return "private"
    return "scheduled" if post.published_at > (now or timezone.now()) else "public"


class PublicationStateFilter(admin.SimpleListFilter):
    title = "공개 상태"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(PUBLICATION_STATES.items())

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "public":
                return queryset.published(now)
            case "scheduled":
                return queryset.filter(is_published=True, published_at__gt=now)
            case "private":
                return queryset.filter(is_published=False)
        return queryset


class ScreenedAttachmentFormSet(BaseInlineFormSet):
    """Checks the per-post size total and screens the post and its 붙임 for 개인정보.

    Runs after the post's own form has been cleaned, so ``self.instance`` holds
    the title and body about to be saved (see ModelAdmin._changeform_view).
    """

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.instance for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.instance.file
        ]
        check_total_size([attachment.size or attachment.file.size for attachment in kept])
        post = self.instance
        screening = screen_post(post, [self._extracted(attachment) for attachment in kept])
        post._screening_notices = screening.notices
        if not screening.findings or not post.is_published:
            return
        reason = getattr(post, "_privacy_override_reason", "")
        allowed = self.request is not None and may_override(self.request.user, post)
        if allowed and reason:
            post._privacy_override = (reason, screening.findings)
            return
        raise findings_error(screening.findings, can_override=allowed)

    @staticmethod
    def _extracted(attachment):
        if attachment.file._committed:
            return attachment.original_name, attachment.extracted()
        # A new upload: extract once here; AttachmentBase.save() reuses the result.
        attachment._extracted = attachment.extract()
        return display_name(attachment.file.name), attachment._extracted


class AttachmentInlineBase(admin.TabularInline):
    """붙임 rows under a post; concrete inlines set ``model``."""

    formset = ScreenedAttachmentFormSet

    fields = ["file", "file_link", "size_display", "download_count", "order"]
    readonly_fields = ["file_link", "size_display", "download_count"]
    formfield_overrides = PLAIN_FILE_INPUT
    extra = 1

    @admin.display(description="파일명")
    def file_link(self, obj):
        if not obj.pk:
            return "-"
        url = stored_file_url(self.admin_site, obj.post, "file", relation="attachments", item=obj)
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    @admin.display(description="크기")
    def size_display(self, obj):
        return filesizeformat(obj.size) if obj.pk else "-"


CONTENT_FIELDSET = (None, {"fields": ["title", "body"]})
DEPARTMENT_FIELDSET = ("담당", {"fields": ["department", "contact"]})
PUBLISHING_FIELDSET = (
    "게시",
    {
        "fields": ["published_at", "is_published"],
        "description": "게시일시를 미래로 정하면 그때부터 공개됩니다. 공개 여부를 끄면 누리집에 보이지 않습니다.",
    },
)
RECORD_FIELDSET = (
    "기록", {"fields": ["author", "view_count", "created_at", "updated_at"], "classes": ["collapse"]}
)


class PostAdmin(StoredFileAdminMixin, admin.ModelAdmin):
    """Base for every board's admin; subclasses set the inline and extend the lists."""

    list_display = [
        "title", "department", "published_at", "is_published", "state_label", "view_count",
        "attachment_mark",
    ]
    list_filter = [PublicationStateFilter, "department", "is_published", "published_at"]
    search_fields = ["title", "body_text"]
    date_hierarchy = "published_at"
    list_select_related = ["department"]
    list_per_page = 30
    autocomplete_fields = ["department"]
    readonly_fields = ["view_count", "author", "created_at", "updated_at"]
    fieldsets = [CONTENT_FIELDSET, DEPARTMENT_FIELDSET, PUBLISHING_FIELDSET, RECORD_FIELDSET]

    def get_queryset(self, request):
        # A correlated count rather than JOIN + GROUP BY: one query for the
        # whole page, and date_hierarchy's dates() stays a plain query.
        attachments = self.model.attachments.rel.related_model.objects.filter(post=OuterRef("pk"))
        count = attachments.order_by().values("post").annotate(n=Count("pk")).values("n")
        return super().get_queryset(request).annotate(
            attachment_count=Coalesce(Subquery(count), Value(0))
        )

    @admin.display(description="공개 상태")
    def state_label(self, obj):
        return PUBLICATION_STATES[publication_state(obj)]

    @admin.display(description="붙임", ordering="attachment_count")
    def attachment_mark(self, obj):
        return f"{obj.attachment_count}건" if obj.attachment_count else ""

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("form", PostAdminForm)
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        return [*super().get_fieldsets(request, obj), PRIVACY_FIELDSET]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, AttachmentInlineBase):
            kwargs["request"] = request
        return kwargs

    def save_form(self, request, form, change):
        post = super().save_form(request, form, change)
        post._privacy_override_reason = form.cleaned_data.get("privacy_override_reason", "").strip()
        return post

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        post = form.instance
        if override := getattr(post, "_privacy_override", None):
            reason, findings = override
            record_override(post=post, user=request.user, reason=reason, findings=findings)
            messages.warning(request, f"개인정보 검출 {len(findings)}건을 확인하고 공개했습니다. 공개 기록에 남겼습니다.")
        for notice in getattr(post, "_screening_notices", []):
            messages.warning(request, f"{notice} 내용을 직접 확인해 주세요.")


class PostAdminForm(forms.ModelForm):
    privacy_override_reason = forms.CharField(
        label="개인정보 검출 시 공개 사유",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="개인정보가 검출되었는데도 공개해야 할 때만, 그 권한이 있는 분이 사유를 적습니다. 사유와 검출 내용은 기록됩니다.",
    )


PRIVACY_FIELDSET = ("개인정보 검출", {"fields": ["privacy_override_reason"], "classes": ["collapse"]})


@admin.register(PrivacyOverride)
class PrivacyOverrideAdmin(admin.ModelAdmin):
    list_display = ["created_at", "object_repr", "content_type", "user", "reason"]
    list_filter = ["content_type", "created_at"]
    search_fields = ["object_repr", "reason", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type", "user"]
    readonly_fields = [field.name for field in PrivacyOverride._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
