"""On PostgreSQL, searches and list pages use their indexes (EXPLAIN on generated data).

pg_trgm cannot serve 1- and 2-syllable queries; the gram index of the ``search``
migration can. These tests load 20,000 posts from the scale generator (committed
for this module, removed afterwards), ANALYZE, and read the planner's choice.
Nothing forces the plan: no ``enable_seqscan = off``.
"""

import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from bench import scale_data as scale
from boards import registry
from search import engine, results, schema
from subscriptions.announcing import forget_deleted_posts
from notices.models import NoticeAttachment
from tests.factories import NewsFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the gram index and EXPLAIN plans are PostgreSQL's"),
]

POSTS = 20_000
# Words the generator's vocabulary never uses, so the planner knows them to be rare.
RARE = {"뜰": "마을뜰 가꾸기 주민 모임", "텃밭": "옥상텃밭 분양 안내", "도시농업": "도시농업 체험 교실 운영"}


@pytest.fixture(scope="module")
def scale_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            for table, _, _ in schema.tables():
                cursor.execute(schema.drop_gram_index_sql(table))
        generator = scale.Generator(
            seed=7, posts=POSTS, years=20, until=datetime.date(2026, 1, 31), attachment_share=0.05,
            departments=[department.pk for department in scale.ensure_departments()],
            numbers=scale.used_numbers(),
        )
        for batch in generator.batches(5000):
            scale.insert_batch(batch, 5000)
        with transaction.atomic():
            for n, title in enumerate(RARE.values()):
                for copy in range(3):
                    NewsFactory(title=f"{title} {copy}", department_id=generator.departments[n])
        with connection.cursor() as cursor:
            for table in schema.tables():
                cursor.execute(schema.gram_index_sql(*table))
                cursor.execute(f"ANALYZE {table[0]}")
        yield
        scale.clear_generated()
        forget_deleted_posts()  # the rare posts' announcements (subscriptions) went with no delete signal
        with connection.cursor() as cursor:
            for table, _, _ in schema.tables():
                cursor.execute(f"ANALYZE {table}")


def plan(queryset):
    return queryset.explain()


@pytest.mark.parametrize("word", list(RARE))
def test_one_two_and_four_syllable_searches_use_the_gram_index(scale_data, word):
    news = registry.get("news")
    queryset = news.posts().published().search(word).for_list()[:10]
    explained = plan(queryset)
    assert "Bitmap Index Scan on notices_notice_search" in explained, explained
    assert len(list(queryset)) == 3
    assert all(word in post.title for post in queryset)


def test_the_index_serves_every_board_and_the_attachments(scale_data):
    for board in registry.all_boards():
        explained = plan(board.posts().published().search("텃밭"))
        assert f"Bitmap Index Scan on {board.model._meta.db_table}_search" in explained, explained
    # The 붙임 tables hold a few hundred rows here, where reading the table beats an
    # index; 통합검색 turns that off for its queries (enable_seqscan), and so does this.
    for model in {board.attachment_model for board in registry.all_boards()}:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            explained = plan(engine.match(model.objects.all(), ["텃밭"], ("original_name", "extracted_text")))
        assert f"Bitmap Index Scan on {model._meta.db_table}_search" in explained, explained


def test_text_past_the_gram_cap_is_still_found(scale_data):
    """Rows longer than the keys cover have none; the partial *_search_unkeyed index admits them."""
    filler = "가" * schema.GRAM_TEXT_LIMIT
    long_post = NewsFactory(title="아주 긴 본문", body=f"<p>{filler} 끝자락텃밭</p>")
    short_post = NewsFactory(title="짧은 글", body="<p>끝자락텃밭</p>")
    found = registry.get("news").posts().published().search("끝자락텃밭")
    assert set(found) == {long_post, short_post}
    explained = plan(found)
    assert "notices_notice_search_unkeyed" in explained and "BitmapOr" in explained, explained
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM notices_notice WHERE search_keys IS NULL")
        assert [row[0] for row in cursor.fetchall()] == [long_post.pk]


@pytest.mark.parametrize("slug", [board.slug for board in registry.all_boards()])
def test_list_pages_use_the_list_index(scale_data, slug):
    board = registry.get(slug)
    index = next(index.name for index in board.model._meta.indexes if index.name.endswith("_list"))
    explained = plan(board.posts().published().for_list()[:10])
    assert f"Index Scan using {index} on {board.model._meta.db_table}" in explained, explained
    assert "Sort" not in explained.split("SubPlan")[0], explained


