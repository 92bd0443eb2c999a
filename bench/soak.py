"""``make soak``: two app nodes behind nginx on PostgreSQL + Redis, under load, while parts fail.

Not a test: it restarts this machine's PostgreSQL and Redis (run it as root on a machine
of your own, never beside production), takes some five minutes and prints one table,
also written to ``bench/soak-results-<machine>.md``.

1. Database ``geumcheon_soak`` (SOAK_DATABASE_URL), migrated, with the demo content and
   a superuser ``soak`` with an authenticator device; Redis database 7; shared media in
   var/soak/media (the two nodes share this machine's disk; on real nodes: MEDIA_STORAGE=s3).
2. Two gunicorn nodes (gunicorn.conf.py, production settings, 2 workers each) on 8301 and
   8302, and nginx (Debian's package) on 8300 with deploy/nginx/geumcheon.conf rendered
   for them. Checks: a save through node A is on node B at once; a file uploaded through
   A downloads through B; /healthz on both.
3. Phases, each with wrk (SOAK_CONNECTIONS, 256) from a second process, a prober that
   asks for a page ten times a second and records when which answer came, and a member
   of staff saving a 금천소식 with a 붙임 through nginx every two seconds:
   steady (SOAK_SECONDS, 60 s); PostgreSQL restarted; Redis stopped and started again;
   a gunicorn worker killed. Afterwards every save that answered "saved" is looked up:
   its row and its file must be there.
"""

import datetime
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "soak"
PYTHON = sys.executable
DATABASE_URL = os.environ.get("SOAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/geumcheon_soak")
REDIS_URL = os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/7")
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "256"))
SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
FAULT_SECONDS = int(os.environ.get("SOAK_FAULT_SECONDS", "40"))
NGINX_PORT, NODE_PORTS = 8300, (8301, 8302)
PG_CLUSTER = os.environ.get("SOAK_PG_CLUSTER", "15 main")
REDIS_START = os.environ.get("SOAK_REDIS_START", "redis-server /etc/redis/redis.conf")
PASSWORD = "soak-" + secrets.token_urlsafe(12)
MACHINE = os.environ.get("SOAK_MACHINE", socket.gethostname())

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "geumcheon_portal.settings",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "DEBUG": "0",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "STATIC_ROOT": str(VAR / "static"),
    "MEDIA_ROOT": str(VAR / "media"),
    "SECURE_COOKIES": "0",
    "LOG_LEVEL": "WARNING",
    "TRUSTED_PROXIES": "127.0.0.1/32",
    "GUNICORN_WORKERS": "2",
    "LOGIN_FAILURE_LIMIT": "1000",  # one soak user logs in from one address many times
    "PYTHONPATH": str(ROOT),
}


def say(message):
    print(message, flush=True)


def manage(*args, env=None, capture=False):
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env={**ENV, "DEBUG": "1", **(env or {})},
                            check=True, capture_output=capture, text=True)
    return result.stdout if capture else None


# --- 1. database, demo content, the staff member ----------------------------------------------------

def prepare():
    for tool in ("nginx", "wrk", "pg_ctlcluster", "redis-cli"):
        if not shutil.which(tool):
            sys.exit(f"{tool}가 없습니다. root로 `apt-get install -y nginx wrk`(PostgreSQL·Redis는 이미 있어야 함) 뒤 다시 하세요.")
    name = urllib.parse.urlsplit(DATABASE_URL).path.lstrip("/")
    exists = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
                             f"SELECT 1 FROM pg_database WHERE datname = '{name}'"], capture_output=True, text=True)
    if exists.stdout.strip() != "1":
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    VAR.mkdir(parents=True, exist_ok=True)
    say("DB를 준비합니다(migrate, 데모 글, 직원 soak).")
    manage("migrate", "--noinput", "-v", "0")
    manage("load_demo")
    manage("collectstatic", "--noinput", "-v", "0", env={"DEBUG": "0", "STATIC_MANIFEST": "1"})
    secret = manage("shell", "-c", (
        "from django.contrib.auth import get_user_model; from django_otp.plugins.otp_totp.models import TOTPDevice;"
        "User = get_user_model(); user, _ = User.objects.get_or_create(username='soak');"
        "user.is_staff = user.is_superuser = True;"
        f"user.set_password({PASSWORD!r}); user.save();"
        "TOTPDevice.objects.filter(user=user).delete();"
        "device = TOTPDevice.objects.create(user=user, name='soak', confirmed=True); print(device.key)"
    ), capture=True).strip().splitlines()[-1]
    department = manage("shell", "-c", "from boards.models import Department; print(Department.objects.first().pk)",
                        capture=True).strip().splitlines()[-1]
    return secret, department


