from django.urls import path

from . import registry, views
from .feeds import BoardFeed

app_name = "boards"


def _board_patterns(slug):
    board = {"board": slug}
    return [
        path(f"{slug}/", views.post_list, board, name="list"),
        path(f"{slug}/<int:pk>/", views.post_detail, board, name="detail"),
        path(f"{slug}/files/<int:pk>/", views.attachment_download, board, name="download"),
        path(f"{slug}/files/<int:pk>/preview/", views.attachment_preview, board, name="preview"),
        path(f"{slug}/files/<int:pk>/view/", views.attachment_inline, board, name="inline"),
        path(f"{slug}/rss/", BoardFeed(), board, name="feed"),
    ]


urlpatterns = [pattern for board in registry.all_boards() for pattern in _board_patterns(board.slug)]
