"""The staff side every board shares: the 부서 list, the post admin base and the 붙임 inline.

This room (``editorial``) is the staff side of ``boards``: what staff do to posts —
write them under the permission policy, review, take down, look back and restore
(actions.py, review.py, takedown.py, history.py). ``boards`` itself stays the
board mechanism residents meet; board apps' admins build on PostAdmin here.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.module_loading import import_string

from boards import registry
from boards.models import PUBLICATION_STATES, Department, ExtractState, ReviewState
from boards.body_images import BodyImage
from files.admin import StoredFileAdminMixin, StoredFileInline, image_preview
from files.checks import check_total_size
from privacy.publishing import decide, publish
from privacy.screening import (
    checking_message, held_back_message, may_override, screen, unchecked_names, waiting_message,
)

from . import history, pending, review
from .actions import PostActionsMixin


def as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def permission_policy():
    """The one answer to "may this person do this to this" (setting PERMISSION_POLICY: staff/policy.py)."""
    return import_string(settings.PERMISSION_POLICY)


class DepartmentScopedAdmin:
    """Staff see, change, delete and download only what belongs to their 부서; another 부서's page is 403.

    The permission policy decides; every object page, list, search, action and file
    view goes through get_queryset/get_object and the has_*_permission checks here.
    """

    department_path = "department"

    def get_queryset(self, request):
        return permission_policy().scope(request.user, super().get_queryset(request), self.department_path)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and self._exists(object_id):
            raise PermissionDenied
        return obj

    def _exists(self, object_id):
        try:
            return self.model._default_manager.filter(pk=object_id).exists()
        except (ValueError, TypeError, ValidationError):
            return False

    def _covers(self, request, obj):
        return obj is None or permission_policy().covers(request.user, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._covers(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._covers(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._covers(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department":
            kwargs["queryset"] = permission_policy().scope(request.user, Department.objects.all(), "pk")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(BodyImage)
class BodyImageAdmin(admin.ModelAdmin):
    """본문 이미지: uploaded through the editor, found and removed here (an image with 개인정보, say).

    Deleting one removes its file on commit; a body still pointing at it shows nothing there.
    """

    list_display = ["thumbnail", "alt", "uploaded_by", "uploaded_at"]
    search_fields = ["alt"]
    list_select_related = ["uploaded_by"]
    date_hierarchy = "uploaded_at"
    fields = ["thumbnail", "alt", "address", "uploaded_by", "uploaded_at"]
    readonly_fields = ["thumbnail", "address", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False  # through the body editor, which asks for the alt text

    @admin.display(description="이미지")
    def thumbnail(self, obj):
        return image_preview(obj.get_absolute_url(), obj.alt) if obj.pk else "-"

    @admin.display(description="주소")
    def address(self, obj):
        return obj.get_absolute_url() if obj.pk else "-"


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "order"]
    list_editable = ["order"]
    search_fields = ["name"]

    def get_search_results(self, request, queryset, search_term):
        # The 담당부서 box of a post offers only the 부서 its writer works for.
        if request.path.endswith("/autocomplete/"):
            queryset = permission_policy().scope(request.user, queryset, "pk")
        return super().get_search_results(request, queryset, search_term)


WAITING_LABEL = "붙임 확인 중"


class PublicationStateFilter(admin.SimpleListFilter):
    title = "공개 상태"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*PUBLICATION_STATES.items(), ("waiting", WAITING_LABEL)]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "public":
                return queryset.published(now)
            case "scheduled":
                return queryset.scheduled(now)
            case "ended":
                return queryset.ended(now)
            case "private":
                return queryset.filter(is_published=False)
            case "waiting":
                return queryset.filter(awaiting_files=True)
        return queryset


class ScreenedAttachmentFormSet(BaseInlineFormSet):
    """Checks the per-post size total and screens the post and its 붙임 for 개인정보.

    Runs after the post's own form has been cleaned, so ``self.instance`` holds
    the title and body about to be saved (see ModelAdmin._changeform_view). The
    outcome (``self.decision``) is what PostAdmin.save_related hands to publish().
    """

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        self.decision = None
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
        screening = screen(post.screened_texts(), [attachment.screened_file() for attachment in kept])
        user = self.request.user if self.request else None
        self.decision = decide(post, screening, user=user, override_reason=self.override_reason())

    def override_reason(self):
        """The 공개 사유 typed in the post's form (that form is cleaned, but not reachable from here)."""
        if self.request is None:
            return ""
        field = PostAdminForm.declared_fields["privacy_override_reason"]
        try:
            return field.clean(self.request.POST.get("privacy_override_reason", ""))
        except forms.ValidationError:
            return ""


