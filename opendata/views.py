from django.shortcuts import render
from django.views.decorators.http import require_safe

from boards.pagecache import cached_page

from . import answers, describe
from .params import MAX_PAGE_NO, MAX_ROWS


@require_safe
@cached_page
def open_data_page(request):
    """공공데이터 개방: what the open API returns, its parameters, result codes and license."""
    return render(request, "opendata/page.html", {
        "boards": describe.boards(),
        **describe.common(),
        "results": answers.RESULTS,
        "max_rows": MAX_ROWS,
        "max_page_no": f"{MAX_PAGE_NO:,}",
    })
