from django import template

from ..forms import COMMENT_MAX
from ..models import PageFeedback
from ..views import MESSAGE_TAG

register = template.Library()

# Values as text: no number formatting.
SCORES = tuple((str(value), label) for value, label in PageFeedback.Score.choices)


@register.inclusion_tag("feedback/_survey.html", takes_context=True)
def feedback_survey(context, form=None, page=None):
    """The 페이지 만족도 조사 box; on a content page it reports about that page.

    Pages show it empty, and then no form is built: making a Django form cost more than
    the rest of the box. Only the answer sent back with errors (feedback/form.html) passes one.
    """
    request = context["request"]
    errors, chosen, comment = {}, "", ""
    if form is not None and form.is_bound:
        errors = {name: messages[0] for name, messages in form.errors.items()}
        chosen = str(form["score"].value())
        comment = form["comment"].value()
    return {
        "options": [{"value": value, "label": label, "checked": value == chosen} for value, label in SCORES],
        "score_error": errors.get("score"),
        "comment_error": errors.get("comment"),
        "comment": "" if comment is None else comment,
        "page": page or request.path,
        "notices": [m for m in context.get("messages", ()) if MESSAGE_TAG in m.tags.split()],
        "comment_max": COMMENT_MAX,
        "csrf_token": context.get("csrf_token"),
    }
