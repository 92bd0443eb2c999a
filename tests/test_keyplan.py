"""search/keyplan.py: which keys a word looks up, from the column statistics (no database needed)."""

from search import keyplan

TABLE, COLUMN = "notices_notice", "search_keys"


def plan_for(word_keys, frequencies, monkeypatch):
    monkeypatch.setitem(keyplan._statistics, "frequencies", {(TABLE, COLUMN): frequencies})
    plan = keyplan.KeyPlan.__new__(keyplan.KeyPlan)  # skips the query; its results are set here
    plan.word_keys = word_keys
    return plan


def test_a_common_word_looks_up_its_rarest_listed_key_alone(monkeypatch):
    # "주민자치": pairs 주민, 민자, 자치 (keys 1, 2, 3) and characters (11–14), all listed.
    plan = plan_for([([1, 2, 3], [11, 12, 13, 14])], {1: 0.18, 2: 0.87, 3: 0.38}, monkeypatch)
    assert plan.keys(TABLE, COLUMN) == ([1], False)


def test_a_word_with_an_unlisted_key_is_rare_and_looks_up_every_key(monkeypatch):
    plan = plan_for([([1, 2, 3], [11, 12, 13, 14])], {1: 0.18, 3: 0.38}, monkeypatch)
    assert plan.keys(TABLE, COLUMN) == ([1, 2, 3, 11, 12, 13, 14], True)


def test_words_are_chosen_one_by_one_and_other_columns_have_their_own_statistics(monkeypatch):
    plan = plan_for([([1, 2], [11, 12]), ([5], [5])], {1: 0.5, 2: 0.2, 5: 0.01}, monkeypatch)
    assert plan.keys(TABLE, COLUMN) == ([2, 5], False)
    # No statistics for the heading keys: every key counts as unlisted, so rare.
    assert plan.keys(TABLE, "title_keys") == ([1, 2, 5, 11, 12], True)


def test_ties_and_empty_words_are_handled(monkeypatch):
    plan = plan_for([([7, 3], [70, 30]), ([], [])], {7: 0.1, 3: 0.1}, monkeypatch)
    assert plan.keys(TABLE, COLUMN) == ([3], False)  # equal frequency: the smaller key
