"""The scale data for benchmarks: realistic Korean posts at district scale.

Used by ``generate_scale_data`` (bench/management/commands/) and by the processes
that insert its rows (bench/scale_loader.py); both import this module, it imports
neither. Nothing here belongs to the portal: the bench app is installed only by
bench/settings.py.

Posts are spread over every registered board (boards/registry.py) and over
``years`` years up to ``until``, a few of them unpublished or scheduled a week
ahead. Their titles and bodies come from bench/scale_vocabulary.py. A share of the
posts gets one or two 붙임 rows with extracted text; these rows name a file that
does not exist (no file is written), so downloading one answers 404, while search
and 바로보기 text work.

The five boards the portal started with have their share of the posts and their
own fields below (``fields_news`` …); a board registered later gets
DEFAULT_SHARE, the common fields plus its ``filters``, and titles from the
DEFAULT_TITLES pool, so it is filled without a change here. The five keep their
order and draws, so the same seed gives the same rows as before boards were read
from the registry (as long as no board is added).

Every generated post belongs to a department whose name starts with "(대량 생성) ":
that is how ``clear_generated`` finds them (and their 붙임) again without touching
anything else. The same seed, ``until`` and sizes give the same rows.

Rows go in with bulk_create (model save() is skipped, so body_text is written
here; it equals what save() would derive). On PostgreSQL loads of
REBUILD_INDEX_FROM posts or more take the search table's triggers off and fill the
table at the end in bulk (search/index.py): one index build is far cheaper than a
million single-row trigger runs and index updates.
"""

import datetime
import itertools
import random
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Max

from bench import scale_vocabulary as vocab
from boards import registry
from boards.models import Department
from contracts.models import ContractNotice
from notices.models import Notice
from recruitment.models import RecruitmentPost
from search import index as search_index

GENERATED_PREFIX = "(대량 생성) "
REBUILD_INDEX_FROM = 100_000
SEOUL = ZoneInfo("Asia/Seoul")

# Board shares of all posts, roughly as a district portal's archive has them. A
# registered board missing here gets DEFAULT_SHARE and titles from the DEFAULT_TITLES
# board's pool (금천소식's: news that fits any board).
BOARD_SHARES = {"news": 35, "notices": 30, "recruitment": 10, "contracts": 15, "press": 10}
DEFAULT_SHARE = 10
DEFAULT_TITLES = "news"
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


def board_shares():
    """``(board, share)`` for every registered board.

    The boards of BOARD_SHARES come first and in its order, the others after them
    in the order they were registered: the random draws of the five boards then do
    not depend on the order of INSTALLED_APPS.
    """
    order = list(BOARD_SHARES)
    boards = sorted(registry.all_boards(), key=lambda board: order.index(board.slug)
                    if board.slug in BOARD_SHARES else len(order))
    return [(board, BOARD_SHARES.get(board.slug, DEFAULT_SHARE)) for board in boards]


class Generator:
    """Posts as ``(board slug, post fields, [붙임 fields])``, the same ones for the same seed.

    A post's fields are the common ones, its board's own (``fields_<slug>``, for
    the boards that have them) and the board's ``filters`` last, so that every
    post is one of its board's whatever the other fields say.
    """

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
        shares = board_shares()
        self.boards = [board for board, _ in shares]
        self.board_weights = list(itertools.accumulate(share for _, share in shares))

    def fill(self, pattern, slots):
        return pattern.format_map(slots)

    def post(self, index):
        rng = self.rng
        board = rng.choices(self.boards, cum_weights=self.board_weights)[0]
        published_at = self.start + self.span * (index + rng.random())
        slots = Slots(rng.random, published_at.astimezone(SEOUL).year)
        titles = vocab.TITLES.get(board.slug, vocab.TITLES[DEFAULT_TITLES])
        title = self.fill(rng.choice(titles), slots)[:200]
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
        own = getattr(self, f"fields_{board.slug}", None)
        fields = {**common, **(own(title, published_at, slots) if own else {}), **board.filters}
        attachments = []
        if rng.random() < self.attachment_share:
            count = rng.choice([1, 1, 1, 2])
            attachments = [self.attachment(board.slug, title, slots, n) for n in range(count)]
        return board.slug, fields, attachments

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
        for model in registry.post_models():
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


def vacuum_analyze():
    """Fresh planner statistics for the searched tables, after a load (PostgreSQL)."""
    tables = {model._meta.db_table for model in [*registry.post_models(), *registry.attachment_models()]}
    with connection.cursor() as cursor:
        for table in sorted(tables) + [search_index.TABLE]:
            cursor.execute(f"VACUUM ANALYZE {table}")


def insert_batch(batch, batch_size):
    """Insert one batch of ``Generator`` posts and their 붙임; returns the 붙임 count.

    A post's model and 붙임 model are its board's, looked up by slug in the
    registry (the batch may have crossed to another process, where only the slug
    means anything).
    """
    by_model = {}  # post model -> (its 붙임 model, [(post, [붙임 fields])])
    for slug, fields, files in batch:
        board = registry.get(slug)
        _, rows = by_model.setdefault(board.model, (board.attachment_model, []))
        rows.append((board.model(**fields), files))
    count = 0
    with transaction.atomic():
        for model, (attachment_model, rows) in by_model.items():
            model.objects.bulk_create([post for post, _ in rows], batch_size=batch_size)
            files = [attachment_model(post=post, **fields) for post, items in rows for fields in items]
            attachment_model.objects.bulk_create(files, batch_size=batch_size)
            count += len(files)
    return count
