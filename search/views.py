from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from boards.pagecache import cached_search_page

from .forms import SearchForm
from .results import Search, SearchTooSlow


@require_safe
def results(request):
    """통합검색. Whatever the query string holds, the answer is a normal page."""
    form = SearchForm(request.GET)
    if form.is_valid() and form.words:
        data = form.cleaned_data
        params = {**data, "sort": data["sort"] or "relevance", "page": data["page"] or 1}
        return cached_search_page(request, params, lambda: render_results(request, form, params))
    return render(request, "search/results.html", {"form": form, "groups": None})


def render_results(request, form, params):
    now = timezone.now()
    since, until = form.bounds(now)
    search = Search(
        words=form.words, query=params["q"], only=params["board"], since=since, until=until,
        sort=params["sort"], page=params["page"], now=now, link_params=form.link_params(),
    )
    try:
        groups = search.run()
    except SearchTooSlow:
        context = {"form": form, "groups": None, "too_slow": True, "query": form.cleaned_data["q"]}
        return render(request, "search/results.html", context, status=503)
    return render(request, "search/results.html", {
        "form": form,
        "groups": groups,
        "total": sum(group.shown_count for group in groups),
        "total_capped": any(group.capped for group in groups),
        "query": form.cleaned_data["q"],
        "link_params": form.link_params(),
    })
