"""Test-run defaults, loaded as a plugin (-p) so they exist before Django reads its settings."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="geumcheon-test-media-"))
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="geumcheon-test-static-"))
# Query-count and behaviour tests measure the uncached path; tests/test_page_cache.py
# switches the cache on where it is the subject.
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
# Every reading written at once, so tests can read view counts from the database;
# tests/test_detail.py sets a batch where batching is the subject.
os.environ.setdefault("VIEW_COUNT_BATCH", "1")
