"""Loading the scale data: one process builds batches, ``workers`` processes insert them.

On PostgreSQL an insert's time is mostly the database's (triggers, index
entries), which runs on one core per connection, so each inserting process has
its own connection. With several of them the rows' ids
interleave differently from run to run; their contents do not.

The inserting processes are started with "spawn" (a fresh interpreter), which
imports this module before Django is set up: so it imports nothing of Django's
(nor bench/scale_data.py, which imports models) at the top. The child sets Django
up first, with the parent's settings module and DATABASES setting (a test run
points it at the test database), then imports what it needs. bench/scale_data.py
does not import this module: the dependency goes one way.
"""

import multiprocessing
import os
import queue
import time

VANISHED = "글을 넣는 프로세스가 모두 예고 없이 끝났습니다."


class LoadStopped(Exception):
    """A batch could not be built or inserted; the message says why (for staff, in Korean)."""


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
        from django.conf import settings
        from django.db import connections

        # The live connection settings: a test run renames the database on these only.
        databases = {alias: dict(connections[alias].settings_dict) for alias in connections}
        arguments = (batches, done, batch_size, settings.SETTINGS_MODULE, databases)
        children += [spawn.Process(target=insert, args=arguments, daemon=True) for _ in range(workers)]
    for child in children:
        child.start()
    reports = received(done, children[1:]) if workers > 1 else inserted(batches, batch_size)
    attachments, finished = 0, 0
    try:
        for report in reports:
            if isinstance(report, str):
                raise LoadStopped(report)
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
                yield VANISHED


def inserted(batches, batch_size):
    """Insert here, one batch at a time, reporting as ``insert`` does."""
    from bench.scale_data import insert_batch

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


def insert(batches, done, batch_size, settings_module, databases):
    """An inserting process: batches in, ``(posts, 붙임)`` counts out (or an error's text), None when finished.

    ``settings_module`` is the parent's (bench.settings for ``make bench``, the
    portal's under the tests), not whatever this process's environment names.
    """
    try:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
        import django
        from django.conf import settings

        settings.DATABASES.update(databases)  # before setup: apps may open connections
        django.setup()
        from django.db import connections

        from bench.scale_data import insert_batch

        while (batch := batches.get()) is not None:
            if isinstance(batch, str):  # the producer failed
                done.put(batch)
                return
            done.put((len(batch), insert_batch(batch, batch_size)))
        connections.close_all()
    except Exception as error:
        done.put(repr(error))
    finally:
        done.put(None)


class Progress:
    """A one-line progress bar with the rate and the time left, redrawn at most once a second."""

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