def totp(hex_key):
    from django_otp.oath import totp as make_totp

    return f"{make_totp(bytes.fromhex(hex_key)):06d}"


# --- 2. nodes and nginx ------------------------------------------------------------------------------

def start_node(port):
    log = open(VAR / f"node-{port}.log", "w")
    return subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-c", "gunicorn.conf.py"], cwd=ROOT,
        env={**ENV, "GUNICORN_BIND": f"127.0.0.1:{port}"}, stdout=log, stderr=subprocess.STDOUT,
    )


def nginx_config():
    """deploy/nginx/geumcheon.conf with this machine's ports, inside a minimal nginx.conf."""
    site = (ROOT / "deploy" / "nginx" / "geumcheon.conf").read_text(encoding="utf-8")
    servers = "".join(f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n" for port in NODE_PORTS)
    site = re.sub(r"(upstream geumcheon_app \{\n)(?:.*\n)*?(    keepalive)", rf"\g<1>{servers}\g<2>", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{NGINX_PORT};").replace("server_name www.geumcheon.go.kr;",
                                                                                 "server_name _;")
    return (
        f"worker_processes 2;\npid {VAR}/nginx.pid;\nerror_log {VAR}/nginx-error.log warn;\n"
        "events { worker_connections 4096; }\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {VAR}/nginx-body;\n  proxy_temp_path {VAR}/nginx-proxy;\n"
        f"{site}\n}}\n"
    )


def start_nginx():
    (VAR / "nginx.conf").write_text(nginx_config(), encoding="utf-8")
    subprocess.run(["nginx", "-t", "-q", "-c", str(VAR / "nginx.conf")], check=True)
    subprocess.run(["nginx", "-c", str(VAR / "nginx.conf")], check=True)


def stop_nginx():
    subprocess.run(["nginx", "-c", str(VAR / "nginx.conf"), "-s", "quit"], check=False)


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    sys.exit(f"{url}가 {seconds}초 안에 답하지 않았습니다.")


# --- staff through HTTP -------------------------------------------------------------------------------

class Staff:
    """A member of staff with a browser of their own: logs in with the code, saves 금천소식 with a 붙임."""

    last_code = None

    def __init__(self, base, secret, department):
        self.base, self.secret, self.department = base, secret, department
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self):
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def open(self, path, data=None, headers=None, timeout=30):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.geturl(), response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, path, error.read().decode(errors="replace")

    def log_in(self):
        """Signs in; a code is good once (django-otp), so a second sign-in waits for the next one."""
        for _ in range(3):
            code = totp(self.secret)
            while code == Staff.last_code:
                time.sleep(1)
                code = totp(self.secret)
            Staff.last_code = code
            self.open("/admin/login/")
            fields = {"username": "soak", "password": PASSWORD, "otp_token": code,
                      "csrfmiddlewaretoken": self.csrf(), "next": "/admin/"}
            status, url, _ = self.open("/admin/login/", urllib.parse.urlencode(fields).encode(),
                                       {"Referer": self.base + "/admin/login/"})
            if url.rstrip("/").endswith("/admin"):
                return
        raise RuntimeError(f"로그인 실패: {status} {url}")

    def save_news(self, title):
        """Post the add form with a small 붙임; ("saved"|"told"|"failed", status)."""
        self.open("/admin/notices/notice/add/")
        boundary = uuid.uuid4().hex
        now = datetime.datetime.now()
        fields = {
            "csrfmiddlewaretoken": self.csrf(), "kind": "news", "title": title, "body": "<p>부하 시험 중 저장한 글</p>",
            "notice_type": "", "number_year": "", "number_seq": "", "period_start": "", "period_end": "",
            "department": self.department, "contact": "", "published_at_0": now.strftime("%Y-%m-%d"),
            "published_at_1": now.strftime("%H:%M:%S"), "unpublish_at_0": "", "unpublish_at_1": "", "is_published": "on",
            "privacy_override_reason": "", "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000", "attachments-0-order": "0",
            "_save": "저장",
        }
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        )
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="attachments-0-file"; '
                 f'filename="{title}.txt"\r\nContent-Type: text/plain\r\n\r\n').encode()
        body += f"{title} 붙임 내용\n".encode() + f"\r\n--{boundary}--\r\n".encode()
        status, url, page = self.open("/admin/notices/notice/add/", body, {
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": self.base + "/admin/",
        })
        if status == 200 and url.endswith("/admin/notices/notice/"):
            return "saved", status
        if "/login/" in url:
            return "signed out", status
        if status < 500 and ("오류" in page or "다시" in page):
            return "told", status
        return "failed", status


