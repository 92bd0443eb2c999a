"""gunicorn.conf.py: the settings production serves with."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_workers_leave_what_loading_made_out_of_full_collections():
    conf = runpy.run_path(str(CONF))
    gc.unfreeze()
    try:
        conf["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


def test_sync_workers_serve_the_portal():
    conf = runpy.run_path(str(CONF))
    assert conf["wsgi_app"] == "geumcheon_portal.wsgi:application"
    assert conf["worker_class"] == "sync" and conf["workers"] >= 3
