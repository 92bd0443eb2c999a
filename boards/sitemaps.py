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


def board_sitemaps():
    return {board.slug: BoardSitemap(board) for board in registry.all_boards()}
