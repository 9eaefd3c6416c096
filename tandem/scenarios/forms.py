"""The scenario pages' forms. They only parse: the rules live in the services and the
what-if engine, whose errors come back named by the same fields."""

from collections.abc import Callable
from typing import Any

from django import forms

from tandem.accounts.models import Workspace
from tandem.domain.whatif import ACTIONS, PARAMS
from tandem.okrs.models import Cycle, CycleState, KeyResult, Objective
from tandem.roadmaps.filters import OFF_BOARD_STATUSES
from tandem.roadmaps.models import Initiative
from tandem.scenarios.models import Scenario, ScenarioComment
from tandem.strategy.models import Pillar, Team


class ScenarioForm(forms.Form):
    name = forms.CharField(max_length=Scenario._meta.get_field("name").max_length)
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


def _choice(
    queryset: Any, label: str, describe: Callable[[Any], str] = str
) -> forms.ModelChoiceField[Any]:
    field: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=queryset, required=False, label=label
    )
    field.label_from_instance = describe  # type: ignore[assignment]  # Django's hook, set per field
    return field


class EditForm(forms.Form):
    """One proposed edit: the action, and whichever of the fields it reads."""

    action = forms.ChoiceField(choices=list(ACTIONS.items()), label="Edit")

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What the board shows (ideas too: the board's Move menu posts here in scenario
        # mode); the what-if engine holds the rules on which edit suits which initiative.
        initiatives = (
            Initiative.objects.in_workspace(workspace)
            .exclude(status__in=OFF_BOARD_STATUSES)
            .order_by("title")
        )
        key_results = (
            KeyResult.objects.in_workspace(workspace)
            .active()
            .filter(objective__cycle__state__in=[CycleState.ACTIVE, CycleState.PLANNING])
            .order_by("title")
        )
        self.fields["initiative_id"] = _choice(initiatives, "Initiative")
        self.fields["key_result_id"] = _choice(key_results, "Key result")
        self.fields["depends_on_id"] = _choice(initiatives, "Depends on")
        self.fields["horizon"] = forms.ChoiceField(
            required=False,
            choices=[("", "—"), ("now", "Now"), ("next", "Next"), ("later", "Later")],
        )
        date = forms.DateInput(attrs={"type": "date"})
        self.fields["start_date"] = forms.DateField(required=False, widget=date)
        self.fields["end_date"] = forms.DateField(required=False, widget=date)
        self.fields["effort"] = forms.DecimalField(
            required=False, min_value=0, max_digits=8, decimal_places=1, label="Effort (pw)"
        )
        self.fields["team_id"] = _choice(
            Team.objects.in_workspace(workspace).order_by("name"), "Team"
        )
        self.fields["cycle_id"] = _choice(
            Cycle.objects.in_workspace(workspace).exclude(state=CycleState.CLOSED), "Cycle"
        )
        self.fields["person_weeks"] = forms.DecimalField(
            required=False, min_value=0, max_digits=8, decimal_places=1, label="Capacity (pw)"
        )
        self.fields["target_value"] = forms.DecimalField(
            required=False, max_digits=20, decimal_places=4, label="New target"
        )
        self.fields["weight"] = forms.DecimalField(
            required=False, max_digits=6, decimal_places=2, label="Weight"
        )
        self.fields["objective_id"] = _choice(
            Objective.objects.in_workspace(workspace).active().order_by("title"), "Objective"
        )
        self.fields["pillar_id"] = _choice(
            Pillar.objects.in_workspace(workspace).filter(archived_at__isnull=True), "Pillar"
        )

    def params(self) -> dict[str, Any]:
        """The fields the chosen action reads, as the engine takes them."""
        wanted = PARAMS.get(self.cleaned_data["action"], ())
        out: dict[str, Any] = {}
        for name in wanted:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if hasattr(value, "pk"):
                value = value.pk
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            out[name] = value
        return out


class ApplyForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded on every change it makes.",
    )
    confirmed_through = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)


class CommentForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=ScenarioComment._meta.get_field("body").max_length,
        label="Comment",
    )
