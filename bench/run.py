"""``make bench``: the portal under gunicorn and production settings, on PostgreSQL at scale.

1. Makes sure wrk is there (Debian package ``wrk``; installed with apt-get when run
   as root), the bench database exists, is migrated and holds the scale data
   (``generate_scale_data --posts 1000000 --seed 42`` when it has fewer posts), and
   that one post has a 50 MB 붙임.
2. Counts the SQL queries of every endpoint once, in this process, with Django's
   test client against the same database.
3. Starts gunicorn with gunicorn.conf.py and production settings (DEBUG off,
   SECRET_KEY set, collected static files), plus one ceiling view that only the
   bench's settings module (bench.settings) routes to.
4. Drives every endpoint with wrk from a second process and prints one table:
   requests/s, p50/p95/p99 latency, SQL queries per request, and each as a ratio
   to the ceiling measured in the same run; then the targets, measured.

Environment: BENCH_DATABASE_URL, BENCH_POSTS (1000000), BENCH_SECONDS (10 per
endpoint), BENCH_CONNECTIONS (4), BENCH_PORT (8765), BENCH_MACHINE (results file
name; default the host name), GUNICORN_WORKERS (gunicorn.conf.py's default).
"""

import datetime
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PYTHON = sys.executable
DOWNLOAD_BYTES = 50 * 1024 * 1024
DOWNLOAD_NAME = "bench-50mb.pdf"
WARMUP_SECONDS = 2


def say(message):
    print(message, flush=True)


def setting(name, default):
    return os.environ.get(name, default)


DATABASE_URL = setting("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/geumcheon_bench")
POSTS = int(setting("BENCH_POSTS", "1000000"))
SECONDS = int(setting("BENCH_SECONDS", "10"))
ROTATING_SECONDS = min(SECONDS, 7)
CONNECTIONS = int(setting("BENCH_CONNECTIONS", "4"))
PORT = int(setting("BENCH_PORT", "8765"))
MACHINE = setting("BENCH_MACHINE", socket.gethostname())

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "0",
    # The measured setup keeps its pages in each worker's memory, as the earlier runs did.
    "ALLOW_PROCESS_CACHE": "1",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "STATIC_ROOT": str(VAR / "static"),
    "STATIC_MANIFEST": "1",
    "MEDIA_ROOT": str(VAR / "media"),
    "SECURE_COOKIES": "0",
    "LOG_LEVEL": "WARNING",
    "GUNICORN_BIND": f"127.0.0.1:{PORT}",
    # Workers are not recycled during the run: the memory figures follow one process each.
    "GUNICORN_MAX_REQUESTS": "0",
    "PYTHONPATH": str(ROOT),
}


# --- 1. tools, database, data ---------------------------------------------------------------------


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("wrk(부하 도구)를 설치합니다: apt-get install -y wrk")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        return
    sys.exit("wrk가 없습니다. Debian/Ubuntu라면 root로 `apt-get install -y wrk`를 실행한 뒤 다시 해 주세요.")


