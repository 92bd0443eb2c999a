"""A shared cache that degrades instead of failing: Redis down means pages served uncached, never a 500.

Every call to Redis runs with short socket timeouts (settings CACHE_TIMEOUT_SECONDS).
A failed call is logged, answers as a miss (``get`` gives the default, ``add``
False, ``incr`` a ValueError like a missing key), and puts this process in a brief
back-off (CACHE_BACKOFF_SECONDS) in which Redis is not tried at all: a request
does not pay a timeout for each of its cache calls. The first call that works
again calls the function named by setting CACHE_RECOVERED_HOOK (the page cache's
content-version bump), so a change saved while Redis was away shows on every
worker and node at once.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)
READS = {"get", "get_many", "has_key"}


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.get("OPTIONS", {})
        self.backoff_seconds = float(options.pop("BACKOFF_SECONDS", 2))
        self._resume_at = 0.0
        self._degraded = False
        super().__init__(server, params)

    def _call(self, name, default, *args, **kwargs):
        if time.monotonic() < self._resume_at:
            return self._missing(name, default)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except ValueError:  # incr/decr of a missing key: the caller's business
            raise
        except Exception as error:  # noqa: BLE001 - redis-py raises ConnectionError, TimeoutError, OSError…
            if not self._degraded:
                logger.warning("캐시(Redis)를 쓸 수 없어 캐시 없이 답합니다: %s", error)
            self._degraded = True
            self._resume_at = time.monotonic() + self.backoff_seconds
            return self._missing(name, default)
        if self._degraded:
            self._degraded = False
            logger.warning("캐시(Redis)가 돌아왔습니다.")
            hook = getattr(settings, "CACHE_RECOVERED_HOOK", "")
            if hook:
                import_string(hook)()
                if name in READS:  # read again: what was read may be what the hook just changed
                    return self._call(name, default, *args, **kwargs)
        return result

    @staticmethod
    def _missing(name, default):
        if name in ("incr", "decr"):
            raise ValueError("캐시를 쓸 수 없습니다.")
        return default

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", [], data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", None, key, delta, version)

    def clear(self):
        return self._call("clear", False)