@pytest.mark.parametrize("word", list(RARE))
def test_title_searches_use_the_title_index(scale_data, word):
    """제목 search and 정확도순's title-first query read the heading keys' own index."""
    found = registry.get("news").posts().published().search(word, field="title")
    assert "Bitmap Index Scan on notices_notice_search_title" in plan(found), plan(found)
    assert found.count() == 3
    # 붙임 names use the same column and index; their tables hold a few hundred rows
    # here, where a sequential scan is the planner's right choice, so only the SQL is checked.
    files = engine.match(NoticeAttachment.objects.all(), [word], ("original_name",))
    assert '"title_keys" @> ' in str(files.query)


def test_attachments_are_read_in_search_order_from_their_own_index(scale_data):
    """통합검색 lists 붙임 newest post first: the 붙임 table's copy of the date has an index in that order."""
    newest = NoticeAttachment.objects.filter(post__is_published=True).order_by(*results.FILE_ORDER)[:5]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few hundred rows here (see above)
        explained = newest.explain()
    assert "Index Scan using noticeattachment_newest" in explained, explained
    assert "Sort" not in explained, explained


@pytest.mark.django_db(transaction=True)
def test_a_search_that_takes_too_long_is_stopped_with_a_korean_message(client, settings, monkeypatch):
    NewsFactory(title="주차장 안내")
    real_plan = results.KeyPlan

    def slow_plan(using, words):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.5)")  # a query slower than the limit below
        return real_plan(using, words)

    monkeypatch.setattr(results, "KeyPlan", slow_plan)
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 100
    response = client.get("/search/", {"q": "주차장"})
    assert response.status_code == 503
    assert "검색이 너무 오래 걸려 멈추었습니다" in response.content.decode()

    monkeypatch.setattr(results, "KeyPlan", real_plan)
    response = client.get("/search/", {"q": "주차장"})
    assert response.status_code == 200 and "<mark>주차장</mark>" in response.content.decode()


def test_every_board_sharing_a_table_has_its_own_key_index():
    """search/schema.py partitions() must name every kind the model can hold."""
    from notices.models import Notice

    column, values = schema.partitions()["notices_notice"]
    assert column == "kind" and set(values) == set(Notice.Kind.values)
    assert {board.filters["kind"] for board in registry.all_boards() if board.model is Notice} <= set(values)


