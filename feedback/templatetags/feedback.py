from django import template

from ..forms import COMMENT_MAX, FeedbackForm
from ..models import PageFeedback
from ..views import MESSAGE_TAG

register = template.Library()


@register.inclusion_tag("feedback/_survey.html", takes_context=True)
def feedback_survey(context, form=None, page=None):
    """The 페이지 만족도 조사 box; on a content page it reports about that page."""
    request = context["request"]
    notices = [m for m in context.get("messages", ()) if MESSAGE_TAG in m.tags.split()]
    form = form or FeedbackForm()
    chosen = str(form["score"].value()) if form.is_bound else ""
    return {
        "form": form,
        "options": [
            {"value": str(value), "label": label, "checked": str(value) == chosen}  # text: no number formatting
            for value, label in PageFeedback.Score.choices
        ],
        "page": page or request.path,
        "notices": notices,
        "comment_max": COMMENT_MAX,
        "csrf_token": context.get("csrf_token"),
    }
