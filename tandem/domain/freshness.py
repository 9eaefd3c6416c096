"""Is a key result's value fresh? Its check-in rhythm is its own setting, or else the
workspace's (7 days unless changed); a value older than the rhythm is stale. One rule for
the lists, the tree, the key result page and review agendas."""

import datetime
from dataclasses import dataclass

DEFAULT_RHYTHM_DAYS = 7


@dataclass(frozen=True)
class Staleness:
    days: int  # since the last value (or since the key result was made, when it has none)
    rhythm: int
    never: bool  # no value was ever checked in

    @property
    def sentence(self) -> str:
        if self.never:
            return f"no check-in yet, {self.days} days on (rhythm: every {self.rhythm} days)"
        return f"no check-in for {self.days} days (rhythm: every {self.rhythm} days)"

    @property
    def short(self) -> str:
        return "never checked in" if self.never else f"{self.days} days old"


def rhythm(own: int | None, workspace_default: int | None) -> int:
    return own or workspace_default or DEFAULT_RHYTHM_DAYS


def staleness(
    *,
    last_check_in: datetime.date | None,
    created: datetime.date | None,
    today: datetime.date,
    every: int,
) -> Staleness | None:
    """None while fresh. A key result without any check-in is stale once a rhythm has passed
    since it was made."""
    if last_check_in is not None:
        days = (today - last_check_in).days
        return Staleness(days, every, never=False) if days > every else None
    if created is None:
        return Staleness(0, every, never=True)
    days = (today - created).days
    return Staleness(days, every, never=True) if days > every else None
