"""Shortcuts on every row of a list: they must give exactly what Django's own tools give."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import clear_script_prefix, reverse, set_script_prefix

from boards import registry
from tests.factories import BOARD_SLUGS, make_post


def render(source, **context):
    return Template("{% load portal %}" + source).render(Context(context))


@pytest.mark.parametrize("value", [
    datetime.datetime(2026, 1, 29, 5, 30, tzinfo=datetime.timezone.utc),
    datetime.datetime(2026, 12, 31, 16, 0, 0, 123456, tzinfo=datetime.timezone.utc),  # the next day in Seoul
    datetime.date(2026, 3, 1),
])
def test_iso_is_what_the_date_filter_gives_for_c(value):
    assert render("{{ value|iso }}", value=value) == render("{{ value|date:'c' }}", value=value)
    if isinstance(value, datetime.datetime):
        assert render("{{ value|iso }}", value=value).endswith("+09:00")


def test_iso_of_nothing_is_empty():
    assert render("[{{ value|iso }}]", value=None) == "[]" == render("[{{ value|date:'c' }}]", value=None)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_a_posts_address_is_the_one_reverse_gives(slug):
    post = make_post(slug)
    expected = reverse("boards:detail", kwargs={"board": slug, "pk": post.pk})
    assert post.get_absolute_url() == expected == registry.get(slug).detail_url(post.pk)
    set_script_prefix("/portal/")  # a site served under a path (SCRIPT_NAME)
    try:
        assert post.get_absolute_url() == f"/portal/{slug}/{post.pk}/" == reverse(
            "boards:detail", kwargs={"board": slug, "pk": post.pk})
    finally:
        clear_script_prefix()
    assert post.get_absolute_url() == expected
    assert registry.get(slug).download_url(7) == reverse("boards:download", kwargs={"board": slug, "pk": 7})


class ReadsFromReplica:
    def db_for_read(self, model, **hints):
        return "replica"


@pytest.mark.parametrize("slug", BOARD_SLUGS)
def test_a_boards_database_is_the_one_its_posts_are_read_from(settings, slug):
    board = registry.get(slug)
    assert board.db == board.posts().db == "default"
    settings.DATABASE_ROUTERS = [f"{__name__}.ReadsFromReplica"]  # a read replica, one day
    assert board.db == board.posts().db == "replica"
