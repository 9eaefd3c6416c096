"""Reading a scenario: its evaluation against today's plan."""

from dataclasses import dataclass

from tandem.accounts.zones import local_today
from tandem.domain.plan import PlanSnapshot
from tandem.domain.whatif import Edit, EditError, Evaluation, apply_edits, evaluate
from tandem.planning.snapshot import load_plan
from tandem.scenarios.models import Scenario


@dataclass(frozen=True)
class Evaluated:
    evaluation: Evaluation | None
    error: str = ""  # why it cannot be evaluated (an edit the plan no longer allows)


def scenario_edits(scenario: Scenario) -> list[Edit]:
    return [Edit(e.action, e.params) for e in scenario.edits.all()]


def scenario_evaluation(scenario: Scenario) -> Evaluated:
    """The scenario's edits on today's plan, side by side with it."""
    plan = load_plan(scenario.workspace, local_today(scenario.workspace))
    try:
        return Evaluated(evaluate(plan, scenario_edits(scenario)))
    except EditError as error:
        return Evaluated(None, f"Edit {(error.index or 0) + 1} no longer applies: {error}")


def scenario_plan(scenario: Scenario) -> PlanSnapshot | None:
    """Today's plan with the scenario's edits made (None if one no longer applies)."""
    plan = load_plan(scenario.workspace, local_today(scenario.workspace))
    try:
        return apply_edits(plan, scenario_edits(scenario))
    except EditError:
        return None
