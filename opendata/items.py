"""A post as an open API item: the fields its public page shows, no more."""

from django.urls import reverse
from django.utils import timezone

from boards.site_url import absolute_url


def seoul_time(moment):
    """Korean time to the second (2026-01-29T09:00:00+09:00); None stays None."""
    return moment and timezone.localtime(moment).replace(microsecond=0)


def item(board_api, post, has_attachments=None):
    slug = board_api.slug
    return {
        "id": post.pk,
        "title": post.title,
        "publishedAt": seoul_time(post.published_at),
        "deptId": post.department_id,
        "deptName": post.department.name,
        "phone": post.phone,
        "url": absolute_url(reverse("boards:detail", kwargs={"board": slug, "pk": post.pk})),
        "hasAttachments": post.has_attachments if has_attachments is None else has_attachments,
        **board_api.values(post),
    }


def detail(board_api, post):
    attachments = list(post.attachments.all())
    return {
        **item(board_api, post, has_attachments=bool(attachments)),
        "body": post.body_text,
        "attachments": {"attachment": [
            {
                "name": attachment.original_name,
                "size": attachment.size,
                "type": attachment.extension.lower(),
                "url": absolute_url(
                    reverse("boards:download", kwargs={"board": board_api.slug, "pk": attachment.pk})
                ),
            }
            for attachment in attachments
        ]},
        **board_api.detail_values(post),
    }
