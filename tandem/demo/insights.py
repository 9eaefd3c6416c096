"""The demo's insights: customer feedback and market research received over the last six
months, triaged onto initiatives, except the most recent, which wait in the inbox."""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from tandem.accounts.models import Member
from tandem.demo.content_insights import CUSTOMERS, FEEDBACK, FEEDBACK_SOURCES, RESEARCH
from tandem.roadmaps.models import Initiative, InsightKind, InsightStatus
from tandem.roadmaps.services import insight_create, insight_link, insight_update

# Who logs what they hear: product managers and leads (viewers cannot write).
FEEDBACK_LOGGERS = ("sofia", "aisha", "priya", "noah", "liam", "mei")
RESEARCH_LOGGERS = ("dana", "priya", "mei", "aisha")
# Most insights are recent; an exponential age gives the inbox a realistic fresh pile.
MEAN_AGE_DAYS = 40
MAX_AGE_DAYS = 180
INBOX_DAYS = 10  # younger than this: not triaged yet
ARCHIVE_AFTER_DAYS = 90  # older and never linked: archived


@dataclass(frozen=True)
class _Draft:
    key: str
    kind: str
    title: str
    text: str
    source: str
    customer: str
    importance: int
    initiative: str | None
    age: int
    received: datetime.datetime
    logger: str


def add_insights(
    *,
    people: dict[str, Member],
    initiatives: dict[str, Initiative],
    today: datetime.date,
    rng: Callable[[str], random.Random],
) -> None:
    # Created oldest first, so ids follow the order they were received in.
    drafts = sorted(_drafts(today, rng), key=lambda d: (d.received, d.key))
    for draft in drafts:
        by = people[draft.logger]
        insight = insight_create(
            title=draft.title,
            kind=draft.kind,
            text=draft.text,
            source=draft.source,
            customer=draft.customer,
            importance=draft.importance,
            created_at=draft.received,
            by=by,
        )
        if draft.age < INBOX_DAYS:
            continue
        if draft.initiative is not None:
            insight_link(insight=insight, initiatives=[initiatives[draft.initiative]], by=by)
        elif draft.age > ARCHIVE_AFTER_DAYS:
            insight_update(insight=insight, status=InsightStatus.ARCHIVED, by=by)
        else:
            insight_update(insight=insight, status=InsightStatus.TRIAGED, by=by)


def _drafts(today: datetime.date, rng: Callable[[str], random.Random]) -> list[_Draft]:
    drafts = []
    for theme in FEEDBACK:
        theme_rng = rng(f"insight/{theme.key}")
        customers = theme_rng.sample(CUSTOMERS, len(theme.quotes))
        for index, (quote, customer) in enumerate(zip(theme.quotes, customers, strict=True)):
            key = f"{theme.key}/{index}"
            r = rng(f"insight/{key}")
            age = _age(r)
            drafts.append(
                _Draft(
                    key=key,
                    kind=InsightKind.CUSTOMER_FEEDBACK,
                    title=theme.title,
                    text=f"> {quote}",
                    source=r.choice(FEEDBACK_SOURCES),
                    customer=customer,
                    importance=max(1, min(5, theme.importance + r.choice((-1, 0, 0, 0, 1)))),
                    initiative=theme.initiative,
                    age=age,
                    received=_received(today, age, r),
                    logger=r.choice(FEEDBACK_LOGGERS),
                )
            )
    for research in RESEARCH:
        r = rng(f"insight/{research.title}")
        age = _age(r)
        drafts.append(
            _Draft(
                key=research.title,
                kind=InsightKind.MARKET_RESEARCH,
                title=research.title,
                text=research.text,
                source=research.source,
                customer=research.segment,
                importance=research.importance,
                initiative=research.initiative,
                age=age,
                received=_received(today, age, r),
                logger=r.choice(RESEARCH_LOGGERS),
            )
        )
    return drafts


def _age(r: random.Random) -> int:
    return min(MAX_AGE_DAYS, 1 + int(r.expovariate(1 / MEAN_AGE_DAYS)))


def _received(today: datetime.date, age: int, r: random.Random) -> datetime.datetime:
    # Office hours on the day it came in; at least a day ago, so never in the future.
    day = today - datetime.timedelta(days=age)
    moment = datetime.datetime.combine(day, datetime.time(9)) + datetime.timedelta(
        minutes=r.randrange(8 * 60)
    )
    return timezone.make_aware(moment)
