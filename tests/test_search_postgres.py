"""On PostgreSQL: the search table (search/index.py), its triggers, its index, and the plans.

These tests load 20,000 posts from the scale generator (committed for this module,
removed afterwards) the way ``generate_scale_data`` does — triggers off, then the
table filled in bulk — ANALYZE, and read the planner's choice. Nothing forces the
plan: no ``enable_seqscan = off``.
"""

import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from bench import scale_data as scale
from boards import registry
from search import engine, index, parts, results
from subscriptions.announcing import forget_deleted_posts
from notices.models import NoticeAttachment
from tests.factories import NewsFactory, make_attachment

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the search table and EXPLAIN plans are PostgreSQL's"),
]

POSTS = 20_000
# Words the generator's vocabulary never uses, so the planner knows them to be rare.
RARE = {"뜰": "마을뜰 가꾸기 주민 모임", "텃밭": "옥상텃밭 분양 안내", "도시농업": "도시농업 체험 교실 운영"}


@pytest.fixture(scope="module")
def scale_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        index.remove_triggers()
        generator = scale.Generator(
            seed=7, posts=POSTS, years=20, until=datetime.date(2026, 1, 31), attachment_share=0.05,
            departments=[department.pk for department in scale.ensure_departments()],
            numbers=scale.used_numbers(),
        )
        for batch in generator.batches(5000):
            scale.insert_batch(batch, 5000)
        index.install(rebuild=True)
        with transaction.atomic():
            for n, title in enumerate(RARE.values()):
                for copy in range(3):
                    NewsFactory(title=f"{title} {copy}", department_id=generator.departments[n])
        with connection.cursor() as cursor:
            for table in {*index.post_tables(), *(files for files, _, _ in index.post_tables().values())}:
                cursor.execute(f"ANALYZE {table}")
            cursor.execute(f"ANALYZE {index.TABLE}")
        yield
        scale.clear_generated()
        forget_deleted_posts()  # the rare posts' announcements (subscriptions) went with no delete signal
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {index.TABLE}")


def plan(queryset):
    return queryset.explain()


@pytest.mark.parametrize("slug", [board.slug for board in registry.all_boards()])
def test_list_pages_use_the_list_index(scale_data, slug):
    board = registry.get(slug)
    index = next(index.name for index in board.model._meta.indexes if index.name.endswith("_list"))
    explained = plan(board.posts().published().for_list()[:10])
    assert f"Index Scan using {index} on {board.model._meta.db_table}" in explained, explained
    assert "Sort" not in explained.split("SubPlan")[0], explained


@pytest.mark.django_db(transaction=True)
def test_a_search_that_takes_too_long_is_stopped_with_a_korean_message(client, settings, monkeypatch):
    NewsFactory(title="주차장 안내")
    real_sql = parts.EntrySQL.__call__

    def slow_sql(self, part):  # a statement slower than the limit below
        found = real_sql(self, part)
        return found._replace(sql=f"SELECT * FROM ({found.sql}) AS found WHERE pg_sleep(0.5) IS NOT NULL")

    monkeypatch.setattr(parts.EntrySQL, "__call__", slow_sql)
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 100
    response = client.get("/search/", {"q": "주차장"})
    assert response.status_code == 503
    assert "검색이 너무 오래 걸려 멈추었습니다" in response.content.decode()

    monkeypatch.setattr(parts.EntrySQL, "__call__", real_sql)
    response = client.get("/search/", {"q": "주차장"})
    assert response.status_code == 200 and "<mark>주차장</mark>" in response.content.decode()


