"""How often the form may be sent: per client address and per e-mail address, counted in the shared cache.

The client address is the survey's (setting CLIENT_IP: the connection's, or a trusted proxy's
X-Forwarded-For). Both keys are keyed hashes: the cache never holds an address in the clear.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string


def client_address(request):
    return import_string(settings.CLIENT_IP)(request) or ""


def count(kind, value, limit, window):
    """Count one attempt for ``value``; False once it passed ``limit`` within ``window`` seconds."""
    digest = salted_hmac(f"subscriptions.rate.{kind}", value, algorithm="sha256").hexdigest()
    key = f"subscribe-rate:{kind}:{digest}"
    cache.add(key, 0, timeout=window)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add() and incr(), or the cache is away
        cache.set(key, 1, timeout=window)
        attempts = 1
    return attempts <= limit


def address_allowed(request):
    limit, window = settings.SUBSCRIPTION_RATE_LIMIT, settings.SUBSCRIPTION_RATE_WINDOW
    return count("address", client_address(request), limit, window)


def email_allowed(email):
    return count("email", email, settings.SUBSCRIPTION_EMAIL_RATE_LIMIT, settings.SUBSCRIPTION_RATE_WINDOW)
