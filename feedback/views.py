from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .forms import FeedbackForm
from .recording import record_feedback, surveyed_page, visitor_key, within_rate_limit

MESSAGE_TAG = "feedback"


@require_POST
def submit(request):
    """Store an answer, then back to the page's survey (POST/redirect/GET, works without JS)."""
    page = surveyed_page(request.POST.get("page"))
    form = FeedbackForm(request.POST)
    if page is None:
        return render(request, "feedback/form.html", {"form": form, "page": None}, status=400)

    day = timezone.localdate()
    visitor = visitor_key(request, day)
    if not within_rate_limit(request):
        messages.warning(
            request, "짧은 시간에 너무 많은 의견을 보내셨습니다. 한 시간쯤 뒤에 다시 보내 주세요.",
            extra_tags=MESSAGE_TAG,
        )
    elif not form.is_valid():
        # The page itself cannot be re-rendered from here; show the survey on its own,
        # with the visitor's answer kept and the errors next to the fields.
        return render(request, "feedback/form.html", {"form": form, "page": page}, status=400)
    elif record_feedback(page=page, visitor=visitor, day=day, **form.cleaned_data):
        messages.success(request, "소중한 의견 고맙습니다. 더 나은 누리집을 만드는 데 쓰겠습니다.", extra_tags=MESSAGE_TAG)
    else:
        messages.info(request, "오늘 이 페이지에 이미 의견을 주셨습니다.", extra_tags=MESSAGE_TAG)
    return redirect(f"{page}#survey")
