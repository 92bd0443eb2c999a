"""What staff do to posts from the admin list: 검토 요청, 승인, 반려, 게시 중단.

Each action asks its one plain function (editorial/review.py, editorial/takedown.py) and
reports per post, in Korean, what happened or why not. The list they act on is
the one get_queryset gives: only the person's own 부서.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from boards import registry
from boards.models import TakedownReason

from . import review, takedown


class TakedownForm(forms.Form):
    reason = forms.ChoiceField(label="게시 중단 사유", choices=TakedownReason.choices)
    note = forms.CharField(
        label="설명", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="무엇이 잘못되었는지, 누가 요청했는지 등(감사 기록에 남습니다).",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="반려 사유", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="작성자가 글을 열면 이 사유를 봅니다.",
    )


REVIEW_ACTIONS = ("request_review", "approve", "reject", "withdraw_change")


class PostActionsMixin:
    actions = [*REVIEW_ACTIONS, "take_down"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not any(board.review for board in registry.all_boards() if board.model is self.model):
            names = REVIEW_ACTIONS
        elif not request.user.has_perm(f"{self.opts.app_label}.approve_post"):
            names = ("approve", "reject")  # a writer asks, withdraws, takes down
        else:
            names = ()
        for name in names:
            actions.pop(name, None)
        return actions

    def each_post(self, request, queryset, step, done):
        """Run ``step(post)`` for every post; one message for those done, one per refusal."""
        count = 0
        for post in queryset:
            try:
                step(post)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, f"{count}건을 {done}.", messages.SUCCESS)

    @admin.action(description="선택한 글 검토 요청", permissions=["change"])
    def request_review(self, request, queryset):
        self.each_post(request, queryset, lambda post: review.submit(post, user=request.user), "검토 요청했습니다")

    @admin.action(description="선택한 글 승인(게시)", permissions=["change"])
    def approve(self, request, queryset):
        policy = self.permission_policy()
        self.each_post(request, queryset, lambda post: review.approve(post, user=request.user, policy=policy),
                       "승인했습니다. 게시일시가 되면 누리집에 보입니다")

    @admin.action(description="선택한 글 반려(사유 적기)", permissions=["change"])
    def reject(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            policy, reason = self.permission_policy(), form.cleaned_data["reason"]
            self.each_post(request, queryset,
                           lambda post: review.reject(post, user=request.user, policy=policy, reason=reason),
                           "반려했습니다")
            return None
        return self.reason_page(request, queryset, form, action="reject", title="반려",
                                text="아래 글을 작성자에게 돌려보냅니다. 사유는 작성자가 글을 열면 보입니다.")

    @admin.action(description="선택한 글의 검토 중인 수정 취소", permissions=["change"])
    def withdraw_change(self, request, queryset):
        self.each_post(request, queryset, lambda post: review.withdraw_change(post, user=request.user),
                       "검토 중인 수정을 취소했습니다. 누리집에는 승인된 내용이 그대로 보입니다")

    @admin.action(description="선택한 글 게시 중단(사유 적기)", permissions=["change"])
    def take_down(self, request, queryset):
        """First the reason form, then (``apply``) the takedown of what the list selected."""
        form = TakedownForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason, posts = form.cleaned_data["reason"], list(queryset)
            count = takedown.take_down(posts, user=request.user, reason=reason, note=form.cleaned_data["note"])
            for post in posts:
                self.log_change(request, post, f"게시 중단: {TakedownReason(reason).label}")
            self.message_user(
                request, f"{len(posts)}건을 게시 중단했습니다(그중 공개·예약 중이던 글 {count}건).", messages.SUCCESS
            )
            return None
        return self.reason_page(
            request, queryset, form, action="take_down", title="게시 중단",
            text="아래 글을 누리집에서 곧바로 내립니다. 사유는 글에 남고 감사 기록에도 남습니다. "
                 "다시 공개하려면 글의 “공개 여부”를 켜고 저장하세요.",
        )

    def reason_page(self, request, queryset, form, *, action, title, text):
        return TemplateResponse(request, "admin/boards/reason_action.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "posts": queryset, "form": form, "action": action, "title": title,
            "text": text, "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        })
