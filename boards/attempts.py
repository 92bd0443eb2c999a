"""How often one visitor may do something (send the survey, ask for 이메일 알림), counted in the shared cache.

The visitor is the real client address (setting CLIENT_IP: the connection's, or a trusted proxy's
X-Forwarded-For), never the User-Agent, which anyone changes at will. Keys are keyed hashes: the
cache never holds an address or an e-mail address in the clear.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string


def client_address(request):
    return import_string(settings.CLIENT_IP)(request) or ""


def within_limit(name, value, *, limit, window):
    """Count one attempt of ``name`` for ``value``; False once it passed ``limit`` within ``window`` seconds."""
    digest = salted_hmac(f"{name}.rate", value, algorithm="sha256").hexdigest()
    key = f"{name}-rate:{digest}"
    cache.add(key, 0, timeout=window)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add() and incr(), or the cache is away
        cache.set(key, 1, timeout=window)
        attempts = 1
    return attempts <= limit
