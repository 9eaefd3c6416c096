"""A conflict's suggested fixes, each evaluated as a one-edit scenario before it is offered:
what it would close and open (`tandem.conflicts.effects`).

They are stored on the conflict with the mark of the plan they were worked out on
(`fix_effects_of`: the day and the newest change). Detection works them out for every
conflict of a plan up to INLINE_DETECTION_LIMIT, where that is cheap. Reading one conflict
(its page, its fix dialog, the API) uses them while the mark is current, else works them
out once on the plan as it is now (one plan load; each fix judged within the part of the
plan it reaches) and stores them for the next read. A list shows those that are current."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from tandem.accounts.models import Workspace
from tandem.accounts.zones import local_today
from tandem.conflicts.detection import current_mark
from tandem.conflicts.effects import effects_of_fixes
from tandem.conflicts.models import Conflict
from tandem.domain import conflicts as engine
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


def simulated_fixes(conflict: Conflict) -> list[SimulatedFix]:
    """Each suggestion of the conflict with its effects on the plan as it is now: those
    stored when they were worked out on it, else worked out now and stored."""
    if not conflict.suggestions:
        return []
    today = local_today(conflict.workspace)
    mark = current_mark(conflict.workspace, today)
    effects = conflict.fix_effects
    if conflict.fix_effects_of != mark or len(effects) != len(conflict.suggestions):
        effects = _work_out(conflict, today)
        # A cache of the plan's arithmetic, not a change to the conflict: no version, no
        # ChangeEvent.
        Conflict.objects.filter(pk=conflict.pk).update(fix_effects=effects, fix_effects_of=mark)
        conflict.fix_effects, conflict.fix_effects_of = effects, mark
    return [SimulatedFix(n, s, effects[n]) for n, s in enumerate(conflict.suggestions)]


def with_current_effects(rows: QuerySet[Conflict], workspace: Workspace) -> QuerySet[Conflict]:
    """For a list: each row knows (`effects_current`) whether its stored effects were worked
    out on the plan as it is now; the others are left to be worked out when it is read."""
    mark = current_mark(workspace, local_today(workspace))
    return rows.annotate(
        effects_current=ExpressionWrapper(Q(fix_effects_of=mark), output_field=BooleanField())
    )


def _work_out(conflict: Conflict, today: datetime.date) -> list[Any]:
    """On the whole plan, as detection would have; from the conflict's stored suggestions."""
    plan = load_plan(conflict.workspace, today)
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
