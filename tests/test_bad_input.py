"""Whatever arrives in the URL, a list answers with a normal page or a 404, never a 500.

The test client re-raises exceptions from views (``raise_request_exception``), so an
error that would be a 500 in production fails these tests. Both database back ends
matter here: PostgreSQL rejects NUL bytes and overflows on huge OFFSETs.
"""

import pytest

from tests.factories import BOARD_SLUGS, make_attachment, make_post

pytestmark = pytest.mark.django_db

POSTS = 12  # two pages of ten


@pytest.fixture(params=BOARD_SLUGS)
def board(request):
    slug = request.param
    for n in range(POSTS):
        make_attachment(make_post(slug, title=f"채용 안내 {n}"))
    return slug


def get_list(client, slug, params):
    response = client.get(f"/{slug}/", params)
    assert response.status_code == 200, params
    return response


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("abc", 1),
        ("", 1),
        ("1.5", 1),
        ("\x00", 1),
        ("-1", 2),
        ("0", 2),
        ("99999", 2),
        (str(10**30), 2),
        ("9" * 5000, 1),  # too many digits for int(): treated as not a number
    ],
)
def test_bad_page_numbers_give_a_real_page(client, board, page, expected):
    response = get_list(client, board, {"page": page})
    current = response.context["page"]
    assert current.number == expected
    assert current.paginator.num_pages == 2
    assert len(current.object_list) == (10 if expected == 1 else POSTS - 10)


def test_bad_page_with_a_search(client, board):
    response = get_list(client, board, {"q": "채용", "page": str(10**30)})
    assert response.context["page"].number == 2


def test_overlong_query_is_refused_kindly(client, board):
    response = get_list(client, board, {"q": "채" * 5000})
    form = response.context["form"]
    assert "q" in form.errors
    assert "100자 이내" in form.errors["q"][0]
    # The rest of the page is the ordinary list.
    assert response.context["page"].paginator.count == POSTS


@pytest.mark.parametrize("query", ["\x00", "채용\x00", "\x00\x00 안내", "채\x00용"])
def test_nul_byte_never_reaches_the_database(client, board, query):
    response = get_list(client, board, {"q": query, "field": "title"})
    assert "q" in response.context["form"].errors
    assert response.context["page"].paginator.count == POSTS


def test_other_control_characters_are_dropped(client, board):
    response = get_list(client, board, {"q": "채용\x07\x1b 안내 1\u200b1"})
    assert [post.title for post in response.context["page"].object_list] == ["채용 안내 11"]


@pytest.mark.parametrize("field", ["bogus", "", "title'--", "\x00", "a" * 5000])
def test_unknown_field_is_harmless(client, board, field):
    response = get_list(client, board, {"field": field, "q": "안내 3"})
    assert [post.title for post in response.context["page"].object_list] == ["채용 안내 3"]


def test_repeated_parameters(client, board):
    response = client.get(f"/{board}/?q=채용&q=안내&page=1&page=2&field=title&field=body")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["abc", "-1", "1.0", "0x1", "%00", "9" * 40, "1/extra"])
def test_non_integer_pk_paths_are_404(client, board, path):
    assert client.get(f"/{board}/{path}/").status_code == 404
    assert client.get(f"/{board}/files/{path}/").status_code == 404


def test_huge_integer_pk_is_404(client, board):
    assert client.get(f"/{board}/{10**30}/").status_code == 404
    assert client.get(f"/{board}/files/{10**30}/").status_code == 404
    assert client.get(f"/{board}/{2**63}/").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_lists_and_details_only_answer_get(client, board, method):
    post = make_post(board)
    for url in (f"/{board}/", f"/{board}/{post.pk}/"):
        assert getattr(client, method)(url).status_code == 405


def test_head_is_allowed(client, board):
    assert client.head(f"/{board}/").status_code == 200


@pytest.mark.parametrize("path", ["/nosuch/", "/nosuch/1/", "/nosuch/files/1/", "/nosuch/rss/", "/News/"])
def test_unknown_board_is_404(client, path):
    assert client.get(path).status_code == 404


def test_a_request_over_the_size_limits_gets_a_korean_page(client, settings):
    # Django refuses it before any view runs (DATA_UPLOAD_MAX_NUMBER_FIELDS, …_MEMORY_SIZE): its 400 page is ours.
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = client.post("/subscribe/", {f"f{n}": "x" for n in range(10)})
    assert response.status_code == 400
    assert "요청을 처리할 수 없습니다" in response.content.decode()
