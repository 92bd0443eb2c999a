"""Test-run defaults, loaded as a plugin (-p) so they exist before Django reads its settings."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="geumcheon-test-media-"))
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="geumcheon-test-static-"))