class AttachmentInline(StoredFileInline):
    """붙임 rows under a post; PostAdmin makes one for its model's 붙임 (``attachment_inline``)."""

    formset = ScreenedAttachmentFormSet
    fields = ["file", "file_link", "size_display", "check_display", "download_count", "order"]
    readonly_fields = ["file_link", "size_display", "check_display", "download_count"]

    @admin.display(description="파일명")
    def file_link(self, obj):
        url = self.stored_url(obj, "file")
        return format_html('<a href="{}">{}</a>', url, obj.original_name) if url else "-"

    @admin.display(description="크기")
    def size_display(self, obj):
        return filesizeformat(obj.size) if obj.pk else "-"

    @admin.display(description="내용 확인")
    def check_display(self, obj):
        return obj.get_extract_state_display() if obj.pk else "-"


def attachment_inline(post_model):
    attachment_model = post_model.attachments.rel.related_model
    return type(f"{attachment_model.__name__}Inline", (AttachmentInline,), {"model": attachment_model})


CONTENT_FIELDSET = (None, {"fields": ["title", "body"]})
DEPARTMENT_FIELDSET = ("담당", {"fields": ["department", "contact"]})
PUBLISHING_FIELDSET = (
    "게시",
    {
        "fields": ["published_at", "unpublish_at", "is_published", "files_check_display"],
        "description": (
            "게시일시를 미래로 정하면 그때부터 공개됩니다. 게시 종료일시가 되면 저절로 내려갑니다. "
            "공개 여부를 끄면 누리집에 보이지 않습니다."
        ),
    },
)
RECORD_FIELDSET = (
    "기록",
    {"fields": ["author", "view_count", "created_at", "updated_at", "takedown_display"], "classes": ["collapse"]},
)



REVIEW_FIELDSET = ("검토", {"fields": ["review_display", "preview_link", "revisions_link"]})


