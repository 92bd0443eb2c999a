"""The client's address, and whether it lies in a list of networks.

The address is the connection's (REMOTE_ADDR). Only when that connection comes
from a proxy listed in TRUSTED_PROXIES is X-Forwarded-For read, from the right:
the first address there that is not itself a trusted proxy is the client. A
header anyone can send is never believed from anywhere else.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=32)
def networks(cidrs):
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip())


def in_networks(address, cidrs):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks(tuple(cidrs)))


def client_ip(request):
    """The client's address as text, or None when the connection has none (a unix socket's peer)."""
    address = _valid(request.META.get("REMOTE_ADDR", ""))
    trusted = tuple(settings.TRUSTED_PROXIES)
    if address is None or not trusted or not in_networks(address, trusted):
        return address
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        if not in_networks(hop, trusted):
            return _valid(hop) or address
    return address


def _valid(address):
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def lockout_parameters(request_or_attempt, credentials=None):
    """What django-axes counts failures by: the account and the address, except for a shared address.

    Behind an office's NAT (LOCKOUT_SHARED_NETWORKS) every member of staff comes from one
    address; counting it would let five typos across the office lock everyone out. There
    only the account is counted (and still locked after five failures).
    """
    address = getattr(request_or_attempt, "axes_ip_address", None) or getattr(request_or_attempt, "ip_address", None)
    if address is None and hasattr(request_or_attempt, "META"):
        address = client_ip(request_or_attempt)
    if address and in_networks(address, tuple(settings.LOCKOUT_SHARED_NETWORKS)):
        return ["username"]
    return ["username", "ip_address"]