def ensure_database():
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    target = conninfo_to_dict(DATABASE_URL)
    name = target["dbname"]
    admin = make_conninfo(DATABASE_URL, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            say(f"벤치마크 DB {name}을(를) 만듭니다.")
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(*args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def setup_django():
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_scale_data():
    """At least POSTS generated posts; ``generate_scale_data`` exists under ENV's bench.settings only."""
    from bench.scale_data import generated_departments
    from boards import registry

    departments = generated_departments()
    have = sum(
        model.objects.filter(department__in=departments).count()
        for model in registry.post_models()
    )
    if have >= POSTS:
        say(f"대량 생성 글 {have:,}건이 이미 있습니다.")
        return
    say(f"대량 생성 글이 {have:,}건이라 {POSTS:,}건을 새로 만듭니다(1,000,000건이면 2코어 컴퓨터에서 10분가량).")
    manage("generate_scale_data", "--clear", "--posts", str(POSTS), "--seed", "42")


def warm_search_table():
    """Reads the search table and its indexes once into the OS page cache; a note for the report.

    A server that has been answering searches holds its hot index in memory; right after a
    reboot, or on a machine that hands idle page cache back (this one's does), every new word
    reads its keys from disk: the searches that never repeat a word then measure the disk
    (≈ 130 reads a group for a word no post holds). ``pg_prewarm`` (PostgreSQL's contrib) reads
    the files once, right before those rows (this machine's cache had handed back half of the
    index 16 minutes after a run: fincore), so they measure the search.
    """
    from django.db import connection

    from search.index import TABLE

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_prewarm'")
        if cursor.fetchone() is None:
            return "pg_prewarm이 없어 검색 표를 미리 읽지 않음(새 낱말마다 디스크를 읽는 값일 수 있음)"
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        cursor.execute(
            "SELECT c.oid::regclass::text, pg_relation_size(c.oid) FROM pg_class c"
            " WHERE c.oid = %s::regclass"
            " OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = %s::regclass)",
            [TABLE, TABLE],
        )
        relations = cursor.fetchall()
        start = time.monotonic()
        for name, _ in relations:
            cursor.execute("SELECT pg_prewarm(%s::regclass, 'read')", [name])
    size = sum(size for _, size in relations) / 1024**3
    return (f"요청마다 다른 낱말의 두 행 직전에 검색 표와 색인 {size:.1f} GB를 한 번 읽어 OS 캐시에 올림"
            f"(pg_prewarm 'read', "
            f"{time.monotonic() - start:.0f}초): 오래 돈 서버처럼 새 낱말도 메모리에서 읽음")


def ensure_big_attachment(post):
    """A 50 MB 붙임 on ``post``: a file written once, its row added without extraction."""
    from notices.models import NoticeAttachment

    relative = f"bench/{DOWNLOAD_NAME}"
    path = VAR / "media" / relative
    if not path.exists() or path.stat().st_size != DOWNLOAD_BYTES:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"%PDF-1.4\n")
            block = os.urandom(1024 * 1024)
            written = 9
            while written < DOWNLOAD_BYTES:
                chunk = block[: DOWNLOAD_BYTES - written]
                handle.write(chunk)
                written += len(chunk)
    attachment = NoticeAttachment.objects.filter(file=relative).first()
    if attachment is None:
        # bulk_create: no extraction of 50 MB of noise; the row names the file above.
        [attachment] = NoticeAttachment.objects.bulk_create([NoticeAttachment(
            post=post, file=relative, original_name="대용량 붙임(벤치마크).pdf", size=DOWNLOAD_BYTES,
        )])
    elif attachment.post_id != post.pk:
        # update(), not delete(): deleting the row would delete the file on commit.
        NoticeAttachment.objects.filter(pk=attachment.pk).update(post=post)
    return attachment


# --- 2. the endpoints and their SQL queries ------------------------------------------------------


def endpoints():
    """(label, path, wrk connections) for every measured URL."""
    from boards import registry
    from notices.models import Notice

    news = registry.get("news").posts().published()
    newest = news.latest_first().first()
    middle = news.latest_first()[news.count() // 2]
    download = ensure_big_attachment(newest)
    rows = [("최소 Django 뷰 (천장)", "/__bench__/ceiling/", CONNECTIONS), ("첫 화면", "/", CONNECTIONS)]
    rows += [(f"{board.name} 목록 1쪽", f"/{board.slug}/", CONNECTIONS) for board in registry.all_boards()]
    rows += [
        ("금천소식 목록 5,000쪽", "/news/?page=5000", CONNECTIONS),
        ("금천소식 상세", f"/news/{middle.pk}/", CONNECTIONS),
        ("통합검색 1음절 '숲'", "/search/?q=%EC%88%B2", CONNECTIONS),
        ("통합검색 2음절 '채용'", "/search/?q=%EC%B1%84%EC%9A%A9", CONNECTIONS),
        ("통합검색 4음절 '주민자치'", "/search/?q=%EC%A3%BC%EB%AF%BC%EC%9E%90%EC%B9%98", CONNECTIONS),
        *((label, rotating_paths(label)[0], connections) for label, (_, connections) in ROTATING.items()),
        ("붙임 50 MB 내려받기", f"/news/files/{download.pk}/", 2),
    ]
    # The same pages as a visitor gets them right after a staff save has emptied the page cache:
    # a parameter the pages do not know is never cached (boards/pagecache.py), and changes nothing else.
    uncached = [("첫 화면", "/"), *((f"{board.name} 목록 1쪽", f"/{board.slug}/") for board in registry.all_boards()),
                ("금천소식 목록 5,000쪽", "/news/?page=5000"), ("금천소식 상세", f"/news/{middle.pk}/")]
    rows += [(f"{label}{UNCACHED}", f"{path}{'&' if '?' in path else '?'}{UNCACHED_PARAM}", CONNECTIONS)
             for label, path in uncached]
    assert isinstance(newest, Notice)
    return rows


UNCACHED = " (캐시 없음)"
UNCACHED_PARAM = "bench=uncached"


ROTATING_LABEL = "통합검색 2음절, 요청마다 다른 낱말"
ROTATING_ALONE = "통합검색 2음절, 요청마다 다른 낱말 (연결 1개)"
# label -> (its share of the words, wrk connections). Disjoint shares: a word one row
# sent is in the search cache for the other. One connection: the latency of a search
# with nothing queued before it; four: under load on these shared cores.
# Measured for ROTATING_SECONDS, so that neither runs out of words: up to 87 and 37 searches a second
# were measured (2026-12-07); the report says when a row sent more requests than it had words.
ROTATING = {ROTATING_LABEL: (slice(0, 640), CONNECTIONS), ROTATING_ALONE: (slice(640, None), 1)}
# Words no generated post holds: residents search for those too.
ABSENT_WORDS = ["텃밭", "드론", "코딩", "캠핑", "반려", "요가", "탁구", "바둑", "합창", "목공", "제빵", "사진",
                "웹툰", "댄스", "수어", "점자", "한파", "폭염", "미세", "꽃길"]


def rotating_search_paths(count=1000):
    """통합검색 URLs, one 2-syllable word each, for the row that never repeats a word.

    The words are the generator's two-syllable words, the two-syllable pieces of its
    longer ones ("주민자치" gives 주민, 민자, 자치: residents search inside words too),
    so all of those are found, some in many posts; and a few that no post holds, in a
    fixed shuffle. wrk sends each in turn; the run must send fewer requests than there
    are words (the report says whether it did), so the search cache never answers:
    this row measures the search itself.
    """
    import random
    import re
    from urllib.parse import quote

    source = (ROOT / "bench" / "scale_vocabulary.py").read_text(encoding="utf-8")
    found = set(re.findall(r"(?<![가-힣])[가-힣]{2}(?![가-힣])", source))
    for longer in re.findall(r"[가-힣]{3,}", source):
        found.update(longer[i:i + 2] for i in range(len(longer) - 1))
    found = sorted(found)
    absent = [word for word in ABSENT_WORDS if word not in found]
    words = random.Random(42).sample(found, min(count - len(absent), len(found))) + absent
    random.Random(7).shuffle(words)
    return [f"/search/?q={quote(word)}" for word in words]


def rotating_paths(label):
    return rotating_search_paths()[ROTATING[label][0]]


def warmup_search_paths(label, count=200):
    """Up to ``count`` 통합검색 URLs to warm the workers before a rotating row, as other rows are.

    Each worker's database connection plans the search's statements on its first searches
    (and again after CONN_MAX_AGE); a server that has run for a while has them planned.
    Made-up two-syllable words ("가갸", …), none of them measured, and each row its own,
    so that no measured word and no warm-up word of the other row is in the search cache.
    """
    from urllib.parse import quote

    measured = set(rotating_search_paths())
    words = [first + second for first in "가나다라마바사아자차카타파하거너더러머버"
             for second in "갸냐댜랴먀뱌샤야쟈챠캬탸퍄햐겨녀뎌려며벼"]
    paths = [path for path in (f"/search/?q={quote(word)}" for word in words) if path not in measured]
    start = list(ROTATING).index(label) * count
    return paths[start:start + count]


def rotating_note(label, results, rows):
    path = next(path for row_label, path, _ in rows if row_label == label)
    sent, words = results[path]["requests"], len(rotating_paths(label))
    verdict = ("낱말 수보다 적어 검색 캐시가 답한 요청은 없음." if sent < words
               else "낱말 수보다 많아 일부는 캐시가 답했음(이 행은 과소평가).")
    return f"'{label}': 낱말 {words:,}개, 측정 중 요청 {sent:,}번 — {verdict}"


def count_queries(rows):
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for label, path, _ in rows:
        client.get(path)  # the first request may fill caches
        for cache in caches.all():
            cache.clear()  # counted without the page and search caches: what a miss costs
        # ...after one other page, as on a running site: the content version, 긴급 공지 and the next
        # scheduled change are read once per version (boards/pagecache.py), not once per page.
        client.get(f"/?{UNCACHED_PARAM}-warm-up")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            if hasattr(response, "streaming_content"):
                for _ in response.streaming_content:
                    pass
        if response.status_code != 200:
            sys.exit(f"{path} 가 {response.status_code}를 돌려주었습니다.")
        counts[path] = len(queries)
    return counts


# --- 3. gunicorn ------------------------------------------------------------------------------------


def start_gunicorn():
    VAR.mkdir(parents=True, exist_ok=True)
    log = open(VAR / "gunicorn.log", "w")
    process = subprocess.Popen(
        [str(Path(PYTHON).with_name("gunicorn")), "-c", "gunicorn.conf.py"],
        cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/__bench__/ceiling/", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            sys.exit(f"gunicorn이 멈췄습니다. {VAR / 'gunicorn.log'}를 보세요.")
    stop_gunicorn(process)
    sys.exit("gunicorn이 60초 안에 응답하지 않았습니다.")


def stop_gunicorn(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()


def worker_pids(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def memory_kb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


# --- 4. wrk -------------------------------------------------------------------------------------------


def wrk(path, connections, seconds, paths_file=None):
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
        "-s", str(ROOT / "bench" / "report.lua"), f"http://127.0.0.1:{PORT}{path}",
        *(["--", str(paths_file)] if paths_file else []),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return result


def first_request_ms(path):
    """One request before any other to this URL: the page cache (if any) is cold."""
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=120) as response:
        while response.read(1024 * 1024):
            pass
    return (time.perf_counter() - started) * 1000


def measure(rows, master):
    """``(results, note)``: wrk's figures by path, and what ``warm_search_table`` did."""
    from django.db import connections as databases

    results, warmed = {}, []
    cold = {path: first_request_ms(path) for _, path, _ in rows}
    for label, path, connections in rows:
        say(f"  {label} …")
        if label in ROTATING:  # warmed with words of its own: the measured ones must stay unanswered
            if not warmed:
                say("  검색 표와 색인을 OS 캐시에 미리 읽습니다(pg_prewarm).")
                warmed.append(warm_search_table())
                databases.close_all()
            paths_file = VAR / "rotating-search.txt"
            warmup = warmup_search_paths(label)
            paths_file.write_text("\n".join(warmup[1:]) + "\n", encoding="utf-8")
            wrk(warmup[0], connections, WARMUP_SECONDS, paths_file=paths_file)
            paths_file.write_text("\n".join(rotating_paths(label)[1:]) + "\n", encoding="utf-8")
            results[path] = wrk(path, connections, ROTATING_SECONDS, paths_file=paths_file)
            results[path]["cold_ms"] = cold[path]
            continue
        wrk(path, connections, WARMUP_SECONDS)
        if path.startswith("/news/files/"):
            results[path] = measure_download(path, connections, master)
        else:
            results[path] = wrk(path, connections, SECONDS)
        results[path]["cold_ms"] = cold[path]
    return results, warmed[0] if warmed else "요청마다 다른 낱말의 행이 없어 검색 표를 미리 읽지 않음"


def measure_download(path, connections, master):
    """wrk on the download while sampling every worker's resident memory."""
    pids = worker_pids(master)
    before = {pid: memory_kb(pid, "VmRSS") for pid in pids}
    hwm_before = {pid: memory_kb(pid, "VmHWM") for pid in pids}
    peak = dict(before)
    running = True

    def sample():
        while running:
            for pid in pids:
                try:
                    peak[pid] = max(peak[pid], memory_kb(pid, "VmRSS"))
                except (FileNotFoundError, ProcessLookupError):
                    pass
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = wrk(path, connections, SECONDS)
    finally:
        running = False
        sampler.join()
    result["rss_growth_kb"] = max((peak[pid] - before[pid] for pid in pids), default=0)
    result["hwm_growth_kb"] = max((memory_kb(pid, "VmHWM") - hwm_before[pid] for pid in pids), default=0)
    result["rss_before_kb"] = statistics.median(before.values()) if before else 0
    return result


# --- 5. the table ------------------------------------------------------------------------------------


def ms(microseconds):
    return microseconds / 1000


def table(rows, results, counts):
    ceiling = results[rows[0][1]]
    lines = [
        "| 대상 | 요청/초 | ×천장 | p50 ms | ×천장 | p95 ms | ×천장 | p99 ms | ×천장 | SQL/요청 | 첫 요청 ms | 오류 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, path, _ in rows:
        r = results[path]
        cells = [label, f"{r['rps']:,.1f}", f"{r['rps'] / ceiling['rps']:.2f}"]
        for key in ("p50", "p95", "p99"):
            cells += [f"{ms(r[key]):,.1f}", f"{r[key] / max(ceiling[key], 1):.1f}"]
        cells += [str(counts[path]), f"{r['cold_ms']:,.0f}", str(r["errors"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(rows, results):
    by_label = {label: results[path] for label, path, _ in rows}
    ceiling = by_label["최소 Django 뷰 (천장)"]
    lists = [label for label, _, _ in rows if label.endswith("목록 1쪽")]  # cached
    download = by_label["붙임 50 MB 내려받기"]
    checks = [
        # Issue 17's targets: cached home ≥ 0.8×; an uncached search p95 ≤ 50 ms alone, ≤ 100 ms under load.
        ("첫 화면 ≥ 0.8× 천장 (요청/초)", by_label["첫 화면"]["rps"] / ceiling["rps"], 0.8, ">="),
        *((f"{label} ≥ 0.4× 천장", by_label[label]["rps"] / ceiling["rps"], 0.4, ">=") for label in lists),
        ("금천소식 상세 ≥ 0.4× 천장", by_label["금천소식 상세"]["rps"] / ceiling["rps"], 0.4, ">="),
        ("5,000쪽 p50 ≤ 2× 1쪽 p50",
         by_label["금천소식 목록 5,000쪽"]["p50"] / max(by_label["금천소식 목록 1쪽"]["p50"], 1), 2.0, "<="),
        ("2음절 검색 p95 ≤ 100 ms (같은 낱말 되풀이: 검색 캐시)", ms(by_label["통합검색 2음절 '채용'"]["p95"]), 100.0, "<="),
        ("2음절 검색 p95 ≤ 50 ms (요청마다 다른 낱말: 캐시 없음, 연결 1개)", ms(by_label[ROTATING_ALONE]["p95"]), 50.0, "<="),
        (f"2음절 검색 p95 ≤ 100 ms (요청마다 다른 낱말: 캐시 없음, 연결 {CONNECTIONS}개)",
         ms(by_label[ROTATING_LABEL]["p95"]), 100.0, "<="),
        ("50 MB 내려받기 작업자 메모리 증가 < 10 MB", download["rss_growth_kb"] / 1024, 10.0, "<"),
        *((f"{label} ≥ 0.1× 천장", by_label[label]["rps"] / ceiling["rps"], 0.1, ">=")
          for label, _, _ in rows if label.endswith(UNCACHED)),
    ]
    lines = ["| 목표 | 측정 | 기준 | 결과 |", "|---|---:|---:|---|"]
    for name, value, limit, op in checks:
        ok = {">=": value >= limit, "<=": value <= limit, "<": value < limit}[op]
        lines.append(f"| {name} | {value:,.2f} | {op} {limit:g} | {'달성' if ok else '미달'} |")
    return "\n".join(lines)


def main():
    started = time.monotonic()
    ensure_wrk()
    ensure_database()
    say("마이그레이션과 정적 파일을 준비합니다.")
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    setup_django()
    ensure_scale_data()
    rows = endpoints()
    say("엔드포인트마다 SQL 쿼리 수를 셉니다.")
    counts = count_queries(rows)
    from django.db import connections

    connections.close_all()
    say(f"gunicorn을 띄웁니다 (127.0.0.1:{PORT}).")
    process = start_gunicorn()
    try:
        workers = len(worker_pids(process.pid))
        say(f"wrk로 측정합니다: 대상마다 {SECONDS}초, 연결 {CONNECTIONS}개, gunicorn 작업자 {workers}개.")
        results, warmed = measure(rows, process.pid)
    finally:
        stop_gunicorn(process)
    download = next(results[path] for label, path, _ in rows if label == "붙임 50 MB 내려받기")
    report = "\n\n".join([
        f"# 벤치마크 결과 ({MACHINE}, {datetime.date.today().isoformat()})",
        f"- 데이터: 게시글 {POSTS:,}건(`generate_scale_data --seed 42`), PostgreSQL, "
        f"gunicorn 작업자 {workers}개(sync), 운영 설정(DEBUG 꺼짐), CPU {os.cpu_count()}개를 wrk와 함께 씀\n"
        f"- wrk: 대상마다 {WARMUP_SECONDS}초 예열 후 {SECONDS}초, 연결 {CONNECTIONS}개"
        f"(50 MB 내려받기는 2개, '{ROTATING_ALONE}'은 1개; 요청마다 다른 낱말의 두 행은 "
        f"측정하지 않는 낱말로 {WARMUP_SECONDS}초 예열 후 {ROTATING_SECONDS}초). "
        f"지연은 wrk가 잰 값, SQL/요청은 같은 DB에서 "
        f"Django 테스트 클라이언트로 페이지·검색 캐시를 비우고 다른 페이지 하나를 받은 뒤(콘텐츠 버전·긴급 공지·다음 예약 변경은 "
        f"버전마다 한 번 읽음) 한 번 센 값(캐시가 답하면 게시글은 0~1, 나머지는 0).\n"
        f"- ×천장: 요청/초는 천장 대비 비율(클수록 좋음), 지연은 천장의 몇 배인지(작을수록 좋음).\n"
        f"- 첫 요청 ms: gunicorn을 띄운 직후 그 주소에 처음 보낸 요청 하나(페이지 캐시가 비어 있을 때)의 시간.\n"
        f"- '{UNCACHED.strip()}' 행: 같은 페이지를 페이지 캐시 없이(주소에 `{UNCACHED_PARAM}`: 모르는 매개변수는 캐시에 "
        f"넣지 않음) — 직원이 저장해 캐시가 비워진 직후 주민이 받는 값.\n"
        f"- 검색 표: {warmed}.",
        table(rows, results, counts),
        f"50 MB 내려받기 중 작업자 RSS 증가(최대): {download['rss_growth_kb'] / 1024:.1f} MB "
        f"(VmHWM 증가 {download['hwm_growth_kb'] / 1024:.1f} MB, 시작 전 RSS 중앙값 "
        f"{download['rss_before_kb'] / 1024:.1f} MB)",
        f"요청마다 다른 낱말: 두 음절 낱말 {len(rotating_search_paths())}개(생성기 어휘의 두 음절 낱말, 더 긴 "
        f"낱말 속의 두 음절, 어떤 글에도 없는 낱말 {len(ABSENT_WORDS)}개)를 두 행이 겹치지 않게 나눠 차례로 한 번씩 보냄. "
        + " ".join(rotating_note(label, results, rows) for label in ROTATING),
        "## 목표 대비",
        targets(rows, results),
    ])
    print("\n" + report + "\n")
    out = ROOT / "bench" / f"results-{MACHINE}.md"
    out.write_text(report + "\n", encoding="utf-8")
    say(f"결과를 {out.relative_to(ROOT)}에 적었습니다 ({time.monotonic() - started:,.0f}초).")


if __name__ == "__main__":
    main()
