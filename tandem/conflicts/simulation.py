"""A stored conflict's suggested fixes, each evaluated as a one-edit scenario before it is
offered: what it would close and open (`tandem.domain.whatif.fix_effects`). One plan load
and one detection for the plan, then one detection per fix; nothing is written."""

import datetime
from dataclasses import dataclass
from typing import Any

from tandem.accounts.models import Workspace
from tandem.conflicts.models import Conflict
from tandem.domain import conflicts as engine
from tandem.domain.conflict_rules import detect
from tandem.domain.whatif import Effects, fix_effects
from tandem.planning.snapshot import load_plan


@dataclass(frozen=True)
class SimulatedFix:
    index: int  # the suggestion's position in the conflict's list
    suggestion: dict[str, Any]
    effects: Effects | None  # None: it needs a choice first, or no longer applies

    @property
    def one_click(self) -> bool:
        """Offered in one click: it closes the conflict and opens nothing as severe, or it
        needs a choice first (the choice is made in its dialog)."""
        return self.effects is None or self.effects.one_click


def simulate_fixes(conflict: Conflict, today: datetime.date) -> list[SimulatedFix]:
    """Each suggestion of the conflict with its effects on today's plan."""
    if not conflict.suggestions:
        return []
    workspace: Workspace = conflict.workspace
    plan = load_plan(workspace, today)
    base = detect(plan)
    found = next((c for c in base if c.key == conflict.key), None)
    if found is None:
        # The stored conflict is out of date (detection has not caught up): nothing here
        # can be judged against it.
        return [SimulatedFix(n, s, None) for n, s in enumerate(conflict.suggestions)]
    effects = fix_effects(plan, base, found)
    by_label = {s.label: e for s, e in zip(found.suggestions, effects, strict=True)}
    return [
        SimulatedFix(n, s, by_label.get(s["label"])) for n, s in enumerate(conflict.suggestions)
    ]


def effects_out(effects: Effects | None) -> dict[str, Any] | None:
    """As the API shows them."""
    if effects is None:
        return None
    return {
        "closed": [_brief(c) for c in effects.closed],
        "opened": [_brief(c) for c in effects.opened],
        "closes_it": effects.closes_it,
        "one_click": effects.one_click,
    }


def _brief(conflict: engine.Conflict) -> dict[str, str]:
    return {
        "key": conflict.key,
        "rule": conflict.rule.value,
        "rule_label": conflict.rule.label,
        "severity": conflict.severity.value,
        "sentence": conflict.sentence,
    }
