from django.contrib.syndication.views import Feed
from django.urls import reverse

from . import registry

FEED_SIZE = 20


class BoardFeed(Feed):
    def get_object(self, request, board):
        return registry.get(board)

    def title(self, board):
        return f"{board.name} | 금천구청"

    def link(self, board):
        return reverse("boards:list", kwargs={"board": board.slug})

    def description(self, board):
        return f"서울특별시 금천구청 {board.name} 새 글"

    def items(self, board):
        return board.posts().published().select_related("department").latest_first()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_text[:300]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.department.name