def test_search_keys_are_kept_in_the_row():
    """KEY_STORAGE (search/schema.py): a newest-first reading checks keys without a TOAST lookup."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attname, attstorage FROM pg_attribute "
            "WHERE attrelid = ANY(%s::regclass[]) AND attname IN (%s, %s)",
            [[table for table, _, _ in schema.tables()], schema.KEY_COLUMN, schema.TITLE_KEY_COLUMN],
        )
        storage = {(table, column): kind for table, column, kind in cursor.fetchall()}
    assert len(storage) == 2 * len(schema.tables())
    assert set(storage.values()) == {"m"}, storage


@pytest.mark.parametrize("sort", ["latest", "relevance"])
def test_bounded_reading_and_two_step_counts_give_the_plain_answers(client, monkeypatch, sort):
    """With a cutoff of 4 posts and a cap of 3 every path of search/cutoffs.py runs."""
    from search import cutoffs

    monkeypatch.setattr(cutoffs, "CUTOFF_ROWS", 4)
    monkeypatch.setattr(results, "COUNT_CAP", 3)
    start = datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.timezone.utc)
    bodies = {0: "옛 옥상정원 소식", 1: "본문", 6: "요즘 옥상정원", 9: "가장 새 옥상정원 글"}
    titles = {1: "옥상정원 개방"}  # an old title match: 정확도순 puts it first
    for n in range(12):  # n = 11 is the newest; the cutoff is n = 7 (the fifth newest)
        NewsFactory(title=titles.get(n, f"소식 {n}"), body=f"<p>{bodies.get(n, '다른 이야기')}</p>",
                    published_at=start + datetime.timedelta(days=n))
    expected = {"latest": ["소식 9", "소식 6", "옥상정원 개방", "소식 0"],
                "relevance": ["옥상정원 개방", "소식 9", "소식 6", "소식 0"]}
    response = client.get("/search/", {"q": "옥상정원", "board": "news", "sort": sort})
    news = {group.slug: group for group in response.context["groups"]}["news"]
    assert [hit.title.replace("<mark>", "").replace("</mark>", "") for hit in news.hits] == expected[sort]
    # One match since the cutoff, three before it: 4, which is past the cap of 3.
    assert news.count == 4 and news.capped


def test_bounded_reading_when_recent_posts_fill_the_group(client, monkeypatch):
    from search import cutoffs

    monkeypatch.setattr(cutoffs, "CUTOFF_ROWS", 12)  # thirteen posts since the cutoff
    monkeypatch.setattr(results, "COUNT_CAP", 9)  # the newest ten of them fill the group
    start = datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.timezone.utc)
    for n in range(20):
        NewsFactory(title=f"소식 {n}", body="<p>옥상정원</p>", published_at=start + datetime.timedelta(days=n))
    response = client.get("/search/", {"q": "옥상정원", "board": "news", "sort": "latest"})
    news = {group.slug: group for group in response.context["groups"]}["news"]
    assert [hit.title.replace("<mark>", "").replace("</mark>", "") for hit in news.hits] == [
        f"소식 {n}" for n in range(19, 9, -1)
    ]
    assert news.count == 10 and news.capped


@pytest.mark.parametrize("only", ["news", ""])
def test_newest_title_matches_from_recent_and_older_rows(client, monkeypatch, only):
    """정확도순 on a dense group: title matches since the cutoff, then older ones sorted (one UNION ALL)."""
    from search import cutoffs

    monkeypatch.setattr(cutoffs, "CUTOFF_ROWS", 4)  # five rows since the cutoff: n = 7 … 11
    monkeypatch.setattr(results, "COUNT_CAP", 9)  # twelve matches: past the cap
    start = datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.timezone.utc)
    in_title = {1, 2, 8, 9, 10, 11} if only else {7, 8, 9, 10, 11}  # n = 11 is the newest
    for n in range(12):
        NewsFactory(title=f"옥상정원 {n}" if n in in_title else f"소식 {n}", body="<p>옥상정원 이야기</p>",
                    published_at=start + datetime.timedelta(days=n))
    response = client.get("/search/", {"q": "옥상정원", **({"board": only} if only else {})})
    news = {group.slug: group for group in response.context["groups"]}["news"]
    shown = [hit.title.replace("<mark>", "").replace("</mark>", "") for hit in news.hits]
    if only:  # ten shown: the six title matches newest first, then the other posts newest first
        assert shown == ["옥상정원 11", "옥상정원 10", "옥상정원 9", "옥상정원 8", "옥상정원 2", "옥상정원 1",
                         "소식 7", "소식 6", "소식 5", "소식 4"]
    else:  # five shown, all title matches since the cutoff
        assert shown == [f"옥상정원 {n}" for n in (11, 10, 9, 8, 7)]
    assert news.capped


@pytest.mark.parametrize("sort", ["latest", "relevance"])
def test_bounded_reading_of_attachments_gives_the_plain_answers(client, monkeypatch, sort):
    """붙임 are read newest post first from their own copy of its date, in two parts as posts are."""
    from search import cutoffs
    from tests.factories import make_attachment

    monkeypatch.setattr(cutoffs, "CUTOFF_ROWS", 4)
    monkeypatch.setattr(results, "COUNT_CAP", 3)
    start = datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.timezone.utc)
    texts = {0: "옛 옥상정원 서식", 6: "요즘 옥상정원 서식", 9: "가장 새 옥상정원 서식", 10: "옥상정원", 11: "옥상정원"}
    names = {1: "옥상정원 개방 안내.hwp"}  # an old name match: 정확도순 puts it first
    for n in range(12):  # n = 11 is the newest
        # n = 10 is not public yet, n = 11 is switched off: their 붙임 are never found.
        scheduled = timezone.now() + datetime.timedelta(days=1)
        post = NewsFactory(
            title=f"소식 {n}", published_at=scheduled if n == 10 else start + datetime.timedelta(days=n),
            is_published=n != 11,
        )
        attachment = make_attachment(post)
        type(attachment).objects.filter(pk=attachment.pk).update(
            original_name=names.get(n, f"붙임 {n}.pdf"), extracted_text=texts.get(n, "다른 서식"),
        )
    expected = {"latest": ["소식 9", "소식 6", "소식 1", "소식 0"], "relevance": ["소식 1", "소식 9", "소식 6", "소식 0"]}
    response = client.get("/search/", {"q": "옥상정원", "board": "files", "sort": sort})
    files = {group.slug: group for group in response.context["groups"]}["files"]
    assert [hit.post_title for hit in files.hits] == expected[sort]
    assert files.count == 4 and files.capped


def test_the_next_scheduled_post_is_found_from_the_list_index(scale_data):
    """Pages are kept until the next scheduled post (boards/pagecache.py): one index entry a board."""
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from boards import pagecache

    for board in registry.all_boards():
        with CaptureQueriesContext(connection) as queries:
            pagecache.upcoming_post(board, timezone.now())
        [query] = queries.captured_queries
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + query["sql"])
            explained = "\n".join(row[0] for row in cursor.fetchall())
        # The index is entered at the first future post, not read through with a filter.
        # The index is entered at the board's first future post, not read through:
        # its condition holds the board's own columns (kind) ahead of the date.
        [condition] = [line for line in explained.splitlines() if "Index Cond:" in line]
        assert "published_at >" in condition, explained
        assert all(f"({column} = " in condition for column in board.filters), explained
        assert "Seq Scan" not in explained and "Bitmap" not in explained, explained



def test_cutoffs_are_reused_for_their_age_and_read_again_after(monkeypatch, django_assert_num_queries):
    """search/cutoffs.py: a process keeps the cutoffs SEARCH_CUTOFF_SECONDS (any gives the same answers)."""
    from search import cutoffs

    monkeypatch.setattr(cutoffs, "_cutoffs", {})
    monkeypatch.setattr(cutoffs, "CUTOFF_ROWS", 1)
    posts = [NewsFactory(title=f"컷오프 소식 {n}") for n in range(3)]  # the factory's newest first
    groups = {"news": (registry.get("news").posts().filter(title__startswith="컷오프"), "published_at")}
    with django_assert_num_queries(1):
        assert cutoffs.board_cutoffs(groups, max_age=600) == {"news": posts[1].published_at}
    NewsFactory(title="컷오프 더 새 소식", published_at=timezone.now())
    with django_assert_num_queries(0):
        assert cutoffs.board_cutoffs(groups, max_age=600) == {"news": posts[1].published_at}
    with django_assert_num_queries(1):  # past its age: read again, and the new post moved it
        assert cutoffs.board_cutoffs(groups, max_age=0) == {"news": posts[0].published_at}


EQUIVALENCE_NOW = datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.timezone.utc)
SEARCHES = [
    {"words": ["공고"]},  # dense everywhere: recent rows, extra steps
    {"words": ["공고"], "sort": "latest"},
    {"words": ["텃밭"]},  # rare: every key, the overlap form
    {"words": ["주민", "센터"]},
    {"words": ["PDF", "안내"]},  # letter case
    {"words": ["안내"], "since": EQUIVALENCE_NOW - datetime.timedelta(days=365)},
    {"words": ["공고"], "since": datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
     "until": datetime.datetime(2021, 1, 1, tzinfo=datetime.timezone.utc), "sort": "latest"},
    {"words": ["공고"], "only": "files", "page": 4},
    {"words": ["채용"], "only": "recruitment"},
    {"words": ["신청"], "only": "files", "sort": "latest"},
]


@pytest.mark.parametrize("cutoff_rows", [2000, 30])  # 30: few recent rows, so older ones are sorted too
@pytest.mark.parametrize("search", SEARCHES, ids=lambda search: "-".join(map(str, search.values())))
def test_statements_compiled_once_are_the_ones_the_orm_builds(scale_data, monkeypatch, search, cutoff_rows):
    """search/statements.py: a template filled with a search's values is that search's own SQL."""
    from django.test.utils import CaptureQueriesContext

    from search import cutoffs, statements

    monkeypatch.setattr(cutoffs, "CUTOFF_ROWS", cutoff_rows)

    def run(compile_once):
        monkeypatch.setattr(results, "COMPILE_ONCE", compile_once)
        with CaptureQueriesContext(connection) as captured:
            groups = results.Search(query=" ".join(search["words"]), now=EQUIVALENCE_NOW, **search).run()
        shown = [(group.slug, group.count, [hit.url for hit in group.hits]) for group in groups]
        executed = [query["sql"] for query in captured.captured_queries]
        return [sql for sql in executed if sql.startswith("SELECT 0 AS part")], shown

    orm_statements, orm_shown = run(False)
    statements._templates.clear()
    first_statements, first_shown = run(True)  # compiles the templates
    again_statements, again_shown = run(True)  # fills them in
    assert statements._templates and None not in statements._templates.values()
    assert first_statements == orm_statements == again_statements
    assert first_shown == orm_shown == again_shown
    assert any(count for _, count, _ in orm_shown) or search["words"] == ["텃밭"]


def test_a_search_with_compiled_statements_builds_no_querysets_for_its_parts(monkeypatch):
    """search/statements.py: once a shape's template exists, a part's base queryset is never built."""
    from search import statements

    NewsFactory(title="옥상정원 개방")
    built = []
    for name in ("board_posts", "table_files"):
        real = getattr(results.Search, name)
        monkeypatch.setattr(results.Search, name,
                            lambda self, owner, real=real: built.append(owner) or real(self, owner))
    statements._templates.clear()

    def search():
        return results.Search(words=["옥상정원"], query="옥상정원").run()

    first = search()  # compiles the templates from a twin search's parts
    assert built
    built.clear()
    again = search()
    assert built == []
    assert [group.count for group in again] == [group.count for group in first]
    assert {group.slug: group.count for group in again}["news"] == 1


@pytest.mark.parametrize("count, limit", [(1, 1), (3, 5), (5, 5), (41, 50), (51, 101), (101, 101)])
def test_limits_come_from_a_few_sizes(count, limit):
    from search.reading import limit_for

    assert limit_for(count, 100) == limit
