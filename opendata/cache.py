"""Open API answers cached like pages (boards/pagecache.py): under the content version, which every
content save bumps, and only until the next scheduled 게시·게시 종료 moment.

API queries are as varied as searches (any keyword, date range, page size), so they are kept
in each process's own bounded memory, never the shared cache: no client can push the
residents' pages out of it. The version itself is the shared one, so a post unpublished in
the admin leaves every process's API answers at once.
"""

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache

from boards import pagecache

MAX_ENTRIES = 300  # a 100-row page is some 100 KB: at most ~30 MB a process
store = LocMemCache("opendata-api", {"OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES}})


def cached_answer(what, answer):
    """``answer()``'s response, from the cache when an equal request was answered under this version.

    ``what`` names the answer (board, id, cleaned parameters): equal requests share one entry
    however their query strings were spelled.
    """
    if not settings.PAGE_CACHE_SECONDS:
        return answer()
    return pagecache.cached_variant(store, "api", what, answer)