# --- 3. load, probe, faults ----------------------------------------------------------------------------

def paths_file():
    listing = manage("shell", "-c", (
        "from boards import registry; import json;"
        "print(json.dumps([p.get_absolute_url() for b in registry.all_boards() for p in b.posts().published()[:20]]))"
    ), capture=True).strip().splitlines()[-1]
    # Mostly what the page cache answers, and list searches it never keeps (they read the database).
    paths = ["/", "/news/", "/notices/", "/recruitment/", "/contracts/", "/press/", "/news/?page=2", "/search/?q=금천",
             "/trails/", "/news/?q=소식", "/notices/?q=공고", "/press/?q=금천구", *json.loads(listing)]
    target = VAR / "paths.txt"
    target.write_text("\n".join(urllib.parse.quote(path, safe="/?=&") for path in paths) + "\n", encoding="utf-8")
    return target


def run_wrk(seconds, paths):
    command = ["wrk", "-t", "4", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "30s", "-s",
               str(ROOT / "bench" / "soak.lua"), f"http://127.0.0.1:{NGINX_PORT}", "--", str(paths)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out.split("SOAK_JSON ", 1)[1].splitlines()[0])


class Prober(threading.Thread):
    """Asks for the list page (uncached) ten times a second; keeps (seconds since start, status)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.started, self.seen, self.stopped = time.monotonic(), [], threading.Event()

    def run(self):
        n = 0
        while not self.stopped.is_set():
            n += 1
            try:
                # An unknown parameter: never from the page cache, so this reads the database every time.
                with urllib.request.urlopen(f"http://127.0.0.1:{NGINX_PORT}/news/?probe={n}", timeout=10) as r:
                    status = r.status
            except urllib.error.HTTPError as error:
                status = error.code
            except (urllib.error.URLError, OSError):
                status = 0
            self.seen.append((time.monotonic() - self.started, status))
            time.sleep(0.1)


class Saver(threading.Thread):
    """Saves a 금천소식 every two seconds through nginx, logging in again whenever it must."""

    def __init__(self, secret, department, phase):
        super().__init__(daemon=True)
        self.staff = Staff(f"http://127.0.0.1:{NGINX_PORT}", secret, department)
        self.phase, self.results, self.stopped = phase, [], threading.Event()

    def run(self):
        n, signed_in = 0, False
        while not self.stopped.is_set():
            n += 1
            title = f"soak-{self.phase}-{n}-{uuid.uuid4().hex[:6]}"
            try:
                if not signed_in:
                    self.staff.log_in()
                    signed_in = True
                outcome, status = self.staff.save_news(title)
                if outcome == "signed out":
                    signed_in, outcome = False, "failed"
            except Exception as error:  # noqa: BLE001 - a refused connection is an outcome here
                outcome, status = "failed", str(error)[:80]
            self.results.append((title, outcome, status))
            if outcome == "failed":
                say(f"  저장 실패({self.phase}): {status}")
            self.stopped.wait(2)


def restart_postgresql():
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *PG_CLUSTER.split(), "restart"], check=True)


def stop_redis():
    subprocess.run(["redis-cli", "shutdown", "nosave"], check=False)


def start_redis():
    subprocess.run(REDIS_START.split(), check=True)


def kill_one_worker(master):
    children = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True).stdout.split()
    os.kill(int(children[0]), signal.SIGKILL)


def phase(name, seconds, paths, secret, department, fault=None, at=None, then=None, then_at=None):
    prober, saver = Prober(), Saver(secret, department, name)
    prober.start()
    saver.start()
    timers = []
    marks = {}
    if fault:
        def do(action, label):
            marks[label] = time.monotonic() - prober.started
            action()
            marks[label + "_done"] = time.monotonic() - prober.started
        timers.append(threading.Timer(at, do, [fault, "fault"]))
        if then:
            timers.append(threading.Timer(then_at, do, [then, "recover"]))
    for timer in timers:
        timer.start()
    load = run_wrk(seconds, paths)
    for timer in timers:
        timer.join()
    prober.stopped.set()
    saver.stopped.set()
    prober.join()
    saver.join()
    return {"name": name, "load": load, "probe": prober.seen, "saves": saver.results, "marks": marks}


def back_to_200_seconds(result):
    """Seconds from the end of the fault (or its recovery) to the first of an unbroken run of 200s."""
    marks = result["marks"]
    end = marks.get("recover_done", marks.get("fault_done"))
    if end is None:
        return None
    statuses = [(t, s) for t, s in result["probe"] if t >= end]
    for index, (t, status) in enumerate(statuses):
        if all(s == 200 for _, s in statuses[index:]):
            return round(max(0.0, t - end), 1)
    return None


def verify(results):
    titles = [title for result in results for title, outcome, _ in result["saves"] if outcome == "saved"]
    found = manage("shell", "-c", (
        "import json; from notices.models import Notice;"
        f"titles = {titles!r};"
        "rows = Notice.objects.filter(title__in=titles).prefetch_related('attachments');"
        "print(json.dumps({p.title: [a.file.storage.exists(a.file.name) for a in p.attachments.all()] for p in rows}))"
    ), capture=True).strip().splitlines()[-1]
    found = json.loads(found)
    missing = [title for title in titles if title not in found]
    without_file = [title for title, files in found.items() if files != [True]]
    return len(titles), missing, without_file


def cross_node_checks(secret, department):
    """A save through node A shows on node B at once; a file uploaded through A downloads through B."""
    node_a, node_b = (f"http://127.0.0.1:{port}" for port in NODE_PORTS)
    staff = Staff(node_a, secret, department)
    staff.log_in()
    title = f"soak-cross-{uuid.uuid4().hex[:6]}"
    outcome, _ = staff.save_news(title)
    with urllib.request.urlopen(node_b + "/news/", timeout=10) as response:
        on_b = title in response.read().decode()
    file_url = manage("shell", "-c", (
        "from notices.models import Notice;"
        f"a = Notice.objects.get(title={title!r}).attachments.get(); print(f'/news/files/{{a.pk}}/')"
    ), capture=True).strip().splitlines()[-1]
    with urllib.request.urlopen(node_b + file_url, timeout=10) as response:
        downloaded = response.read() == f"{title} 붙임 내용\n".encode()
    health = [json.loads(urllib.request.urlopen(f"{node}/healthz", timeout=10).read())["status"]
              for node in (node_a, node_b)]
    return outcome == "saved" and on_b, downloaded, health


# --- report --------------------------------------------------------------------------------------------

def row(result):
    load, statuses = result["load"], result["load"]["statuses"]
    count = lambda *codes: sum(statuses.get(str(code), 0) for code in codes)  # noqa: E731
    saves = result["saves"]
    outage = [t for t, s in result["probe"] if s != 200]
    return (
        f"| {result['name']} | {load['requests']:,} | {load['requests'] / load['seconds']:,.0f} | "
        f"{load['p50'] / 1000:,.0f} | {load['p99'] / 1000:,.0f} | {count(200, 301, 302, 304):,} | {count(500):,} | "
        f"{count(502):,} | {count(503):,} | {load['socket_errors'] + load['timeouts']:,} | "
        f"{(round(outage[-1] - outage[0], 1) if outage else 0)} | {back_to_200_seconds(result)} | "
        f"{sum(o == 'saved' for _, o, _ in saves)}/{sum(o == 'told' for _, o, _ in saves)}/"
        f"{sum(o == 'failed' for _, o, _ in saves)} |"
    )


def main():
    secret, department = prepare()
    nodes = [start_node(port) for port in NODE_PORTS]
    try:
        for port in NODE_PORTS:
            wait_for(f"http://127.0.0.1:{port}/healthz")
        start_nginx()
        wait_for(f"http://127.0.0.1:{NGINX_PORT}/healthz")
        cross_save, cross_file, health = cross_node_checks(secret, department)
        say(f"노드 A에 저장 → 노드 B에 바로 보임: {cross_save}; A로 올린 붙임을 B에서 내려받음: {cross_file}; healthz: {health}")
        paths = paths_file()
        results = []
        say(f"1/4 평상시 {SECONDS}초, 연결 {CONNECTIONS}개 …")
        results.append(phase("평상시", SECONDS, paths, secret, department))
        say("2/4 PostgreSQL 재시작 …")
        results.append(phase("PostgreSQL 재시작", FAULT_SECONDS, paths, secret, department,
                             fault=restart_postgresql, at=10))
        say("3/4 Redis 멈춤 → 다시 시작 …")
        results.append(phase("Redis 멈춤", FAULT_SECONDS, paths, secret, department,
                             fault=stop_redis, at=10, then=start_redis, then_at=22))
        say("4/4 gunicorn 작업자 하나 강제 종료 …")
        results.append(phase("작업자 종료", FAULT_SECONDS, paths, secret, department,
                             fault=lambda: kill_one_worker(nodes[0]), at=10))
        saved, missing, without_file = verify(results)
    finally:
        stop_nginx()
        for node in nodes:
            node.send_signal(signal.SIGTERM)
        for node in nodes:
            node.wait(timeout=60)
        if subprocess.run(["redis-cli", "ping"], capture_output=True).returncode != 0:
            start_redis()
    header = (
        "| 단계 | 요청 | 요청/초 | p50 ms | p99 ms | 2xx·3xx | 500 | 502 | 503 | 소켓 오류·시간 초과 | "
        "탐침 비정상 구간 s | 복구 뒤 200까지 s | 저장 성공/안내/실패 |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    )
    lines = [
        f"# make soak 결과 ({MACHINE}, {datetime.date.today()})", "",
        f"- nginx 1개 → gunicorn 노드 2개(작업자 2개씩), PostgreSQL + Redis, 같은 컴퓨터(CPU {os.cpu_count()}개를 wrk와 함께 씀)",
        f"- wrk: 연결 {CONNECTIONS}개, 평상시 {SECONDS}초, 장애 단계 {FAULT_SECONDS}초(10초에 장애; Redis는 22초에 다시 시작)",
        f"- 노드 A에 저장 → 노드 B에 바로 보임: {cross_save}; A로 올린 붙임을 B에서 내려받음: {cross_file}; healthz: {health}",
        "", header, *[row(result) for result in results], "",
        f"저장 성공으로 답한 글 {saved}개 가운데 DB에 없는 글 {len(missing)}개, 붙임 파일이 없는 글 {len(without_file)}개.",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    (ROOT / "bench" / f"soak-results-{MACHINE}.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
