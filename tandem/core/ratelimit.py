"""API rate limits per user, shared by every app server: a fixed-window counter row per
user and window in the database, which each process draws on in blocks.

A process does not write the counter on every call. It leases a block of K tokens with one
atomic upsert (`count = count + K`, returning the new count) and spends them locally; the
lease it got is the part of the block that lies under the limit, so leases taken by
different processes never overlap and together never pass the limit: the limit stays
exact across app servers. K follows the limit, `allowed // 50` between 1 and 12: a limit
of 49 or less per window is counted call by call as before, 600/minute and anything above
it lease 12 at a time (one write every 12 calls of a user on a process; the cap keeps
what a large limit can lose to unspent tokens small, and makes a benchmark run with a
huge limit write as often as production does). A lease belongs to its window and is
dropped when the window ends. Once a lease comes back empty the window is spent for
everyone (the counter never goes down within a window), so the process refuses the rest of
that window's calls without asking the database again.

The trade-off: a token leased and not spent counts as used. With P processes serving one
user, up to P × (K - 1) calls of a window may be refused early (at 600/minute and 8
processes, 88 of 600); never more than the limit let through. Small limits, where a
refusal matters most, lease one token at a time and lose nothing.

Over the limit the API answers 429 with `Retry-After` (seconds until the window ends) and
the usual `{"detail": ...}` body. The limit is `TANDEM_API_RATE_LIMIT` (`600/minute`).
"""

import datetime
import logging
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError, connection
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from ninja.throttling import BaseThrottle

from tandem.core.models import RateCounter

logger = logging.getLogger(__name__)

_UPSERT = (
    'INSERT INTO {table} ("key", "window_start", "count") VALUES (%s, %s, %s) '
    'ON CONFLICT ("key", "window_start") DO UPDATE SET "count" = {table}."count" + %s '
    'RETURNING "count"'
)

# Leases of windows that have ended are dropped once a process holds this many.
_KEEP = 1000


LEASE_MAX = 12


def lease_size(allowed: int) -> int:
    """Tokens leased at a time for a limit of `allowed` per window."""
    return max(1, min(LEASE_MAX, allowed // 50))


def hit(key: str, window_start: datetime.datetime, tokens: int = 1) -> int:
    """Count `tokens` requests against `key` in the window starting then; the count so far,
    these included."""
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT.format(table=table),
            [key, connection.ops.adapt_datetimefield_value(window_start), tokens, tokens],
        )
        row: Any = cursor.fetchone()
    return int(row[0])


@dataclass
class _Lease:
    window: int  # the window's start, in seconds since the epoch
    left: int  # tokens leased and not yet spent
    spent: bool = False  # a lease came back empty: the window has nothing left for anyone


class Limiter:
    """One process's share of the shared counters: `allow` says whether a call of `key`
    may go ahead in the window starting at `window` (seconds since the epoch)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._leases: dict[str, _Lease] = {}

    def allow(self, key: str, window: int, allowed: int) -> bool:
        with self._lock:
            lease = self._leases.get(key)
            if lease is not None and lease.window == window:
                if lease.left > 0:
                    lease.left -= 1
                    return True
                if lease.spent:
                    return False
        size = lease_size(allowed)
        # Raises DatabaseError, for the caller to decide; nothing is leased then.
        count = hit(key, datetime.datetime.fromtimestamp(window, datetime.UTC), size)
        granted = max(0, min(size, allowed - (count - size)))
        with self._lock:
            if len(self._leases) >= _KEEP:
                self._leases = {k: v for k, v in self._leases.items() if v.window >= window}
            lease = self._leases.get(key)
            if lease is None or lease.window != window:
                lease = self._leases[key] = _Lease(window, 0)
            # Another thread of this process may have leased meanwhile: keep both.
            lease.left += max(0, granted - 1)
            lease.spent = lease.spent or granted == 0
        return granted > 0

    def forget(self) -> None:
        with self._lock:
            self._leases.clear()


# Every limiter of the process, for `_new_limit`.
_LIMITERS: list[Limiter] = []


class PerUserRateLimit(BaseThrottle):
    """ninja asks `allow_request`, then `wait` on the same (shared) object for Retry-After;
    the wait is kept per thread."""

    def __init__(self) -> None:
        self._last = threading.local()
        self.limiter = Limiter()
        _LIMITERS.append(self.limiter)

    def allow_request(self, request: HttpRequest) -> bool:
        limit = settings.TANDEM_API_RATE_LIMIT
        user_id = getattr(getattr(request, "auth", None), "pk", None)
        if limit is None or user_id is None:
            return True
        allowed, seconds = limit
        now = timezone.now().timestamp()
        start = int(now) - int(now) % seconds
        try:
            ok = self.limiter.allow(f"api:{user_id}", start, allowed)
        except DatabaseError as error:
            # A limiter must not take the API down with the database: let the call try.
            logger.warning("Rate limit not counted: %s", error)
            return True
        self._last.wait = start + seconds - now
        return ok

    def wait(self) -> float | None:
        return getattr(self._last, "wait", None)


@receiver(setting_changed)
def _new_limit(*, setting: str, **kwargs: object) -> None:
    """Leases were taken under the old limit (tests change it)."""
    if setting == "TANDEM_API_RATE_LIMIT":
        for limiter in _LIMITERS:
            limiter.forget()