class PostAdmin(PostActionsMixin, DepartmentScopedAdmin, StoredFileAdminMixin, admin.ModelAdmin):
    """Base for every board's admin; subclasses extend the lists and name their own fieldsets.

    ``content_fieldsets`` are the board's own; 담당, 게시, 기록 and 개인정보 follow on
    every board. The 붙임 inline comes last after any ``inlines`` a board adds.
    """

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
    readonly_fields = [
        "view_count", "author", "created_at", "updated_at", "takedown_display", "review_display", "preview_link",
        "revisions_link", "files_check_display",
    ]
    content_fieldsets = [CONTENT_FIELDSET]

    def __init__(self, model, admin_site):
        self.inlines = [*self.inlines, attachment_inline(model)]
        self.fieldsets = [
            *self.content_fieldsets, DEPARTMENT_FIELDSET, PUBLISHING_FIELDSET, REVIEW_FIELDSET, RECORD_FIELDSET,
            PRIVACY_FIELDSET,
        ]
        super().__init__(model, admin_site)

    def permission_policy(self):
        return permission_policy()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        request.shows_pending_change = True  # the form starts from the change under review, if any
        return super().change_view(request, object_id, form_url, extra_context)

    def get_object(self, request, object_id, from_field=None):
        post = super().get_object(request, object_id, from_field)
        post_change = None
        if post is not None and getattr(request, "shows_pending_change", False):
            post_change = pending.pending_for(post)
            if post_change is not None:
                pending.overlay(post, post_change)
        if post is not None:
            post.pending_change = post_change
            if post.awaiting_files:  # private only until its files are read: the form shows what staff asked for
                post.is_published = True
        return post

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/preview/", view(self.preview_view), name=f"{prefix}_preview"),
            path("<path:object_id>/revisions/", view(self.revisions_view), name=f"{prefix}_revisions"),
            path("<path:object_id>/revisions/<int:history_id>/restore/", view(self.restore_view),
                 name=f"{prefix}_restore"),
            *super().get_urls(),
        ]

    def revisions_view(self, request, object_id):
        """수정 이력: every revision, any two compared, an old one restored (editorial/history.py)."""
        post = self.get_object(request, object_id)
        if post is None or not self.has_view_or_change_permission(request, post):
            raise Http404("게시글을 찾을 수 없습니다.")
        records = list(post.history.select_related("history_user").order_by("-history_date", "-history_id"))
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "post": post, "records": records,
            "can_restore": self.has_change_permission(request, post),
        }
        chosen = {record.history_id: record for record in records}
        older, newer = chosen.get(as_int(request.GET.get("a"))), chosen.get(as_int(request.GET.get("b")))
        if older and newer:
            if older.history_date > newer.history_date:
                older, newer = newer, older
            fields, body_lines, files = history.diff(post, older, newer)
            context.update(compared=True, older=older, newer=newer, fields=fields, body_lines=body_lines,
                           files=files)
        return render(request, "admin/boards/revisions.html", context)

    def restore_view(self, request, object_id, history_id):
        post = self.get_object(request, object_id)
        if post is None or request.method != "POST":
            raise Http404("게시글을 찾을 수 없습니다.")
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        record = post.history.filter(history_id=history_id).first()
        if record is None:
            raise Http404("그런 판이 없습니다.")
        if not permission_policy().covers(request.user, record):  # it would move the post out of their 부서
            raise PermissionDenied
        when = f"{record.history_date:%Y-%m-%d %H:%M}"
        try:
            waits, lost = history.restore(post, record, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if lost:
                messages.warning(request, "보관 기간이 지나 되살리지 못한 붙임: " + ", ".join(lost))
            self.log_change(request, post, f"{when} 판으로 되돌림" + (" (검토 요청)" if waits else ""))
            if waits:
                messages.warning(request, f"{when} 판으로 되돌리는 수정을 검토 요청했습니다. 승인되면 누리집에 반영됩니다.")
            else:
                messages.success(request, f"{when} 판으로 되돌렸습니다. 이 일도 새 판으로 남습니다.")
        return redirect(reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_revisions",
                                args=[post.pk]))

    @admin.display(description="수정 이력")
    def revisions_link(self, obj):
        if not obj.pk:
            return "-"
        url = reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_revisions", args=[obj.pk])
        return format_html('<a href="{}">수정 이력 보기·비교·되돌리기 ({}판)</a>', url, obj.history.count())

    def preview_view(self, request, object_id):
        """미리보기: the post as residents will see it, marked, for staff only (admin_view: never cached).

        A post with a change under review shows the change; its 붙임 changes are named in the mark.
        """
        request.shows_pending_change = True
        post = self.get_object(request, object_id)
        if post is None or not self.has_view_or_change_permission(request, post):
            raise Http404("게시글을 찾을 수 없습니다.")
        added, removed = pending.attachment_changes(post.pending_change) if post.pending_change else ((), ())
        return render(request, "boards/detail.html", {
            "board": post.board, "post": post, "preview": True, "view_count": post.view_count,
            "pending_change": post.pending_change, "pending_added": added, "pending_removed": removed,
        })

    @admin.display(description="미리보기")
    def preview_link(self, obj):
        if not obj.pk:
            return "저장한 뒤 볼 수 있습니다."
        url = reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_preview", args=[obj.pk])
        return format_html('<a href="{}">누리집에서 보일 모습 미리보기</a>', url)

    @admin.display(description="검토 상태")
    def review_display(self, obj):
        if not obj.pk or not obj.board.review:
            return "이 게시판은 검토 없이 게시합니다."
        lines = [ReviewState(obj.review_state).label if obj.review_state else "검토 전(임시저장)"]
        if obj.submitted_by:
            lines.append(f"검토 요청: {obj.submitted_by.get_username()}")
        if obj.reviewed_by:
            lines.append(f"검토: {obj.reviewed_by.get_username()} ({timezone.localtime(obj.reviewed_at):%Y-%m-%d %H:%M})")
        if obj.review_state == ReviewState.REJECTED:
            lines.append(f"반려 사유: {obj.review_note}")
        change = getattr(obj, "pending_change", None)
        if change is not None:
            who = change.created_by.get_username() if change.created_by else "-"
            lines.append(
                f"검토 중인 수정이 있습니다 ({who}, {timezone.localtime(change.updated_at):%Y-%m-%d %H:%M}). "
                "아래 양식은 그 수정 내용이고, 누리집에는 승인될 때까지 전에 승인된 내용이 보입니다."
            )
            added, removed = pending.attachment_changes(change)
            if added:
                lines.append("승인되면 더할 붙임: " + ", ".join(added))
            if removed:
                lines.append("승인되면 뺄 붙임: " + ", ".join(removed))
        elif obj.is_published and obj.board.review:
            lines.append("공개 중인 글입니다. 고쳐서 저장하면 승인자가 승인할 때까지 누리집에는 지금 내용이 보입니다.")
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines))

    def get_list_filter(self, request):
        # Approvers find what waits for them: 검토 상태 on boards with review.
        filters = super().get_list_filter(request)
        if any(board.review for board in registry.all_boards() if board.model is self.model):
            return [*filters, "review_state"]
        return filters

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
        if obj.awaiting_files:
            return WAITING_LABEL
        label = PUBLICATION_STATES[obj.publication_state()]
        return f"{label} (붙임 확인 결과 참고)" if obj.files_check_note else label

    @admin.display(description="붙임 확인")
    def files_check_display(self, obj):
        lines = []
        if obj.pk:
            checking = [a.original_name for a in obj.attachments.all() if a.extract_state == ExtractState.CHECKING]
            if checking:
                lines.append(waiting_message(checking) if obj.awaiting_files else checking_message(checking))
            lines += obj.files_check_note.splitlines()
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines)) if lines else "-"

    @admin.display(description="게시 중단")
    def takedown_display(self, obj):
        if not obj.takedown_reason:
            return "-"
        return f"{obj.get_takedown_reason_display()} ({timezone.localtime(obj.taken_down_at):%Y-%m-%d %H:%M})"

    @admin.display(description="붙임", ordering="attachment_count")
    def attachment_mark(self, obj):
        return f"{obj.attachment_count}건" if obj.attachment_count else ""

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("form", PostAdminForm)
        return super().get_form(request, obj, change, **kwargs)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, AttachmentInline):
            kwargs["request"] = request
        return kwargs

    def save_model(self, request, obj, form, change):
        """Nothing is written yet: save_related() writes the post and its 붙임 through publish()."""
        if not change:
            obj.author = request.user
        if obj.board.review and not obj.review_state:
            obj.review_state = ReviewState.DRAFT

    def save_related(self, request, form, formsets, change):
        post = form.instance
        attachments = next((formset for formset in formsets if isinstance(formset, ScreenedAttachmentFormSet)), None)
        if change and post.is_published and pending.needed(post):
            self.keep_for_review(request, form, post, attachments)
            return

        write_post = post.save
        post_change = getattr(post, "pending_change", None)
        if post_change is not None:  # switched off while a change waited: the form has the fields, add its 붙임
            write_post, _ = pending.apply(post, post_change, fields=False)
            post.review_state = ReviewState.DRAFT

        def write():
            write_post()
            super(PostAdmin, self).save_related(request, form, formsets, change)

        decision = publish(
            post, write=write, user=request.user, decision=attachments.decision if attachments else None,
            override_reason=form.cleaned_data.get("privacy_override_reason", ""),
        )
        if decision.override_reason:
            what = [f"개인정보 검출 {len(decision.findings)}건"] if decision.findings else []
            what += [f"내용을 확인하지 못한 붙임 {len(decision.unchecked)}개"] if decision.unchecked else []
            messages.warning(request, f"{', '.join(what)}을(를) 확인하고 공개했습니다. 공개 기록에 남겼습니다.")
        if decision.held_back and decision.unchecked:
            messages.error(request, held_back_message(decision.unchecked, can_override=may_override(request.user, post)))
        if decision.screening.checking:
            checking = decision.screening.checking
            messages.info(request, waiting_message(checking) if decision.waiting else checking_message(checking))
        for notice in decision.notices:
            messages.warning(request, f"{notice} 내용을 직접 확인해 주세요.")

    def keep_for_review(self, request, form, post, attachments):
        """수정 검토: the edit of a public post waits for approval; nothing public changes (editorial/pending.py)."""
        forms_ = attachments.forms if attachments is not None else []
        kept = [f for f in forms_ if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        review.submit_change(
            post, user=request.user,
            added=[f.instance for f in kept if f.instance.pk is None and f.instance.file],
            removed=[f.instance.pk for f in forms_ if f.cleaned_data.get("DELETE") and f.instance.pk],
            order={f.instance.pk: f.cleaned_data["order"] for f in kept if f.instance.pk and "order" in f.changed_data},
            override_reason=form.cleaned_data.get("privacy_override_reason", ""),
        )
        request.kept_for_review = True
        decision = attachments.decision if attachments is not None else None
        if decision is not None and decision.unchecked and decision.held_back:
            messages.error(request, "내용을 확인하지 못한 붙임이 있어 이 수정은 그대로 승인될 수 없습니다: "
                           f"{unchecked_names(decision.unchecked)}.")
        if decision is not None and decision.screening.checking:
            messages.info(request, checking_message(decision.screening.checking, " 확인이 끝나야 승인할 수 있습니다."))
        messages.warning(
            request, "공개 중인 글이라 수정 내용은 승인자가 승인한 뒤에 누리집에 반영됩니다. 검토를 요청했습니다.",
        )

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "kept_for_review", False):  # nothing was written but the change under review
            fields = ", ".join(str(form.fields[name].label) for name in form.changed_data if name in form.fields)
            return f"수정 검토 요청 (바꾼 항목: {fields or '붙임'})"
        return super().construct_change_message(request, form, formsets, add)


class PostAdminForm(forms.ModelForm):
    def _post_clean(self):
        # On a board with review nobody switches a post on here: it goes public by approval
        # (another person, editorial/review.py). Switching it off, or editing it, is fine.
        super()._post_clean()
        post = self.instance
        was_published = bool(self.initial.get("is_published")) and post.pk is not None
        try:
            board = post.board
        except LookupError:  # a field that decides the board is invalid: its own error says so
            return
        if post.is_published and not was_published and board.review:
            self.add_error("is_published", (
                f"{board.name}은(는) 승인자의 승인을 거쳐 게시됩니다. '공개 여부'를 끄고 저장한 뒤, "
                "목록에서 '선택한 글 검토 요청'을 하세요."
            ))

    privacy_override_reason = forms.CharField(
        label="개인정보 검출 시 공개 사유",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="개인정보가 검출되었는데도 공개해야 할 때만, 그 권한이 있는 분이 사유를 적습니다. 사유와 검출 내용은 기록됩니다.",
    )


PRIVACY_FIELDSET = ("개인정보 검출", {"fields": ["privacy_override_reason"], "classes": ["collapse"]})

