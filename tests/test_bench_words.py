"""make bench's uncached search rows: the words they measure are never answered by the search cache.

Each rotating row sends every word once; its warm-up sends words of its own. A warm-up word
that is also measured (by either row), or shared by the two warm-ups, would be answered
from a worker's search cache and make the row look faster than a search is.
"""

from urllib.parse import unquote

from bench import run


def words(paths):
    return [unquote(path.removeprefix("/search/?q=")) for path in paths]


def test_the_two_rows_measure_disjoint_words_each_sent_once():
    first, second = (words(run.rotating_paths(label)) for label in run.ROTATING)
    assert len(set(first)) == len(first) and len(set(second)) == len(second)
    assert not set(first) & set(second)
    assert len(first) + len(second) == len(run.rotating_search_paths())


def test_warm_up_words_are_never_measured_and_each_row_has_its_own():
    measured = set(words(run.rotating_search_paths()))
    warm = {label: words(run.warmup_search_paths(label)) for label in run.ROTATING}
    for label, found in warm.items():
        # enough for WARMUP_SECONDS at the fastest rate measured (87 searches a second)
        assert len(found) == len(set(found)) >= run.WARMUP_SECONDS * 90, label
        assert all(len(word) == 2 for word in found), label
        assert not set(found) & measured, label
    first, second = warm.values()
    assert not set(first) & set(second)
