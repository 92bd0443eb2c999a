"""Fill the boards with realistic Korean posts at district scale, for benchmarks.

    manage.py generate_scale_data --settings=bench.settings --posts 1000000 --seed 42
        [--attachments-share 0.05] [--workers N] [--clear]
    manage.py generate_scale_data --settings=bench.settings --clear

Only bench/settings.py installs the bench app, so the portal's own settings do not
know this command (``make bench`` runs it with bench.settings). This module reads
the options and reports; what the rows are is bench/scale_data.py, how they go in
(``--workers`` inserting processes, default one per CPU on PostgreSQL) is
bench/scale_loader.py. The same ``--seed``, ``--until`` and sizes give the same rows.
"""

import contextlib
import datetime
import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import scale_data, scale_loader
from boards import post_counts
from search import index as search_index


class Command(BaseCommand):
    help = "모든 게시판에 대량의 예시 글(과 붙임 글자)을 만듭니다. 벤치마크용입니다."

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
        # Loads of REBUILD_INDEX_FROM posts or more fill the search table at the end, in bulk.
        rebuild = connection.vendor == "postgresql" and posts >= scale_data.REBUILD_INDEX_FROM
        if rebuild:
            search_index.remove_triggers()
        if clear:
            self.stdout.write(f"대량 생성 글 {scale_data.clear_generated():,}건을 지웠습니다.")
        if posts == 0:
            return
        generator = scale_data.Generator(
            seed=seed, posts=posts, years=years, attachment_share=attachments_share,
            until=until or datetime.datetime.now(scale_data.SEOUL).date(),
            departments=[department.pk for department in scale_data.ensure_departments()],
            numbers=scale_data.used_numbers(),
        )
        progress = scale_loader.Progress(posts, self.stderr)
        # Several processes inserting into one board would queue on (and deadlock over) its kept count.
        paused = post_counts.triggers_paused() if connection.vendor == "postgresql" else contextlib.nullcontext()
        try:
            with paused:
                attachments = scale_loader.load(generator, batch_size, workers, progress)
        except scale_loader.LoadStopped as error:
            raise CommandError(f"글을 만들다 멈췄습니다: {error}") from error
        seconds = progress.finish()
        self.stdout.write(
            f"게시글 {posts:,}건과 붙임 {attachments:,}건을 {seconds:,.0f}초에 만들었습니다 "
            f"(초당 {posts / max(seconds, 1e-9):,.0f}건)."
        )
        if rebuild:
            self.stdout.write("검색 색인을 다시 만듭니다…")
            started = time.monotonic()
            search_index.install(rebuild=True)
            self.stdout.write(f"검색 색인을 {time.monotonic() - started:,.0f}초에 만들었습니다.")
        if connection.vendor == "postgresql":
            self.stdout.write("통계를 새로 모읍니다(VACUUM ANALYZE)…")
            started = time.monotonic()
            scale_data.vacuum_analyze()
            self.stdout.write(f"끝났습니다({time.monotonic() - started:,.0f}초).")
