"""The links in the mails.

- Confirmation (``확인``): a random token; only its SHA-256 is stored, so the table alone cannot
  confirm anyone. Valid for SUBSCRIPTION_CONFIRM_DAYS and once (the request row goes on use).
- Unsubscribe and preferences: the subscription's number and nonce, signed with SECRET_KEY
  (django.core.signing). No expiry: a link in a mail from last year still unsubscribes. A
  deleted subscription, or one given a new nonce, no longer answers to old links.
"""

import hashlib
import secrets

from django.core import signing

TOKEN_MAX_LENGTH = 200  # anything longer is not one of ours; refused before any work
MANAGE_SALT = "subscriptions.manage"


def new_confirmation_token():
    """(token for the link, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token):
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def looks_like_token(token):
    return (
        isinstance(token, str) and 0 < len(token) <= TOKEN_MAX_LENGTH and token.isascii() and token.isprintable()
    )


def manage_token(subscription):
    return signing.dumps([subscription.pk, subscription.nonce], salt=MANAGE_SALT, compress=False)


def read_manage_token(token):
    """(subscription pk, nonce), or None for anything not signed by us."""
    if not looks_like_token(token):
        return None
    try:
        value = signing.loads(token, salt=MANAGE_SALT)
    except signing.BadSignature:
        return None
    if (
        not isinstance(value, list) or len(value) != 2
        or not isinstance(value[0], int) or isinstance(value[0], bool) or not isinstance(value[1], str)
    ):
        return None
    return value[0], value[1]
