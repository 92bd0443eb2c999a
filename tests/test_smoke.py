import pytest

from tests.factories import NewsFactory, NoticeAttachmentFactory


@pytest.mark.django_db
def test_models_and_factories_work():
    post = NewsFactory()
    attachment = NoticeAttachmentFactory(post__kind="notice")
    assert post.board_slug == "news"
    assert attachment.original_name == "공고문.pdf"
    assert attachment.size > 0
