"""A suggested fix's effects as stored on the conflict and shown by the API: each fix of a
detected conflict tried as a one-edit scenario (`tandem.domain.whatif.fix_effects`)."""

from typing import Any

from tandem.domain import conflicts as engine
from tandem.domain.plan import PlanSnapshot
from tandem.domain.whatif import Effects, fix_effects


def effects_of_fixes(plan: PlanSnapshot, found: engine.Conflict) -> list[dict[str, Any] | None]:
    """What detection stores in `Conflict.fix_effects`."""
    return [effects_out(e) for e in fix_effects(plan, found)]


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
