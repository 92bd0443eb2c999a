"""Admin helpers for stored files: they are served to staff through a view, never by URL to MEDIA."""

import posixpath

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from .fields import CheckedImageFormField
from .serving import serve_file
from .signals import stored_file_served

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
        response = serve_file(field_file, filename=filename, as_attachment=not is_image)
        stored_file_served.send(sender=type(self), request=request, obj=target, field=field)
        return response

    def _inline_relations(self):
        inline_models = {inline.model for inline in self.inlines}
        return {
            rel.get_accessor_name() for rel in self.opts.related_objects if rel.related_model in inline_models
        }


class StoredFileInline(admin.TabularInline):
    """Rows holding a file under a parent whose admin uses StoredFileAdminMixin."""

    formfield_overrides = PLAIN_FILE_INPUT
    extra = 1

    def stored_url(self, obj, field):
        """The admin URL of ``obj``'s ``field`` (None for a row not saved yet)."""
        if not obj.pk:
            return None
        parent_key = next(
            field for field in self.model._meta.fields
            if field.many_to_one and field.related_model is self.parent_model
            and self.fk_name in (None, field.name)
        )
        parent = getattr(obj, parent_key.name)
        relation = parent_key.remote_field.get_accessor_name()
        return stored_file_url(self.admin_site, parent, field, relation=relation, item=obj)
