"""The admin side of 고시공고 가져오기 (notices/importing.py has the rules for a row)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.signals import post_import
from import_export.tmp_storages import CacheStorage

from . import import_file, importing
from .models import Notice


class NoticeImportForm(ImportForm):
    """The upload step: one file, CSV or XLSX (told apart by content, so there is no format to pick)."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        upload = self.fields["import_file"]
        upload.label = "가져올 파일"
        upload.help_text = (
            f"새올에서 내려받은 CSV(UTF-8 또는 CP949) 또는 XLSX 파일. "
            f"{import_file.MAX_BYTES // 1024 // 1024}MB, {import_file.MAX_ROWS:,}행까지."
        )
        upload.widget.attrs["accept"] = ",".join(import_file.EXTENSIONS)
        # One format (notices/importing.py SaeolFile): nothing to pick. A hidden field still, since the
        # library reads the POST data for it.
        self.fields["format"].widget = forms.HiddenInput()
        self.initial["format"] = "0"

    def clean_format(self):
        return "0"

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            import_file.check_upload(upload.name, upload.size)
        except import_file.ImportFileError as error:
            raise ValidationError(str(error)) from None
        return upload


class NoticeConfirmForm(ConfirmImportForm):
    def clean_format(self):
        return "0"


class ImportStorage(CacheStorage):
    """The upload kept between preview and confirm: in the shared cache (every node sees it), for an hour."""

    CACHE_LIFETIME = 60 * 60


class NoticeImportMixin(ImportMixin):
    """고시공고 가져오기 (새올 CSV·XLSX): upload → preview (a dry run) → confirm, for staff who may add notices.

    The rules for a row are in notices/importing.py; this is the admin side only.
    """

    resource_classes = [importing.NoticeImportResource]
    import_form_class = NoticeImportForm
    confirm_form_class = NoticeConfirmForm
    import_template_name = "admin/notices/notice/import.html"
    import_export_change_list_template = "admin/notices/notice/change_list_import.html"
    tmp_storage_class = ImportStorage

    def has_import_permission(self, request):
        return self.has_add_permission(request)

    def get_import_formats(self):
        return [importing.SaeolFile]

    def get_import_data_kwargs(self, **kwargs):
        # A row that fails at the confirm step (the data changed since the preview) undoes the whole import.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, import_file.ImportFileError):
            form.add_error("import_file", str(error))
        else:
            importing.logger.exception("고시공고 가져오기: 파일을 읽지 못함")
            form.add_error("import_file", "파일을 읽지 못했습니다. CSV 또는 XLSX 파일인지 확인해 주세요.")

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse):
            self.import_context(response.context_data)
        return response

    def import_context(self, context):
        result = context.get("result")
        rows = importing.shown_rows(result) if result is not None else []
        context.update(
            title="고시공고 가져오기", columns=import_file.COLUMNS, max_rows=import_file.MAX_ROWS,
            rows=rows, counts=importing.counts(rows),
            failed=any(row.errors for row in rows) or bool(result is not None and result.base_errors),
        )
        return context

    def admin_url(self, view):
        return reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}")

    def process_import(self, request, **kwargs):
        try:
            response = super().process_import(request, **kwargs)
        except import_file.ImportFileError as error:
            messages.error(request, str(error))
            return redirect(self.admin_url("import"))
        if isinstance(response, TemplateResponse) and "result" not in response.context_data:
            messages.error(request, "가져오기 확인 요청이 올바르지 않습니다. 파일을 다시 올려 주세요.")
            return redirect(self.admin_url("import"))
        return response

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():  # rolled back: nothing was written
            context = {
                **self.admin_site.each_context(request), "opts": self.opts, "result": result,
                "form": self.blank_form(request),
                "import_error_display": self.import_error_display,
            }
            messages.error(request, "미리보기 뒤에 바뀐 내용 때문에 가져오지 못했습니다. 아무것도 저장하지 않았습니다. "
                                    "아래 오류를 확인하고 파일을 다시 올려 주세요.")
            return TemplateResponse(request, [self.import_template_name], self.import_context(context))
        self.generate_log_entries(result, request)
        self.add_success_message(result, request)
        post_import.send(sender=None, model=self.model)
        return redirect(f"{self.admin_url('changelist')}?kind__exact={Notice.Kind.NOTICE}")

    def blank_form(self, request):
        return self.get_import_form_class(request)(
            self.get_import_formats(), self.get_import_resource_classes(request)
        )

    def generate_log_entries(self, result, request):
        """One admin log entry per notice (the audit log records each, staff/audit.py)."""
        for row in result.valid_rows():
            message = getattr(row.instance, "import_message", None)
            if message is None or row.is_skip():
                continue
            if row.is_new():
                self.log_addition(request, row.instance, message)
            else:
                self.log_change(request, row.instance, message)

    def add_success_message(self, result, request):
        rows = importing.shown_rows(result)
        done = ", ".join(f"{label} {number}건" for label, number in importing.counts(rows).items())
        messages.success(request, f"고시공고를 가져왔습니다: {done}. 새 글과 비공개 글의 수정은 임시저장 상태이며, "
                                  "검토 요청 후 다른 사람이 승인해야 누리집에 게시됩니다.")
