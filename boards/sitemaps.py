from django.contrib.sitemaps import Sitemap

from . import registry


class BoardSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def __init__(self, board):
        self.board = board

    def items(self):
        return self.board.posts().published().latest_first().only(
            "id", "updated_at", "published_at", *self.board.filters
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default walks every item of the section to find the newest;
        # the index does without a lastmod instead.
        return None


def board_sitemaps():
    return {board.slug: BoardSitemap(board) for board in registry.all_boards()}
