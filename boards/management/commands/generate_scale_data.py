"""Fill the boards with realistic Korean posts at district scale, for benchmarks.

    manage.py generate_scale_data --posts 1000000 --seed 42 [--attachments-share 0.05]
    manage.py generate_scale_data --clear

Posts are spread over the five boards and over ``--years`` years up to ``--until``
(default: today), a few of them unpublished or scheduled a week ahead. Their titles
and bodies come from boards/scale_vocabulary.py. A share of the posts gets one or
two 붙임 rows with extracted text; these rows name a file that does not exist (no
file is written), so downloading one answers 404, while search and 바로보기 text work.

Every generated post belongs to a department whose name starts with "(대량 생성) ":
that is how ``--clear`` finds them (and their 붙임) again without touching anything
else. The same ``--seed``, ``--until`` and sizes give the same rows.

Rows go in with bulk_create in batches (model save() is skipped, so body_text is
written here; it equals what save() would derive). One process builds batches and
``--workers`` processes (default: one per CPU on PostgreSQL; boards/scale_worker.py)
insert them, each over its own database connection: on PostgreSQL most of an insert's time is the database
computing the row's search keys (search/schema.py), which runs on one core per
connection. With several workers the rows' ids interleave differently from run to
run; their contents do not. On PostgreSQL, loads of REBUILD_INDEX_FROM posts or
more drop the search GIN indexes first and build them again at the end (two at a
time): a GIN build is far cheaper than a million single-row index updates.
"""

import datetime
import itertools
import multiprocessing
import os
import queue
import random
import threading
import time
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.db.models import Max

from boards import scale_vocabulary as vocab
from boards import scale_worker
from boards.models import Department
from contracts.models import ContractAttachment, ContractNotice
from notices.models import Notice, NoticeAttachment
from search import schema
from press.models import PressAttachment, PressRelease
from recruitment.models import RecruitmentAttachment, RecruitmentPost

GENERATED_PREFIX = "(대량 생성) "
REBUILD_INDEX_FROM = 100_000
SEOUL = ZoneInfo("Asia/Seoul")

# Board shares of all posts, roughly as a district portal's archive has them.
BOARD_SHARES = {"news": 35, "notices": 30, "recruitment": 10, "contracts": 15, "press": 10}
POST_MODELS = {
    "news": Notice, "notices": Notice, "recruitment": RecruitmentPost,
    "contracts": ContractNotice, "press": PressRelease,
}
ATTACHMENT_MODELS = {
    Notice: NoticeAttachment, RecruitmentPost: RecruitmentAttachment,
    ContractNotice: ContractAttachment, PressRelease: PressAttachment,
}
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민수", "서연", "지훈", "하은", "도윤", "수빈", "현우", "지민", "예준", "유진"]
ROADS = ["가산디지털1로", "가산디지털2로", "시흥대로", "독산로", "벚꽃로", "금하로", "범안로", "남부순환로"]


LISTS = {
    "dong": vocab.DONGS, "dept": vocab.DEPARTMENTS, "program": vocab.PROGRAMS,
    "facility": vocab.FACILITIES, "item": vocab.ITEMS, "service": vocab.SERVICES, "law": vocab.LAWS,
    "event": vocab.EVENTS, "field": vocab.FIELDS, "topic": vocab.TOPICS, "subject": vocab.SUBJECTS,
    "half": ["상반기", "하반기"], "percent": [100, 120, 140, 180],
}
# slot: (lowest, highest) for whole numbers
NUMBERS = {
    "month": (1, 12), "day": (1, 15), "day2": (16, 28), "nth": (1, 7), "article": (2, 60),
    "people": (1, 120), "floor": (2, 5), "days": (10, 180), "phone": (1000, 9999),
}


