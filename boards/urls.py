from django.urls import path

from . import body_images, registry, views
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


urlpatterns = [
    # 본문 이미지 (boards/body_images.py); boards/richtext.py keeps an <img> only with this address.
    path("body-images/<uuid:key>/", body_images.serve, name="body-image"),
    *(pattern for board in registry.all_boards() for pattern in _board_patterns(board.slug)),
]
