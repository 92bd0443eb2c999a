"""게시 중단: staff take posts off the site at once, saying why; the reason stays on the post.

One plain function for every way in (the admin action now, the API later). The
post is switched off and saved (signals drop cached pages on commit), and
``taken_down`` tells whoever keeps records (staff/audit.py) without this room
knowing them.
"""

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

# sender: the post's model; post, user, reason (a TakedownReason value) and note come along.
taken_down = Signal()


def take_down(posts, *, user, reason, note=""):
    """Switch ``posts`` off with ``reason``; returns how many were public or scheduled until now."""
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for post in posts:
            count += post.is_published
            post.is_published, post.awaiting_files = False, False  # not published when its files are read either
            post.takedown_reason, post.taken_down_at = reason, now
            post.save(update_fields=["is_published", "awaiting_files", "takedown_reason", "taken_down_at",
                                     "updated_at"])
            taken_down.send(sender=type(post), post=post, user=user, reason=reason, note=note)
    return count