class Slots(dict):
    """Fills ``{slot}`` in a pattern, drawing each value only when a pattern asks for it."""

    def __init__(self, random, year):
        super().__init__(year=year)
        self.random = random

    def __missing__(self, key):
        if key in LISTS:
            options = LISTS[key]
            value = options[int(self.random() * len(options))]
        elif key == "amount":
            value = f"{(5 + int(self.random() * 1996)) * 10000:,}"
        else:
            low, high = NUMBERS[key]
            value = low + int(self.random() * (high - low + 1))
        self[key] = value
        return value


class Generator:
    def __init__(self, *, seed, posts, years, until, attachment_share, departments, numbers=None):
        self.rng = random.Random(seed)
        self.total = posts
        self.attachment_share = attachment_share
        self.departments = departments
        end = datetime.datetime.combine(until, datetime.time(18, 0), tzinfo=SEOUL)
        self.start = end - datetime.timedelta(days=round(365.25 * years))
        # A week past ``until``: the newest few are scheduled (예약 게시).
        self.span = (end + datetime.timedelta(days=7) - self.start) / max(posts, 1)
        # 공고번호 per (구분, 연도) from 10001 up, clear of what staff number by hand in
        # a year, and after the numbers an earlier run gave.
        self.numbers = dict(numbers or {})
        self.boards = list(BOARD_SHARES)
        self.board_weights = list(itertools.accumulate(BOARD_SHARES.values()))

    def fill(self, pattern, slots):
        return pattern.format_map(slots)

    def post(self, index):
        rng = self.rng
        board = rng.choices(self.boards, cum_weights=self.board_weights)[0]
        published_at = self.start + self.span * (index + rng.random())
        slots = Slots(rng.random, published_at.astimezone(SEOUL).year)
        title = self.fill(rng.choice(vocab.TITLES[board]), slots)[:200]
        paragraphs = [self.fill(rng.choice(vocab.OPENINGS), slots)]
        details = rng.sample(vocab.DETAILS, rng.randint(2, 5))
        paragraphs += [f"{n}. {self.fill(line, slots)}" for n, line in enumerate(details, 1)]
        paragraphs += [self.fill(s, slots) for s in rng.sample(vocab.SENTENCES, rng.randint(1, 4))]
        paragraphs.append(self.fill(rng.choice(vocab.CLOSINGS), slots))
        common = {
            "title": title,
            "body": "".join(f"<p>{p}</p>" for p in paragraphs),
            "body_text": " ".join(paragraphs),  # what html_to_text() gives for this HTML
            "department_id": self.departments[int(rng.random() * len(self.departments))],
            "published_at": published_at,
            "is_published": rng.random() >= 0.005,
            "view_count": int(rng.paretovariate(1.5) * 20),
        }
        fields = {**common, **getattr(self, f"fields_{board}")(title, published_at, slots)}
        attachments = []
        if rng.random() < self.attachment_share:
            attachments = [self.attachment(board, title, slots, n) for n in range(rng.choice([1, 1, 1, 2]))]
        return board, fields, attachments

    def fields_news(self, title, published_at, slots):
        return {"kind": Notice.Kind.NEWS}

    def fields_notices(self, title, published_at, slots):
        notice_type = Notice.NoticeType.GOSI if "고시" in title else Notice.NoticeType.GONGGO
        year = slots["year"]
        seq = self.numbers[notice_type, year] = self.numbers.get((notice_type, year), 10000) + 1
        start = published_at.astimezone(SEOUL).date()
        return {
            "kind": Notice.Kind.NOTICE, "notice_type": notice_type, "number_year": year,
            "number_seq": seq, "period_start": start,
            "period_end": start + datetime.timedelta(days=self.rng.randint(7, 30)),
        }

    def fields_recruitment(self, title, published_at, slots):
        kind = (RecruitmentPost.Kind.RESULT if "합격자" in title
                else RecruitmentPost.Kind.REPOST if "재공고" in title else RecruitmentPost.Kind.RECRUIT)
        apply_start = published_at + datetime.timedelta(days=1)
        return {
            "kind": kind, "field_name": slots["field"], "headcount": self.rng.randint(1, 20),
            "apply_start": apply_start,
            "apply_end": apply_start + datetime.timedelta(days=self.rng.randint(5, 20)),
        }

    def fields_contracts(self, title, published_at, slots):
        rng = self.rng
        signed = published_at.astimezone(SEOUL).date() - datetime.timedelta(days=rng.randint(0, 10))
        return {
            "method": rng.choice(list(ContractNotice.Method.values)),
            "amount": rng.randint(5, 2000) * 10000,
            "contract_date": signed,
            "term_start": signed,
            "term_end": signed + datetime.timedelta(days=rng.randint(10, 180)),
            "contractor_name": f"(주){rng.choice(vocab.CONTRACTORS)}",
            "contractor_representative": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "contractor_address": f"서울특별시 금천구 {rng.choice(ROADS)} {rng.randint(1, 200)}",
            "reason": rng.choice(vocab.CONTRACT_REASONS),
            "legal_basis": "지방자치단체를 당사자로 하는 계약에 관한 법률 시행령 제25조",
        }

    def fields_press(self, title, published_at, slots):
        return {"subtitle": f"- {self.fill('{topic}', slots)}으로 주민 생활 불편 해소 -"}

    def attachment(self, board, title, slots, order):
        rng = self.rng
        label, ext = rng.choice(vocab.ATTACHMENT_KINDS)
        lines = [self.fill(rng.choice(vocab.OPENINGS), slots)]
        for _ in range(rng.randint(3, 20)):
            pool = rng.choice((vocab.DETAILS, vocab.SENTENCES, vocab.TABLE_ROWS))
            lines.append(self.fill(rng.choice(pool), slots))
        return {
            "original_name": f"{title[:60]} {label}.{ext}",
            "file": f"generated/{board}/{rng.getrandbits(64):016x}.{ext}",
            "size": rng.randint(20_000, 3_000_000),
            "extracted_text": "\n".join(lines),
            "order": order,
        }

    def batches(self, size):
        for first in range(0, self.total, size):
            yield [self.post(index) for index in range(first, min(first + size, self.total))]


