"""Review before publishing: 임시저장 → 검토 요청 → 게시 (승인) or 반려, on boards that ask for it.

On such a board (registry ``Board.review``: 고시공고 and 채용공고) a post goes public
only when someone who may approve it — ``approve_post`` on its model and its 부서
in their reach (the permission policy), and not the person who asked — approves it.
Approving is a publish: it goes through 개인정보 screening (privacy/publishing.py).
A scheduled 게시일시 still holds: the post becomes public at that time, once approved.
A change to a post that is already public waits the same way (editorial/pending.py):
``submit_change`` keeps it and asks for review; approving it writes it; rejecting it
leaves the public post as it was. Each step is one function, for the admin now and
the API later; the signals tell whoever keeps records (staff/audit.py).
"""

from django.core.exceptions import ValidationError
from django.dispatch import Signal
from django.utils import timezone

from boards.models import ReviewState
from privacy.publishing import decide, publish
from privacy.screening import checking_message, screen, unchecked_names

from . import pending

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
    if post.is_published:
        # Public already: only a kept change (one sent back, say) can be asked for again.
        if pending.pending_for(post) is None:
            raise ValidationError(f"「{post}」: 공개 중인 글입니다. 고쳐서 저장하면 그 수정에 검토가 요청됩니다.")
        mark_pending(post, user)
    else:
        post.review_state, post.review_note, post.submitted_by = ReviewState.PENDING, "", user
        post.save(update_fields=["review_state", "review_note", "submitted_by", "updated_at"])
    submitted.send(sender=type(post), post=post, user=user)


def submit_change(post, *, user, added=(), removed=(), order=None, override_reason=""):
    """Keep an edit of a public ``post`` (changed in memory, not saved) for review: editorial/pending.py."""
    change = pending.propose(post, user=user, added=added, removed=removed, order=order,
                             override_reason=override_reason)
    mark_pending(post, user)
    submitted.send(sender=type(post), post=post, user=user)
    return change


def mark_pending(post, user):
    """검토 요청 on the stored row only: ``post`` in memory may hold the change, which must not be written."""
    type(post)._default_manager.filter(pk=post.pk).update(review_state=ReviewState.PENDING, review_note="",
                                                           submitted_by=user)
    post.review_state, post.review_note, post.submitted_by = ReviewState.PENDING, "", user


def withdraw_change(post, *, user):
    """검토 중인 수정 취소: drop the kept change; the public post stays as approved."""
    change = pending.pending_for(post)
    if change is None:
        raise ValidationError(f"「{post}」: 검토 중인 수정이 없습니다.")
    pending.discard(change)
    type(post)._default_manager.filter(pk=post.pk).update(review_state=ReviewState.APPROVED, review_note="")
    post.review_state, post.review_note = ReviewState.APPROVED, ""


def approve(post, *, user, policy):
    """Publish ``post`` for ``user``; ValidationError (Korean) when not allowed or when screening refuses."""
    check_reviewer(post, user, policy)
    change = pending.pending_for(post)
    post.review_state, post.review_note = ReviewState.APPROVED, ""
    post.reviewed_by, post.reviewed_at, post.is_published = user, timezone.now(), True
    write, override_reason = None, ""
    if change is None:
        files = post.screened_files()
    else:
        write, files = pending.apply(post, change)
        override_reason = change.override_reason
    decision = decide(post, screen(post.screened_texts(), files), user=user, override_reason=override_reason)
    if decision.screening.checking:
        raise ValidationError(f"「{post}」: " + checking_message(
            decision.screening.checking, " 확인이 끝나야 승인할 수 있습니다. 잠시 뒤 다시 승인하세요."))
    if decision.held_back:  # approving means publishing: it cannot be half done
        raise ValidationError(
            f"「{post}」: 내용을 확인하지 못한 붙임이 있어 승인할 수 없습니다: {unchecked_names(decision.unchecked)}. "
            "내용을 확인할 수 있는 파일로 바꾸거나, 개인정보 검출 공개 권한이 있는 분이 사유를 적고 공개해야 합니다."
        )
    publish(post, write=write, user=user, decision=decision)
    approved.send(sender=type(post), post=post, user=user)


def reject(post, *, user, policy, reason):
    check_reviewer(post, user, policy)
    if not (reason or "").strip():
        raise ValidationError("반려 사유를 적어 주세요.")
    post.review_state, post.review_note = ReviewState.REJECTED, reason.strip()
    post.reviewed_by, post.reviewed_at = user, timezone.now()
    # A rejected change of a public post leaves it public as approved; a new post stays private.
    post.save(update_fields=["review_state", "review_note", "reviewed_by", "reviewed_at", "updated_at"])
    rejected.send(sender=type(post), post=post, user=user, reason=post.review_note)


def check_reviewer(post, user, policy):
    if post.review_state != ReviewState.PENDING:
        raise ValidationError(f"「{post}」: 검토 요청된 글만 승인하거나 반려할 수 있습니다.")
    if not may_approve(user, post, policy):
        raise ValidationError(f"「{post}」: 이 글을 승인할 권한이 없습니다.")
    if post.submitted_by_id == user.pk:
        raise ValidationError(f"「{post}」: 검토를 요청한 사람은 스스로 승인하거나 반려할 수 없습니다.")
