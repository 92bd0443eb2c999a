"""`make run PORT=N`: what it runs names the port it serves (dry run, nothing is executed)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def dry_run(*args, **env):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    environment = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    result = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, env={**environment, **env},
                            capture_output=True, text=True, check=True)
    return [line for line in result.stdout.splitlines() if "manage.py" in line]


def test_the_first_administrator_and_absolute_links_name_the_port_served():
    commands = dry_run("PORT=8126")
    assert any("ensure_staff" in line for line in commands)
    assert all("SITE_URL=http://127.0.0.1:8126" in line for line in commands), commands
    assert any("runserver 127.0.0.1:8126" in line for line in commands)


def test_a_site_url_given_by_the_environment_wins():
    commands = dry_run("PORT=8126", SITE_URL="https://www.geumcheon.go.kr")
    assert all("SITE_URL=https://www.geumcheon.go.kr" in line for line in commands), commands
