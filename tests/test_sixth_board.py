"""A sixth board needs no edit outside its own app: tests/sixth_board/ registers one, and a
nested pytest run under tests.sixth_board.settings checks it everywhere boards appear."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_sixth_board_appears_everywhere_without_touching_another_module():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--ds=tests.sixth_board.settings",
         "tests/sixth_board/checks.py"],
        cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
