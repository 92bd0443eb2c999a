"""Review before publishing: 임시저장 → 검토 요청 → 게시 (승인) or 반려, on boards that ask for it.

On such a board (registry ``Board.review``: 고시공고 and 채용공고) a post goes public
only when someone who may approve it — ``approve_post`` on its model and its 부서
in their reach (the permission policy), and not the person who asked — approves it.
Approving is a publish: it goes through 개인정보 screening (privacy/publishing.py).
A scheduled 게시일시 still holds: the post becomes public at that time, once approved.
Each step is one function, for the admin now and the API later; the signals tell
whoever keeps records (staff/audit.py).
"""

from django.core.exceptions import ValidationError
from django.dispatch import Signal
from django.utils import timezone

from boards.models import ReviewState
from privacy.publishing import publish

# sender: the post's model; post and user come along (rejected: reason too).
submitted = Signal()
approved = Signal()
rejected = Signal()


def needs_review(post):
    return post.board.review


def may_approve(user, post, policy):
    opts = post._meta
    return user.has_perm(f"{opts.app_label}.approve_post") and policy.covers(user, post)


def submit(post, *, user):
    if not needs_review(post):
        raise ValidationError("이 게시판은 검토 없이 게시합니다.")
    if post.review_state == ReviewState.PENDING:
        raise ValidationError("이미 검토를 요청한 글입니다.")
    post.review_state, post.review_note = ReviewState.PENDING, ""
    post.submitted_by, post.is_published = user, False
    post.save(update_fields=["review_state", "review_note", "submitted_by", "is_published", "updated_at"])
    submitted.send(sender=type(post), post=post, user=user)


def approve(post, *, user, policy):
    """Publish ``post`` for ``user``; ValidationError (Korean) when not allowed or when screening refuses."""
    check_reviewer(post, user, policy)
    post.review_state, post.review_note = ReviewState.APPROVED, ""
    post.reviewed_by, post.reviewed_at, post.is_published = user, timezone.now(), True
    publish(post, user=user)
    approved.send(sender=type(post), post=post, user=user)


def reject(post, *, user, policy, reason):
    check_reviewer(post, user, policy)
    if not (reason or "").strip():
        raise ValidationError("반려 사유를 적어 주세요.")
    post.review_state, post.review_note = ReviewState.REJECTED, reason.strip()
    post.reviewed_by, post.reviewed_at, post.is_published = user, timezone.now(), False
    post.save(update_fields=["review_state", "review_note", "reviewed_by", "reviewed_at", "is_published",
                             "updated_at"])
    rejected.send(sender=type(post), post=post, user=user, reason=post.review_note)


def check_reviewer(post, user, policy):
    if post.review_state != ReviewState.PENDING:
        raise ValidationError(f"「{post}」: 검토 요청된 글만 승인하거나 반려할 수 있습니다.")
    if not may_approve(user, post, policy):
        raise ValidationError(f"「{post}」: 이 글을 승인할 권한이 없습니다.")
    if post.submitted_by_id == user.pk:
        raise ValidationError(f"「{post}」: 검토를 요청한 사람은 스스로 승인하거나 반려할 수 없습니다.")