def used_numbers():
    rows = (Notice.objects.filter(number_seq__isnull=False)
            .values_list("notice_type", "number_year").annotate(last=Max("number_seq")))
    return {(notice_type, year): last for notice_type, year, last in rows}


def generated_departments():
    return Department.objects.filter(name__startswith=GENERATED_PREFIX)


def ensure_departments():
    departments = []
    for order, name in enumerate(vocab.DEPARTMENTS):
        department, _ = Department.objects.get_or_create(
            name=f"{GENERATED_PREFIX}{name}",
            defaults={"phone": f"02-2627-{1000 + order * 37}", "order": 900 + order},
        )
        departments.append(department)
    return departments


def clear_generated():
    """Delete generated posts, the rows hanging off them, then their departments.

    Plain DELETE statements: the ORM's delete() would load a million rows to send
    signals, and generated 붙임 have no files to remove.
    """
    department_ids = list(generated_departments().values_list("id", flat=True))
    if not department_ids:
        return 0
    deleted = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for model in dict.fromkeys(POST_MODELS.values()):
            posts = model._meta.db_table
            marker = f"SELECT id FROM {posts} WHERE department_id IN ({', '.join(['%s'] * len(department_ids))})"
            for relation in model._meta.related_objects:
                if relation.one_to_many:
                    table = relation.related_model._meta.db_table
                    column = relation.field.column
                    cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marker})", department_ids)
            cursor.execute(f"DELETE FROM {posts} WHERE id IN ({marker})", department_ids)
            deleted += cursor.rowcount
        generated_departments().delete()
    return deleted


