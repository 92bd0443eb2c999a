from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .forms import SearchForm
from .results import Search


@require_safe
def results(request):
    """통합검색. Whatever the query string holds, the answer is a normal page."""
    form = SearchForm(request.GET)
    context = {"form": form, "groups": None}
    if form.is_valid() and form.words:
        now = timezone.now()
        since, until = form.bounds(now)
        search = Search(
            words=form.words, query=form.cleaned_data["q"], only=form.cleaned_data["board"],
            since=since, until=until, sort=form.cleaned_data["sort"] or "relevance",
            page=form.cleaned_data["page"] or 1, now=now, link_params=form.link_params(),
        )
        groups = search.run()
        context.update(
            groups=groups,
            total=sum(group.shown_count for group in groups),
            total_capped=any(group.capped for group in groups),
            query=form.cleaned_data["q"],
            link_params=form.link_params(),
        )
    return render(request, "search/results.html", context)
