"""The rooms of the code (DESIGN.md, "Shape of the code"): who may import whom, no cycles, frozen migrations.

Read from the source with ``ast``, imports inside functions included, so a lazy
import cannot hide an upward dependency.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOARD_APPS = {"notices", "recruitment", "contracts", "press"}
# Each room and the project rooms it may import (besides itself). A room higher
# up (geumcheon_portal, bench, backups, tests) may import anything.
MAY_IMPORT = {
    "files": set(),
    "privacy": {"files"},
    "boards": {"files", "privacy"},
    # The staff side of boards: post admin, review, takedown, revisions.
    "editorial": {"boards", "files", "privacy"},
    **{app: {"boards", "editorial", "files", "privacy"} for app in BOARD_APPS},
    "tourism": {"boards", "editorial", "files", "privacy"},
    "feedback": {"boards", "files", "privacy"},
    "search": {"boards", "files", "privacy", "tourism"},
    # Staff accounts, roles and the audit log; boards asks its policy through a setting.
    "staff": {"boards", "editorial", "files", "privacy"},
    # The home page shows the trails; load_demo fills every board; ensure_staff makes the first account.
    "home": {"boards", "files", "privacy", "tourism", "staff", *BOARD_APPS},
    # The open API and the 공공데이터 page: every board, read only.
    "opendata": {"boards", "files", "privacy", *BOARD_APPS},
    # 이메일 알림: subscribers of boards and keywords, mailed by the worker.
    "subscriptions": {"boards", "files", "privacy", *BOARD_APPS},
}
ROOMS = set(MAY_IMPORT) | {"geumcheon_portal", "bench", "backups"}
# What a migration may import: Django, and the few stable names old migrations need
# (fields, validators and upload_to functions they name; operations kept for them).
MIGRATION_IMPORTS = {
    "files.fields", "files.checks", "files.names", "boards.uploads", "boards.filechecks",
    "boards.post_dates", "boards.count_triggers", "boards.month_triggers", "search.operations", "home.models",
}


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path):
    """Every module ``path`` imports, as absolute dotted names (``from x import y``: x.y and x)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def source_files(room, *, migrations=False):
    for path in sorted((ROOT / room).rglob("*.py")):
        if ("migrations" in path.parts) == migrations:
            yield path


@pytest.mark.parametrize("room", sorted(MAY_IMPORT))
def test_a_room_imports_only_rooms_below_it(room):
    allowed = MAY_IMPORT[room] | {room}
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in source_files(room) for name in imported_modules(path)
        if name.split(".")[0] in ROOMS and name.split(".")[0] not in allowed
    }
    assert not wrong


def test_boards_names_no_app_above_it():
    for path in source_files("boards"):
        text = path.read_text(encoding="utf-8")
        for app in ("home", "search", "tourism", "feedback", "bench", *BOARD_APPS):
            assert f"from {app}" not in text and f"import {app}" not in text, (path, app)


def test_no_import_cycles():
    modules = {
        module_name(path): path for room in ROOMS for path in source_files(room) if path.exists()
    }
    graph = {
        name: {target for target in imported_modules(path) if target in modules and target != name}
        for name, path in modules.items()
    }
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycles.append(" → ".join([*trail[trail.index(target):], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles


@pytest.mark.parametrize("room", sorted(ROOMS - {"geumcheon_portal", "bench"}))
def test_migrations_import_nothing_that_later_edits_would_change(room):
    wrong = set()
    for path in source_files(room, migrations=True):
        for name in imported_modules(path):
            top = name.split(".")[0]
            if top in ROOMS and name not in MIGRATION_IMPORTS and ".migrations" not in name:
                if not any(name.startswith(f"{allowed}.") for allowed in MIGRATION_IMPORTS):
                    wrong.add(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong


def test_no_leftover_startapp_stubs():
    stubs = [
        path.relative_to(ROOT) for room in ROOMS for path in source_files(room)
        if "# Create your" in path.read_text(encoding="utf-8")
    ]
    assert not stubs


def test_every_image_field_is_the_checked_and_re_encoded_one():
    from django.apps import apps
    from django.db import models

    from files.fields import ImageField

    image_fields = [
        (f"{model._meta.label}.{field.name}", isinstance(field, ImageField))
        for model in apps.get_models() for field in model._meta.fields if isinstance(field, models.ImageField)
    ]
    assert len(image_fields) >= 4  # banners, icons, trails, press photos
    assert [label for label, checked in image_fields if not checked] == []


def test_every_app_runs_its_own_config():
    """A second AppConfig class in an apps module makes Django fall back to a bare one, silently."""
    from django.apps import apps

    for app_config in apps.get_app_configs():
        if app_config.name.split(".")[0] in ROOMS | {"staff", "tests"}:
            assert type(app_config).__module__.endswith(("apps", "admin_apps")), app_config.name
            assert app_config.verbose_name != app_config.label.title(), app_config.name
