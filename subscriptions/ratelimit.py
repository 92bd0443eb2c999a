"""How often the form may be sent: per client address and per e-mail address (boards/attempts.py)."""

from django.conf import settings

from boards.attempts import client_address, within_limit


def address_allowed(request):
    return within_limit("subscriptions.address", client_address(request),
                        limit=settings.SUBSCRIPTION_RATE_LIMIT, window=settings.SUBSCRIPTION_RATE_WINDOW)


def email_allowed(email):
    return within_limit("subscriptions.email", email,
                        limit=settings.SUBSCRIPTION_EMAIL_RATE_LIMIT, window=settings.SUBSCRIPTION_RATE_WINDOW)
