"""Quarters and other cycle spans, relative to any day."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    name: str
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def elapsed_share(self, today: datetime.date) -> float:
        """How much of the span has passed on `today`, from 0.0 to 1.0."""
        if today < self.start:
            return 0.0
        if today >= self.end:
            return 1.0
        return ((today - self.start).days + 1) / self.days


def quarter_of(day: datetime.date) -> Span:
    index = (day.month - 1) // 3
    start = datetime.date(day.year, index * 3 + 1, 1)
    return Span(f"Q{index + 1} {day.year}", start, _next_quarter_start(start) - _ONE_DAY)


def next_quarter(day: datetime.date) -> Span:
    return quarter_of(_next_quarter_start(quarter_of(day).start))


def previous_quarter(day: datetime.date) -> Span:
    return quarter_of(quarter_of(day).start - _ONE_DAY)


_ONE_DAY = datetime.timedelta(days=1)


def _next_quarter_start(start: datetime.date) -> datetime.date:
    month = start.month + 3
    return datetime.date(start.year + (month > 12), (month - 1) % 12 + 1, 1)


def day_words(day: datetime.date) -> str:
    """A day as every page writes it: '1 Dec 2026' (ISO is for inputs and the API)."""
    return f"{day.day} {day:%b %Y}"
