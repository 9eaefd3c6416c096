from typing import Any

from django import forms

from tandem.core.forms import limit_choices, set_choices, version_field
from tandem.okrs.models import CycleState, KeyResult
from tandem.roadmaps.models import Horizon, InitiativeStatus, InsightKind, Roadmap
from tandem.strategy.models import Team

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoadmapForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="A product or a team, e.g. “Mobile app”.")
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="No team"
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, teams: object, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "team", teams)


class InitiativeForm(forms.Form):
    title = forms.CharField(max_length=200)
    roadmap: forms.ModelChoiceField[Roadmap] = forms.ModelChoiceField(
        queryset=None, empty_label=None
    )
    status = forms.ChoiceField(choices=InitiativeStatus.choices)
    horizon = forms.ChoiceField(choices=Horizon.choices)
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="No team"
    )
    start_date = forms.DateField(required=False, widget=DATE)
    end_date = forms.DateField(required=False, widget=DATE)
    effort = forms.DecimalField(
        max_digits=8, decimal_places=2, initial=0, help_text="Person-weeks."
    )
    reach = forms.IntegerField(min_value=0, initial=0, help_text="People reached per quarter.")
    impact = forms.DecimalField(
        max_digits=4,
        decimal_places=2,
        initial=1,
        help_text="0.25 minimal, 0.5 low, 1 medium, 2 high, 3 massive.",
    )
    confidence = forms.IntegerField(initial=80, help_text="Percent.")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, help_text="Markdown."
    )
    reason = forms.CharField(
        required=False, max_length=300, help_text="Why, for the history; optional."
    )
    version = version_field()

    def __init__(self, *args: Any, roadmaps: object, teams: object, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "roadmap", roadmaps)
        limit_choices(self, "team", teams)


class ContributionForm(forms.Form):
    key_result: forms.ModelChoiceField[KeyResult] = forms.ModelChoiceField(
        queryset=None,
        empty_label="Choose a key result…",
        error_messages={"required": "Choose the key result this initiative serves."},
        widget=forms.Select(attrs={"data-picker": ""}),
    )
    expected_impact = forms.CharField(
        max_length=500, required=False, help_text="e.g. “Lifts activation by about 5 points”."
    )
    expected_delta = forms.DecimalField(
        max_digits=16,
        decimal_places=4,
        required=False,
        label="Expected change",
        help_text="Optional, in the key result's unit.",
    )

    def __init__(self, *args: Any, key_results: object, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "key_result", key_results)
        set_choices(self, "key_result", key_result_choices(key_results))


def key_result_choices(key_results: Any) -> list[Any]:
    """Nothing chosen up front (one click must not link a key result by accident), then
    the key results grouped by cycle, the running cycle's first, then the planned ones."""
    groups: dict[Any, list[tuple[str, str]]] = {}
    ordered = sorted(
        key_results,
        key=lambda kr: (
            kr.objective.cycle.state != CycleState.ACTIVE,
            kr.objective.cycle.start,
            kr.objective.cycle_id,
        ),
    )
    for kr in ordered:
        cycle = kr.objective.cycle
        state = "current" if cycle.state == CycleState.ACTIVE else cycle.get_state_display()
        label = f"{cycle.name} ({state.lower()})"
        groups.setdefault(label, []).append((str(kr.pk), f"{kr.title} · {kr.objective.title}"))
    return [("", "Choose a key result…"), *groups.items()]


class InsightForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="What they said or what was found.")
    kind = forms.ChoiceField(choices=InsightKind.choices)
    source = forms.CharField(max_length=120, required=False, help_text="Sales call, survey, ...")
    customer = forms.CharField(max_length=120, required=False, label="Customer or segment")
    importance = forms.IntegerField(initial=3, help_text="1 (nice to have) to 5 (critical).")
    link = forms.URLField(required=False, assume_scheme="https")
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Markdown."
    )
