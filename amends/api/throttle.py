"""A fixed-window request counter per token (or session user, or address) in Django's cache.

The rate comes from settings.AMENDS_API_RATE_LIMIT (e.g. "600/m") and is read per request, so
tests and operators can change it without a restart of the module.
"""

from __future__ import annotations

import functools
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "600/m" -> (600, 60). Raise ImproperlyConfigured on anything else."""
    try:
        count, unit = rate.strip().split("/", 1)
        return int(count), PERIODS[unit.strip().lower()]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(
            f"AMENDS_API_RATE_LIMIT must look like 600/m (per s, m, h or d), not {rate!r}"
        ) from None


def count_hit(scope: str, ident: str, rate: str) -> int | None:
    """Count one request of `ident` against `rate` ("10/hour") in a fixed window in the cache.

    Returns the seconds to wait when over the limit, else None; an empty rate never limits.
    The API, the public complaint form and the customer's view all count this way.
    """
    if not rate:
        return None
    limit, period = parse_rate(rate)
    now = time.time()
    key = f"amends:{scope}-rate:{ident}:{period}:{int(now // period)}"
    # add() is a no-op when the key exists; incr() is atomic in memcached, Redis and locmem.
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=period + 1)
        count = 1
    if count <= limit:
        return None
    return int(period - (now % period)) + 1


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str, networks: tuple[IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 from a dual-stack socket is 10.0.0.1
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The caller's address, for rate limits: the direct peer (REMOTE_ADDR), unless the peer is
    one of AMENDS_TRUSTED_PROXIES; then the right-most X-Forwarded-For address that is not a
    trusted proxy.

    Anyone can send X-Forwarded-For, so it counts only from a proxy we trust: otherwise a
    client could pick a fresh address per request and never be limited. Each proxy appends the
    address it received the request from, so from the right, the first address no trusted
    proxy wrote is the client; what the client wrote itself is further left and ignored.
    """
    peer = str(request.META.get("REMOTE_ADDR", ""))
    networks = _networks(tuple(getattr(settings, "AMENDS_TRUSTED_PROXIES", ())))
    if not networks or not _trusted(peer, networks):
        return peer
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    # Every address is a proxy of ours (or there is none): the farthest one is the caller.
    return hops[0] if hops else peer


class ApiRateThrottle(BaseThrottle):
    def ident(self, request: HttpRequest) -> str:
        token = getattr(request, "api_token", None)
        if token is not None:
            return f"token:{token.digest[:32]}"
        user = getattr(request, "auth", None)
        if user is not None and getattr(user, "pk", None):
            return f"user:{user.pk}"
        return f"ip:{client_ip(request)}"

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, "AMENDS_API_RATE_LIMIT", "")
        return count_hit("api", self.ident(request), rate) is None

    def wait(self) -> float | None:
        rate = getattr(settings, "AMENDS_API_RATE_LIMIT", "")
        if not rate:
            return None
        _limit, period = parse_rate(rate)
        return period - (time.time() % period)