def drop_gram_indexes():
    with connection.cursor() as cursor:
        for table, _, _ in schema.TABLES:
            cursor.execute(schema.drop_gram_index_sql(table))
            cursor.execute(schema.drop_title_index_sql(table))


def build_gram_indexes(workers=2):
    """Build the GIN indexes again, ``workers`` tables at a time (one connection each)."""
    indexes = queue.Queue()
    for table, _, _ in sorted(schema.TABLES, key=lambda t: t[0] != "notices_notice"):  # the biggest first
        indexes.put(schema.gram_index_sql(table))
        indexes.put(schema.title_index_sql(table))
    errors = []

    def work():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '256MB'")
                while True:
                    try:
                        statement = indexes.get_nowait()
                    except queue.Empty:
                        return
                    cursor.execute(statement)
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


class Progress:
    def __init__(self, total, out):
        self.total, self.out, self.done = total, out, 0
        self.started = self.shown = time.monotonic()

    def add(self, count):
        self.done += count
        now = time.monotonic()
        if now - self.shown >= 1 or self.done >= self.total:
            self.shown = now
            rate = self.done / max(now - self.started, 1e-9)
            left = (self.total - self.done) / rate if rate else 0
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            self.out.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done:,}/{self.total:,}건 "
                f"({self.done * 100 // max(self.total, 1)}%) 초당 {rate:,.0f}건, 남은 시간 약 {left:,.0f}초 "
            )
            self.out.flush()

    def finish(self):
        self.out.write("\n")
        return time.monotonic() - self.started


class Command(BaseCommand):
    help = "게시판 다섯 곳에 대량의 예시 글(과 붙임 글자)을 만듭니다. 벤치마크용입니다."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=None,
                            help="만들 게시글 수 (기본 10,000; --clear만 주면 지우기만 합니다)")
        parser.add_argument("--seed", type=int, default=42, help="난수 씨앗: 같은 값이면 같은 글")
        parser.add_argument("--attachments-share", type=float, default=0.05,
                            help="붙임이 달린 글의 비율 (기본 0.05)")
        parser.add_argument("--years", type=int, default=20, help="게시일을 흩뿌릴 햇수 (기본 20)")
        parser.add_argument("--until", type=datetime.date.fromisoformat, default=None,
                            help="가장 최근 게시일 YYYY-MM-DD (기본: 오늘)")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--workers", type=int, default=None,
                            help="글을 넣는 프로세스 수 (기본: PostgreSQL이면 CPU 수, 아니면 1)")
        parser.add_argument("--clear", action="store_true",
                            help="먼저 이전에 만든 대량 생성 글을 모두 지웁니다")

    def handle(self, *args, posts, seed, attachments_share, years, until, batch_size, workers, clear, **options):
        if posts is None:
            posts = 0 if clear else 10_000
        if workers is None:
            workers = (os.cpu_count() or 1) if connection.vendor == "postgresql" else 1
        if posts < 0 or batch_size < 1 or workers < 1 or not 0 <= attachments_share <= 1 or years < 1:
            raise CommandError(
                "--posts ≥ 0, --batch-size ≥ 1, --workers ≥ 1, 0 ≤ --attachments-share ≤ 1, --years ≥ 1"
            )
        if clear:
            self.stdout.write(f"대량 생성 글 {clear_generated():,}건을 지웠습니다.")
        if posts == 0:
            return
        generator = Generator(
            seed=seed, posts=posts, years=years, attachment_share=attachments_share,
            until=until or datetime.datetime.now(SEOUL).date(),
            departments=[department.pk for department in ensure_departments()],
            numbers=used_numbers(),
        )
        rebuild = connection.vendor == "postgresql" and posts >= REBUILD_INDEX_FROM
        if rebuild:
            drop_gram_indexes()
        progress = Progress(posts, self.stderr)
        attachments = load(generator, batch_size, workers, progress)
        seconds = progress.finish()
        self.stdout.write(
            f"게시글 {posts:,}건과 붙임 {attachments:,}건을 {seconds:,.0f}초에 만들었습니다 "
            f"(초당 {posts / max(seconds, 1e-9):,.0f}건)."
        )
        if rebuild:
            self.stdout.write("검색 색인을 다시 만듭니다…")
            started = time.monotonic()
            build_gram_indexes()
            self.stdout.write(f"검색 색인을 {time.monotonic() - started:,.0f}초에 만들었습니다.")
        if connection.vendor == "postgresql":
            self.stdout.write("통계를 새로 모읍니다(VACUUM ANALYZE)…")
            started = time.monotonic()
            with connection.cursor() as cursor:
                for table, _, _ in schema.TABLES:
                    cursor.execute(f"VACUUM ANALYZE {table}")
            self.stdout.write(f"끝났습니다({time.monotonic() - started:,.0f}초).")


