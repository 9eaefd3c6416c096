"""API rate limits per user, shared by every app server: a fixed-window counter row per
user and window in the database, incremented with one atomic upsert.

Over the limit the API answers 429 with `Retry-After` (seconds until the window ends) and
the usual `{"detail": ...}` body. The limit is `TANDEM_API_RATE_LIMIT` (`600/minute`).
"""

import datetime
import logging
import threading
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest
from django.utils import timezone
from ninja.throttling import BaseThrottle

from tandem.core.models import RateCounter

logger = logging.getLogger(__name__)

_UPSERT = (
    'INSERT INTO {table} ("key", "window_start", "count") VALUES (%s, %s, 1) '
    'ON CONFLICT ("key", "window_start") DO UPDATE SET "count" = {table}."count" + 1 '
    'RETURNING "count"'
)


def hit(key: str, window_start: datetime.datetime) -> int:
    """Count one request against `key` in the window starting then; the count so far."""
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT.format(table=table),
            [key, connection.ops.adapt_datetimefield_value(window_start)],
        )
        row: Any = cursor.fetchone()
    return int(row[0])


class PerUserRateLimit(BaseThrottle):
    """ninja asks `allow_request`, then `wait` on the same (shared) object for Retry-After;
    the wait is kept per thread."""

    def __init__(self) -> None:
        self._last = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        limit = settings.TANDEM_API_RATE_LIMIT
        user_id = getattr(getattr(request, "auth", None), "pk", None)
        if limit is None or user_id is None:
            return True
        allowed, seconds = limit
        now = timezone.now().timestamp()
        start = int(now) - int(now) % seconds
        try:
            used = hit(f"api:{user_id}", datetime.datetime.fromtimestamp(start, datetime.UTC))
        except DatabaseError as error:
            # A limiter must not take the API down with the database: let the call try.
            logger.warning("Rate limit not counted: %s", error)
            return True
        self._last.wait = start + seconds - now
        return used <= allowed

    def wait(self) -> float | None:
        return getattr(self._last, "wait", None)
