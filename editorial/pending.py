"""수정 검토: on a board with review, a change to a public post waits; residents keep seeing the approved post.

A save of a post that is public or scheduled on such a board (``needed``) does not
write the post: ``propose`` keeps the post as its editor wants it — its fields, the
붙임 added (stored now, as PendingAttachment), removed and reordered — in one
PendingChange. Staff see it in the change form and 미리보기 (``overlay``); approval
writes it through publish() (``apply``, editorial/review.py); ``discard`` drops it.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import transaction

from boards import registry

from .models import PendingAttachment, PendingChange

# Never part of a change: the post's identity and its on/off switch (switching off is at once).
KEPT_APART = {"id", "is_published"}


def changed_fields(post):
    return [field for field in type(post)._meta.concrete_fields if field.editable and field.name not in KEPT_APART]


def needed(post):
    """Must a save of ``post`` wait for review? Its board asks for review and the stored post is switched on."""
    if post.pk is None or not post.board.review:
        return False
    return type(post)._default_manager.filter(pk=post.pk, is_published=True).exists()


def pending_for(post):
    if post.pk is None:
        return None
    return (
        PendingChange.objects.filter(content_type=ContentType.objects.get_for_model(post), object_id=post.pk)
        .select_related("created_by").first()
    )


def serialize(post):
    names = [field.name for field in changed_fields(post)]
    return json.loads(serializers.serialize("json", [post], fields=names))[0]["fields"]


def overlay(post, change):
    """``post`` in memory as ``change`` has it (nothing is written)."""
    data = [{"model": post._meta.label_lower, "pk": post.pk, "fields": change.fields}]
    proposed = next(serializers.deserialize("json", json.dumps(data), ignorenonexistent=True)).object
    for field in changed_fields(post):
        if field.name in change.fields:
            setattr(post, field.attname, getattr(proposed, field.attname))
    return post


def propose(post, *, user, added=(), removed=(), order=None, override_reason=""):
    """Keep ``post`` (changed in memory, not saved) as the pending change; returns the PendingChange.

    ``added`` are unsaved 붙임 with new uploads, ``removed`` ids of the post's 붙임 to drop,
    ``order`` {id: new order} of kept ones. A second edit adds to the first.
    """
    with transaction.atomic():
        change, _ = PendingChange.objects.select_for_update().get_or_create(
            content_type=ContentType.objects.get_for_model(post), object_id=post.pk,
        )
        change.fields = serialize(post)
        change.removed_attachments = sorted({*change.removed_attachments, *removed})
        change.attachment_order = {**change.attachment_order, **{str(pk): value for pk, value in (order or {}).items()}}
        change.override_reason = override_reason
        change.created_by = user
        change.save()
        for attachment in added:
            upload = PendingAttachment(change=change, order=attachment.order)
            if attachment.is_new_upload:
                upload.file = attachment.file
                if hasattr(attachment, "_upload_extraction"):  # read while screening: not read twice
                    upload._upload_extraction = attachment._upload_extraction
            else:  # a removed 붙임 a restored revision brings back (editorial/history.py)
                upload.read_from(attachment).restored_from = attachment.pk
            upload.save()
    return change


def attachment_changes(change):
    """(names added, names removed) for people to read."""
    removed = []
    if change.removed_attachments:
        attachment_model = type(change.post).attachments.rel.related_model
        removed = list(
            attachment_model.objects.filter(pk__in=change.removed_attachments).values_list("original_name", flat=True)
        )
    return [upload.original_name for upload in change.added_files.all()], removed


def apply(post, change, *, fields=True):
    """Put ``change`` on ``post``: (write, files). ``write()`` stores post and 붙임 (call it in one transaction);
    ``files`` are the (name, Extracted) of the 붙임 the post will have, for 개인정보 screening.

    ``fields=False`` keeps the post's fields as they are (the editor's latest form wins) and takes the 붙임 only.
    """
    if fields:
        overlay(post, change)
    attachment_model = type(post).attachments.rel.related_model
    removed = set(change.removed_attachments)
    kept = [attachment for attachment in post.attachments.all() if attachment.pk not in removed]
    added = list(change.added_files.all())

    def write():
        post.save()
        attachment_model.objects.filter(post=post, pk__in=removed).delete()
        for attachment in kept:
            order = change.attachment_order.get(str(attachment.pk))
            if order is not None and order != attachment.order:
                attachment.order = order
                attachment.save(update_fields=["order"])
        for upload in added:
            attachment_model(id=upload.restored_from, post=post, order=upload.order).read_from(upload).save(
                force_insert=True
            )
        # The files now belong to the post's 붙임: emptied first, so deleting the rows leaves them in storage.
        PendingAttachment.objects.filter(change=change).update(file="")
        change.delete()

    files = [attachment.screened_file() for attachment in kept]
    files += [(upload.original_name, upload.extracted()) for upload in added]
    return write, files


def discard(change):
    """Drop a pending change and the files it had stored (not those of removed 붙임 it meant to bring back)."""
    change.added_files.filter(restored_from__isnull=False).update(file="")
    change.delete()


def drop_with_post(sender, instance, **kwargs):
    """A deleted post takes its pending change (and the files that change stored) with it."""
    if sender not in registry.post_models():
        return
    for change in PendingChange.objects.filter(content_type=ContentType.objects.get_for_model(sender),
                                               object_id=instance.pk):
        discard(change)