def load(generator, batch_size, workers, progress):
    """Insert the generator's batches with ``workers`` processes; returns the 붙임 count.

    With one worker this process inserts (SQLite takes one writer at a time anyway,
    and a test database that lives in memory is only reachable from here).
    """
    # Inserting processes are started fresh ("spawn"), not forked: a forked child
    # holds copies of this process's open database sockets, and a copy that the
    # child's garbage collector finalises tells the server to end that session.
    # The producer never touches the database, so it may be forked.
    fork, spawn = multiprocessing.get_context("fork"), multiprocessing.get_context("spawn")
    batches, done = spawn.Queue(maxsize=2 * workers), spawn.Queue()
    children = [fork.Process(target=produce, args=(generator, batch_size, batches, workers), daemon=True)]
    if workers > 1:
        # The live connection settings: a test run renames the database on these only.
        databases = {alias: dict(connections[alias].settings_dict) for alias in connections}
        children += [spawn.Process(target=scale_worker.insert, args=(batches, done, batch_size, databases),
                                   daemon=True) for _ in range(workers)]
    for child in children:
        child.start()
    reports = received(done, children[1:]) if workers > 1 else inserted(batches, batch_size)
    attachments, finished = 0, 0
    try:
        for report in reports:
            if isinstance(report, str):
                raise CommandError(f"글을 만들다 멈췄습니다: {report}")
            if report is None:
                finished += 1
                if finished == workers:
                    break
                continue
            posts, files = report
            attachments += files
            progress.add(posts)
    finally:
        for child in children:
            child.join(timeout=5)
            if child.is_alive():
                child.terminate()
    return attachments


def received(done, inserters):
    """The inserting processes' reports; an error's text if they all vanish without a word."""
    while True:
        try:
            yield done.get(timeout=1)
        except queue.Empty:
            if not any(inserter.is_alive() for inserter in inserters):
                yield "글을 넣는 프로세스가 모두 예고 없이 끝났습니다."


def inserted(batches, batch_size):
    """Insert here, one batch at a time, reporting as ``insert`` does."""
    while (batch := batches.get()) is not None:
        yield batch if isinstance(batch, str) else (len(batch), insert_batch(batch, batch_size))
    yield None


def produce(generator, batch_size, batches, workers):
    try:
        for batch in generator.batches(batch_size):
            batches.put(batch)
    except Exception as error:
        batches.put(repr(error))
    finally:
        for _ in range(workers):
            batches.put(None)


def insert_batch(batch, batch_size):
    by_model = {}
    for board, fields, files in batch:
        model = POST_MODELS[board]
        by_model.setdefault(model, []).append((model(**fields), files))
    count = 0
    with transaction.atomic():
        for model, rows in by_model.items():
            model.objects.bulk_create([post for post, _ in rows], batch_size=batch_size)
            attachment_model = ATTACHMENT_MODELS[model]
            files = [attachment_model(post=post, **fields) for post, items in rows for fields in items]
            attachment_model.objects.bulk_create(files, batch_size=batch_size)
            count += len(files)
    return count
