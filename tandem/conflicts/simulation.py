"""A conflict's suggested fixes, each evaluated as a one-edit scenario before it is offered:
what it would close and open (`tandem.domain.whatif.fix_effects`).

Detection works them out for every conflict it finds, on the plan it has just loaded (each
fix judged within the part of the plan its edit reaches, so all of them cost about one more
detection), and stores them on the conflict with its other fields. Reading a conflict or
the inbox reads them back: no page or API call runs a what-if, and they are as current as
the conflict's own sentence. A conflict stored before they were (none on record) has them
worked out when it is read, until detection next runs; so has one refreshed by detection
after check-ins alone, which looks at part of the plan only."""

from dataclasses import dataclass
from typing import Any

from tandem.accounts.zones import local_today
from tandem.conflicts.models import Conflict
from tandem.domain import conflicts as engine
from tandem.domain.plan import PlanSnapshot
from tandem.domain.whatif import Effects, fix_effects
from tandem.planning.snapshot import load_plan


@dataclass(frozen=True)
class SimulatedFix:
    index: int  # the suggestion's position in the conflict's list
    suggestion: dict[str, Any]
    effects: dict[str, Any] | None  # as `effects_out` gives them; None: it needs a choice

    @property
    def one_click(self) -> bool:
        """Offered in one click: it closes the conflict and opens nothing as severe, or it
        needs a choice first (the choice is made in its dialog)."""
        return self.effects is None or bool(self.effects["one_click"])


def effects_of_fixes(plan: PlanSnapshot, found: engine.Conflict) -> list[dict[str, Any] | None]:
    """What detection stores in `Conflict.fix_effects`."""
    return [effects_out(e) for e in fix_effects(plan, found)]


def simulated_fixes(conflict: Conflict) -> list[SimulatedFix]:
    """Each suggestion of the conflict with its effects, as detection stored them."""
    if not conflict.suggestions:
        return []
    effects = conflict.fix_effects
    if len(effects) != len(conflict.suggestions):
        effects = _work_out(conflict)
    return [SimulatedFix(n, s, effects[n]) for n, s in enumerate(conflict.suggestions)]


def _work_out(conflict: Conflict) -> list[Any]:
    """For a conflict whose fixes detection has not tried (stored before it did, or
    refreshed after check-ins alone, over part of the plan): on the whole plan, now."""
    plan = load_plan(conflict.workspace, local_today(conflict.workspace))
    found = engine.Conflict(
        rule=engine.Rule(conflict.rule),
        subject=tuple(engine.Ref(kind, id) for kind, id in conflict.subject),
        severity=engine.Severity(conflict.severity),
        sentence=conflict.sentence,
        suggestions=tuple(
            engine.Suggestion(s["action"], s["label"], tuple(s["params"].items()))
            for s in conflict.suggestions
        ),
    )
    return effects_of_fixes(plan, found)


def effects_out(effects: Effects | None) -> dict[str, Any] | None:
    """As the API shows them (and detection stores them)."""
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
