"""What a conflict is: its rule, subject, severity, sentence and suggestions.

A conflict names the rule and the entities it concerns (its stable `key`, the same
across runs), says in one sentence what is wrong with the numbers, and suggests
resolutions. Its `fingerprint` summarises the inputs that made it fire, so a dismissal
holds exactly until those inputs change.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from tandem.domain.plan import PlanSnapshot


class Rule(StrEnum):
    LATE_DELIVERY = "late_delivery"
    UNSUPPORTED_KEY_RESULT = "unsupported_key_result"
    ORPHAN_WORK = "orphan_work"
    OVER_CAPACITY = "over_capacity"
    DEPENDENCY_ORDER = "dependency_order"
    DROPPED_GOAL_LIVE_WORK = "dropped_goal_live_work"
    AT_RISK_WITHOUT_ACTION = "at_risk_without_action"
    STRATEGY_GAP = "strategy_gap"

    @property
    def label(self) -> str:
        return RULE_LABELS[self]


RULE_LABELS = {
    Rule.LATE_DELIVERY: "Late delivery",
    Rule.UNSUPPORTED_KEY_RESULT: "Unsupported key result",
    Rule.ORPHAN_WORK: "Orphan work",
    Rule.OVER_CAPACITY: "Over capacity",
    Rule.DEPENDENCY_ORDER: "Dependency order",
    Rule.DROPPED_GOAL_LIVE_WORK: "Dropped goal, live work",
    Rule.AT_RISK_WITHOUT_ACTION: "At risk without action",
    Rule.STRATEGY_GAP: "Strategy gap",
}


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Ref(NamedTuple):
    """An entity a conflict involves: kind is cycle, pillar, team, objective, key_result or
    initiative."""

    kind: str
    id: int


class Suggestion(NamedTuple):
    """A resolution that can be applied in one click: `action` names the service to call."""

    action: str
    label: str
    params: tuple[tuple[str, object], ...] = ()


# Plain tuples and a non-frozen slotted class: a large plan yields tens of thousands of
# conflicts, and frozen dataclasses cost several times more to build.
@dataclass(slots=True)
class Conflict:
    rule: Rule
    subject: tuple[Ref, ...]  # the entities that identify it; key derives from these
    severity: Severity
    sentence: str
    involved: tuple[Ref, ...] = ()  # further entities worth a link
    suggestions: tuple[Suggestion, ...] = ()
    inputs: tuple[object, ...] = field(default=(), repr=False)

    @property
    def key(self) -> str:
        return ":".join([self.rule.value, *(f"{kind}-{id}" for kind, id in self.subject)])

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(repr(self.inputs).encode()).hexdigest()[:16]


RuleFunction = Callable[[PlanSnapshot], Iterable[Conflict]]


def quote(title: str) -> str:
    return f"'{title}'"


def listing(titles: Iterable[str], limit: int = 3) -> str:
    """'A', 'B' and 'C' — or 'A', 'B' and 4 more."""
    return join_phrases([quote(t) for t in titles], limit)


def join_phrases(items: list[str], limit: int = 3) -> str:
    if len(items) > limit:
        items = [*items[: limit - 1], f"{len(items) - limit + 1} more"]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
