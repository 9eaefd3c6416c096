"""Whose "today" it is. A workspace has a time zone, a member may set their own; every
date Tandem computes from the clock (a check-in's default date, a cycle's elapsed share,
conflict detection) goes through `local_today`, so it is one rule in one place."""

import datetime
import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from tandem.accounts.models import Member, Workspace


@lru_cache(maxsize=64)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def zone_of(workspace: Workspace | None, member: Member | None = None) -> zoneinfo.ZoneInfo:
    """The member's own zone, else the workspace's, else the installation's TANDEM_TIME_ZONE."""
    name = (member.time_zone if member else "") or (workspace.time_zone if workspace else "")
    try:
        return _zone(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # Stored zones are validated; one removed from the system's tz database since falls back.
        return _zone(settings.TIME_ZONE)


def local_today(
    workspace: Workspace | None,
    member: Member | None = None,
    at: datetime.datetime | None = None,
) -> datetime.date:
    """The date it is (or was `at`) for this member of this workspace."""
    return timezone.localdate(at or timezone.now(), zone_of(workspace, member))


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]