@pytest.mark.parametrize("sort", ["latest", "relevance"])
def test_bounded_reading_and_two_step_counts_give_the_plain_answers(client, monkeypatch, sort):
    """A cap of 3: the newest matches, and 정확도순's heading matches from their own part."""
    monkeypatch.setattr(results, "COUNT_CAP", 3)
    start = datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.timezone.utc)
    bodies = {0: "옛 옥상정원 소식", 1: "본문", 6: "요즘 옥상정원", 9: "가장 새 옥상정원 글"}
    titles = {1: "옥상정원 개방"}  # an old title match: 정확도순 puts it first
    for n in range(12):  # n = 11 is the newest
        NewsFactory(title=titles.get(n, f"소식 {n}"), body=f"<p>{bodies.get(n, '다른 이야기')}</p>",
                    published_at=start + datetime.timedelta(days=n))
    expected = {"latest": ["소식 9", "소식 6", "옥상정원 개방", "소식 0"],
                "relevance": ["옥상정원 개방", "소식 9", "소식 6", "소식 0"]}
    response = client.get("/search/", {"q": "옥상정원", "board": "news", "sort": sort})
    news = {group.slug: group for group in response.context["groups"]}["news"]
    assert [hit.title.replace("<mark>", "").replace("</mark>", "") for hit in news.hits] == expected[sort]
    # Four matches: past the cap of 3.
    assert news.count == 4 and news.capped


@pytest.mark.parametrize("sort", ["latest", "relevance"])
def test_matches_sharing_a_date_at_the_cut_come_in_the_lists_order(client, monkeypatch, sort):
    """The keys index orders by date alone; among posts of one 게시일시 the list's order (newest id first) decides."""
    monkeypatch.setattr(results, "COUNT_CAP", 3)
    moment = datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.timezone.utc)
    NewsFactory.create_batch(2, title="새 소식", published_at=moment + datetime.timedelta(days=1))
    posts = [NewsFactory(title=f"옥상정원 {n}", published_at=moment) for n in range(8)]
    response = client.get("/search/", {"q": "옥상정원", "board": "news", "sort": sort})
    news = {group.slug: group for group in response.context["groups"]}["news"]
    newest_ids_first = sorted(posts, key=lambda post: -post.pk)[:4]
    assert [hit.url for hit in news.hits] == [post.get_absolute_url() for post in newest_ids_first]
    assert news.count == 4 and news.capped


def test_bounded_reading_when_recent_posts_fill_the_group(client, monkeypatch):
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
    """정확도순 on a group past the cap: heading matches newest first, then the other matches."""
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
    else:  # five shown, all heading matches
        assert shown == [f"옥상정원 {n}" for n in (11, 10, 9, 8, 7)]
    assert news.capped


@pytest.mark.parametrize("sort", ["latest", "relevance"])
def test_bounded_reading_of_attachments_gives_the_plain_answers(client, monkeypatch, sort):
    """붙임 are read newest post first from their own copy of its date, in two parts as posts are."""
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


@pytest.mark.parametrize("search", SEARCHES, ids=lambda search: "-".join(map(str, search.values())))
def test_the_search_table_gives_the_answers_of_the_boards_own_tables(scale_data, search):
    """The PostgreSQL path (one table, plain SQL) and the ORM path (each board's table, as on SQLite)."""
    def shown(postgresql):
        run = results.Search(query=" ".join(search["words"]), now=EQUIVALENCE_NOW, **search)
        run.postgresql = postgresql
        return [(group.slug, group.count, [(hit.title, hit.url, hit.snippet) for hit in group.hits])
                for group in run.run()]

    from_table, from_boards = shown(True), shown(False)
    for mine, theirs in zip(from_table, from_boards):
        assert mine[:2] == theirs[:2]
        assert [hit[1] for hit in mine[2]] == [hit[1] for hit in theirs[2]], mine[0]
    assert from_table == from_boards
    assert search["words"] == ["텃밭"] or any(hits for _, _, hits in from_table), from_table


def entries(*where):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT source, object_id, grp, board, post_id, is_published, published_at, unpublish_at, position, "
            f"heading, body FROM {index.TABLE} WHERE {' AND '.join(where) or 'true'} ORDER BY source, object_id"
        )
        return cursor.fetchall()


