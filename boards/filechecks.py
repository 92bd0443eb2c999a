"""Kept for old migrations, which name ``boards.filechecks.UploadValidator``; it lives in files/checks.py."""

from files.checks import UploadValidator  # noqa: F401
