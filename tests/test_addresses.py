"""{% url %} and static addresses remembered per process (geumcheon_portal/addresses.py)."""

import json

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, clear_script_prefix, path, reverse, set_script_prefix

from geumcheon_portal import addresses
from geumcheon_portal.addresses import StaticFilesStorage

# A URLconf of its own for the swap test: the same name at another address.
urlpatterns = [path("elsewhere/healthz", lambda request: HttpResponse("ok"), name="healthz")]


NEWS, NEWS_7 = {"board": "news"}, {"board": "news", "pk": 7}


def render(source, **context):
    request = RequestFactory().get("/")
    return Template(source).render(Context({"request": request, **context}))


@pytest.fixture(autouse=True)
def forget():
    addresses._reverse.cache_clear()
    yield
    addresses._reverse.cache_clear()


@pytest.mark.parametrize(
    "source, expected",
    [
        ("{% url 'home:index' %}", lambda: reverse("home:index")),
        ("{% url 'boards:detail' board='news' pk=7 %}", lambda: reverse("boards:detail", kwargs=NEWS_7)),
        ("{% url 'home:banner-image' 3 %}", lambda: reverse("home:banner-image", args=[3])),
        ("{% url 'boards:list' board=slug as to %}[{{ to }}]",
         lambda: f"[{reverse('boards:list', kwargs=NEWS)}]"),
        ("{% url 'no-such-page' as link %}[{{ link }}]", lambda: "[]"),
    ],
)
def test_url_tag_gives_what_djangos_reverse_gives(source, expected):
    assert render(source, slug="news") == expected()
    assert render(source, slug="news") == expected()  # and again, from memory


def test_an_unknown_name_still_fails_loudly():
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            render("{% url 'no-such-page' %}")


def test_url_tag_escapes_like_djangos():
    address = reverse("subscriptions:confirm", kwargs={"token": 'a&b"c'})
    assert "&" in address
    source = "{% url 'subscriptions:confirm' token=token %}"
    assert render(source, token='a&b"c') == address.replace("&", "&amp;").replace('"', "&quot;")
    assert render("{% autoescape off %}" + source + "{% endautoescape %}", token='a&b"c') == address


def test_the_second_render_resolves_nothing(monkeypatch):
    calls = []

    def counting_reverse(*args, **kwargs):
        calls.append(args[0])
        return reverse(*args, **kwargs)

    monkeypatch.setattr(addresses, "reverse", counting_reverse)
    source = "{% url 'home:index' %} {% url 'boards:detail' board='news' pk=7 %} {% url 'home:index' %}"
    first = render(source)
    second = render(source)
    assert first == second == f"/ {reverse('boards:detail', kwargs={'board': 'news', 'pk': 7})} /"
    assert calls == ["home:index", "boards:detail"]


def test_the_script_prefix_is_part_of_the_answer():
    assert render("{% url 'home:index' %}") == "/"
    set_script_prefix("/portal/")
    try:
        assert render("{% url 'home:index' %}") == "/portal/"
    finally:
        clear_script_prefix()
    assert render("{% url 'home:index' %}") == "/"


def test_another_urlconf_is_not_answered_from_the_first():
    assert render("{% url 'healthz' %}") == "/healthz"
    with override_settings(ROOT_URLCONF="tests.test_addresses"):
        assert render("{% url 'healthz' %}") == "/elsewhere/healthz"
    assert render("{% url 'healthz' %}") == "/healthz"


def test_an_argument_that_cannot_be_a_key_is_resolved_each_time():
    assert addresses.remembered_reverse("boards:list", kwargs={"board": "news"}) == "/news/"
    unhashable = {"token": ["x"]}
    assert addresses.remembered_reverse("subscriptions:confirm", kwargs=unhashable) == reverse(
        "subscriptions:confirm", kwargs=unhashable
    )
    assert addresses._reverse.cache_info().currsize == 1


# ---------------------------------------------------------------- static files


@pytest.fixture
def storage(tmp_path, settings):
    settings.STATIC_URL = "/static/"
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "hash": "x", "paths": {"css/portal.css": "css/portal.0123abcd.css"}})
    )
    return StaticFilesStorage(location=str(tmp_path))


def test_static_address_is_the_hashed_name_and_remembered(storage, monkeypatch):
    assert storage.url("css/portal.css") == "/static/css/portal.0123abcd.css"
    whitenoise_storage = StaticFilesStorage.__mro__[1]
    monkeypatch.setattr(whitenoise_storage, "url", lambda *args, **kwargs: pytest.fail("asked again"))
    assert storage.url("css/portal.css") == "/static/css/portal.0123abcd.css"


def test_a_name_missing_from_the_manifest_fails_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError):
            storage.url("css/missing.css")
    assert storage._addresses == {}


def test_static_address_under_debug_is_the_plain_name(storage, settings):
    assert storage.url("css/portal.css") == "/static/css/portal.0123abcd.css"
    settings.DEBUG = True
    assert storage.url("css/portal.css") == "/static/css/portal.css"