def expected_entries(**only):
    rows = []
    for board in registry.all_boards():
        for post in board.posts().filter(**only):
            rows.append((board.model._meta.db_table, post.pk, board.slug, board.slug, post.pk, post.is_published,
                         post.published_at, post.unpublish_at, 0, post.title, post.body_text))
            for file in board.attachment_model.objects.filter(post=post):
                rows.append((board.attachment_model._meta.db_table, file.pk, index.FILES, board.slug, post.pk,
                             post.is_published, post.published_at, post.unpublish_at, file.order,
                             file.original_name, file.extracted_text))
    return sorted(rows)


def test_the_bulk_fill_holds_every_post_and_file_once(scale_data):
    """``install(rebuild=True)`` (generator, upgrade) wrote what the triggers would: one row each."""
    found = entries()
    assert len(found) > POSTS
    assert found == expected_entries()


def test_triggers_keep_the_table_current():
    post = NewsFactory(title="옥상양봉장 개방", body="<p>첫 본문</p>")
    file = make_attachment(post)
    NoticeAttachment.objects.filter(pk=file.pk).update(extracted_text="정원 관리 서식")
    mine = f"post_id = {post.pk}"
    assert entries(mine) == expected_entries(pk=post.pk) != []

    def found(word, field="all"):
        return list(registry.get("news").posts().search(word, field))

    assert found("옥상양봉장") == [post] and found("첫본문") == []
    post.title, post.body = "마을양봉장 개방", "<p>둘째 본문</p>"
    post.save()
    assert found("옥상양봉장") == [] and found("마을양봉", "title") == [post] and found("둘째") == [post]
    later = timezone.now() + datetime.timedelta(days=3)
    type(post).objects.filter(pk=post.pk).update(is_published=False, published_at=later, kind="notice")
    assert entries(mine) == expected_entries(pk=post.pk)  # the 붙임's copy of 공개 and 게시일시 moved along, and the board
    assert found("마을양봉") == [] and list(registry.get("notices").posts().search("마을양봉")) == [post]
    NoticeAttachment.objects.filter(pk=file.pk).delete()
    assert entries("object_id = %d" % file.pk, f"source = '{NoticeAttachment._meta.db_table}'") == []
    post.delete()
    assert entries(mine) == []


