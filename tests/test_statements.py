"""search/statements.py: statements compiled once per shape, filled with each one's values."""

import pytest
from django.db.models.expressions import RawSQL

from notices.models import Notice
from search import statements


@pytest.fixture(autouse=True)
def fresh_templates():
    statements._templates.clear()
    yield
    statements._templates.clear()


def titled(given):
    return Notice.objects.filter(title=given["word"], pk__in=[given["pk"]]).values_list("pk")


def test_later_statements_of_a_shape_get_their_own_values_without_building():
    first = statements.statement(("test",), {"word": "채용", "pk": 7}, titled)
    built = []
    again = statements.statement(("test",), {"word": "주차", "pk": 9},
                                 lambda given: built.append(given) or titled(given))
    assert built == []  # the template served
    own_params = list(titled({"word": "주차", "pk": 9}).query.sql_with_params()[1])
    assert (again.sql, again.params) == (first.sql, own_params)
    assert again.params != first.params


def test_letter_case_and_absent_values_are_other_shapes():
    statements.statement(("test",), {"word": "채용", "pk": 1}, titled)
    statements.statement(("test",), {"word": "PDF", "pk": 1}, titled)
    statements.statement(("test",), {"word": "주차", "pk": 2, "until": None}, titled)
    assert len(statements._templates) == 2


def test_a_value_changed_on_its_way_into_the_parameters_is_never_filled_from_a_template():
    def containing(given):  # LIKE gets '%word%'
        return Notice.objects.filter(title__contains=given["word"]).values_list("pk")

    for word in ("채용", "주차"):
        found = statements.statement(("contains",), {"word": word}, containing)
        assert list(found.params) == [f"%{word}%"]
    assert list(statements._templates.values()) == [None]


def test_a_value_the_sql_would_hold_inline_is_never_filled_from_a_template():
    def inlined(given):
        return Notice.objects.annotate(word=RawSQL(f"'{given['word']}'", [])).values_list("word")

    for word in ("채용", "주차"):
        found = statements.statement(("inline",), {"word": word}, inlined)
        assert f"'{word}'" in found.sql
    assert list(statements._templates.values()) == [None]


def test_a_full_cache_starts_again_and_still_answers(monkeypatch):
    monkeypatch.setattr(statements, "CACHE_SIZE", 1)
    first = statements.statement(("one",), {"word": "채용", "pk": 1}, titled)
    second = statements.statement(("two",), {"word": "주차", "pk": 2}, titled)
    assert len(statements._templates) == 1
    assert list(first.params) == list(titled({"word": "채용", "pk": 1}).query.sql_with_params()[1])
    assert list(second.params) == list(titled({"word": "주차", "pk": 2}).query.sql_with_params()[1])
