"""Kept for old migrations, which name ``boards.uploads.attachment_upload_to``; it lives in files/names.py."""

from files.names import attachment_upload_to  # noqa: F401