def explain(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("word", ["숲", "채용", "주민자치", *RARE])
def test_each_quarter_is_read_through_the_keys_index(scale_data, word):
    """search_newest reads one posting list a quarter: the keys index alone, never a group's whole list index."""
    assert index_is_rum(), "PostgreSQL has no RUM: apt-get install postgresql-15-rum (.ci/run does)"
    for group in ("news", "notices", "press", "files"):
        for part in ("", "t:", "*"):
            bucket = f"{group}@{quarter_of(EQUIVALENCE_NOW)}" if part == "" else group  # headings: one bucket
            found = explain(
                "SELECT * FROM search_bucket(search_query_keys(%s, %s, %s), %s, %s, '{}', %s, %s, NULL, NULL, 101)",
                [bucket, [word], part, group, [word], part, EQUIVALENCE_NOW],
            )
            assert f"Index Scan using {index.INDEX}" in found or f"Bitmap Index Scan on {index.INDEX}" in found, found
            assert "Seq Scan" not in found and "search_entry_newest" not in found, found


def index_is_rum():
    with connection.cursor() as cursor:
        cursor.execute("SELECT am.amname = 'rum' FROM pg_class AS c JOIN pg_am AS am ON am.oid = c.relam "
                       "WHERE c.relname = %s", [index.INDEX])
        return cursor.fetchone()[0]


def quarter_of(moment):
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_quarter(%s)", [moment])
        return cursor.fetchone()[0]


@pytest.mark.parametrize("sort", ["latest", "relevance"])
def test_matches_across_quarters_come_newest_first(client, monkeypatch, sort):
    """Matches in every other quarter over four years: the newest four, then the count past the cap."""
    monkeypatch.setattr(results, "COUNT_CAP", 3)
    for n in range(16):  # n = 15 is the newest; quarters between them hold none
        NewsFactory(title=f"옥상정원 {n}" if n in (2, 13) else f"소식 {n}", body="<p>옥상정원 이야기</p>",
                    published_at=datetime.datetime(2022 + n // 4, 1 + 3 * (n % 4), 15, 9, tzinfo=datetime.timezone.utc))
    NewsFactory.create_batch(3, title="다른 소식", published_at=datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc))
    response = client.get("/search/", {"q": "옥상정원", "board": "news", "sort": sort})
    news = {group.slug: group for group in response.context["groups"]}["news"]
    shown = [hit.title.replace("<mark>", "").replace("</mark>", "") for hit in news.hits]
    expected = {"latest": ["소식 15", "소식 14", "옥상정원 13", "소식 12"],
                "relevance": ["옥상정원 13", "옥상정원 2", "소식 15", "소식 14", "소식 12"]}  # heading matches, then the newest
    assert shown == expected[sort]
    assert news.count == 4 and news.capped


def test_a_post_moved_to_another_quarter_is_found_there():
    """게시일시 changed across a quarter: the post's keys and its 붙임's are salted anew."""
    post = NewsFactory(title="옥상양봉장 개방", published_at=datetime.datetime(2021, 2, 3, tzinfo=datetime.timezone.utc))
    file = make_attachment(post)
    NoticeAttachment.objects.filter(pk=file.pk).update(extracted_text="꿀벌정원 관리 서식")
    moved = datetime.datetime(2024, 8, 9, tzinfo=datetime.timezone.utc)
    type(post).objects.filter(pk=post.pk).update(published_at=moved)
    assert list(registry.get("news").posts().search("옥상양봉장")) == [post]
    found = {group.slug: group.count for group in results.Search(words=["꿀벌정원"], query="꿀벌정원").run()}
    assert found["files"] == 1
    found = {group.slug: group.count for group in results.Search(words=["옥상양봉장"], query="옥상양봉장").run()}
    assert found["news"] == 1
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {index.TABLE} WHERE post_id = %s AND keys = search_entry_keys("
                       "grp, published_at, heading, body)", [post.pk])
        assert cursor.fetchone()[0] == 2


def test_lists_narrow_their_search_through_the_index(scale_data):
    for board in registry.all_boards():
        explained = board.posts().published().search("텃밭").explain()
        assert f"Bitmap Index Scan on {index.INDEX}" in explained, explained
    for model in registry.attachment_models():
        explained = engine.match(model.objects.all(), ["텃밭"], ("original_name",)).explain()
        assert index.TABLE in explained, explained


@pytest.mark.parametrize("slug", ["news", "press"])
def test_a_list_search_for_a_rare_word_reads_its_few_matches_by_id(scale_data, slug):
    """The quarters' lookups are estimated as few: the page is read by id, not by walking the board checking LIKE."""
    board = registry.get(slug)
    explained = plan(board.posts().published().search("도시농업").for_list()[:10])
    table = board.model._meta.db_table
    assert f"Seq Scan on {table}" not in explained, explained
    lists = [index.name for index in board.model._meta.indexes if index.name.endswith("_list")]
    assert not any(name in explained for name in lists), explained


def test_the_portal_runs_its_statements_without_jit():
    """A list search over every quarter looks big to the planner; compiling it would cost far more than it takes."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_text_past_the_gram_cap_is_still_found(scale_data):
    """A text longer than the keys cover keeps one unkeyed key; LIKE decides there."""
    filler = "가" * index.GRAM_TEXT_LIMIT
    long_post = NewsFactory(title="아주 긴 본문", body=f"<p>{filler} 끝자락텃밭</p>")
    short_post = NewsFactory(title="짧은 글", body="<p>끝자락텃밭</p>")
    assert set(registry.get("news").posts().published().search("끝자락텃밭")) == {long_post, short_post}
    found = results.Search(words=["끝자락텃밭"], query="끝자락텃밭", only="news").run()
    assert found[0].count == 2
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT object_id FROM {index.TABLE} WHERE cardinality(keys) < 10 AND grp = 'news'")
        assert long_post.pk in {row[0] for row in cursor.fetchall()}


def test_without_rum_a_gin_index_gives_the_same_answers(scale_data):
    """A server without postgresql-15-rum: the same table with GIN, the matches sorted instead."""
    def answers():
        return [(group.slug, group.count, [hit.url for hit in group.hits])
                for word in ("채용", "텃밭", "주민 센터")
                for group in results.Search(words=word.split(), query=word, now=EQUIVALENCE_NOW).run()]

    with_rum = answers()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")  # the searches' SET LOCAL lasts the test's transaction
            cursor.execute(f"DROP INDEX {index.INDEX}")
            cursor.execute(index.GIN_INDEX_SQL)
            assert index.RUM_ORDER in index.SCHEMA_SQL
            cursor.execute(index.schema_sql(use_rum=False))  # as install() makes it without RUM
            cursor.execute("SELECT pg_get_functiondef('search_bucket'::regproc)")
            assert "<=|" not in cursor.fetchone()[0]
        assert not index_is_rum()
        assert answers() == with_rum
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")  # the searches' SET LOCAL lasts the test's transaction
            cursor.execute(f"DROP INDEX IF EXISTS {index.INDEX}")
            cursor.execute(index.RUM_INDEX_SQL)
            cursor.execute(index.schema_sql(use_rum=True))


def test_a_new_board_table_gets_its_triggers_and_rows_after_migrate():
    """``install`` after ``migrate``: a table without triggers is filled once; with them, nothing is done."""
    post = NewsFactory(title="새 표의 글")
    index.remove_triggers()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {index.TABLE}")
    assert set(index.install()) == {board.model._meta.db_table for board in registry.all_boards()}
    assert entries(f"object_id = {post.pk}", "source = 'notices_notice'") != []
    assert index.install() == []


def search_newest_with_plans(group, word):
    """search_newest's rows for ``word`` in ``group`` and the plans of what it ran (auto_explain)."""
    notices = []

    def keep(notice):
        notices.append(notice.message_primary)

    with connection.cursor() as cursor:
        raw = cursor.connection
        raw.add_notice_handler(keep)
        cursor.execute("LOAD 'auto_explain'")
        cursor.execute("SET LOCAL auto_explain.log_min_duration = 0; SET LOCAL auto_explain.log_level = 'notice';"
                       " SET LOCAL auto_explain.log_nested_statements = on")
        cursor.execute("SELECT * FROM search_newest(%s, %s::text[], %s::text[], '{}'::text[], '', now(), NULL, NULL,"
                       " 101)", [group, [word], [f"%{word}%"]])
        found = cursor.fetchall()
        cursor.execute("SET LOCAL auto_explain.log_min_duration = -1")
        raw.remove_notice_handler(keep)
    return found, " ".join(notices)


def test_a_group_without_texts_too_long_to_key_never_reads_its_unkeyed_bucket():
    """search_newest reads a group's unkeyed bucket only when the group has a text too long to key."""
    reads_the_bucket = "search_query_keys(g, words, '*')"  # that statement's text, in its plan when it runs
    NewsFactory(title="짧은 글", body="<p>끝자락텃밭</p>")
    found, plans = search_newest_with_plans("news", "끝자락텃밭")
    assert len(found) == 1
    assert "char_length(body) > 100000" in plans  # asked whether news has any
    assert reads_the_bucket not in plans

    long_post = NewsFactory(title="아주 긴 본문", body=f"<p>{'가' * index.GRAM_TEXT_LIMIT} 끝자락텃밭</p>")
    found, plans = search_newest_with_plans("news", "끝자락텃밭")
    assert long_post.pk in {row[1] for row in found} and len(found) == 2
    assert reads_the_bucket in plans
