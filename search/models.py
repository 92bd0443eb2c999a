"""통합검색 has no models of its own.

This module exists so that Django sends ``post_migrate`` for the app (it skips apps
without a models module): search/apps.py hangs search/index.py on that signal.
"""
