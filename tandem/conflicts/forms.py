"""Forms of the conflict page. They only shape input; the services decide what is allowed."""

from collections.abc import Callable
from typing import Any

from django import forms

from tandem.accounts.models import Member, Workspace
from tandem.conflicts.models import DecisionKind, RootCause
from tandem.core.forms import limit_choices, version_field
from tandem.okrs.models import CycleState, KeyResult
from tandem.roadmaps.models import Initiative
from tandem.strategy.models import Pillar, Team


class DismissForm(forms.Form):
    # Not required here: the service refuses an empty reason with its own message.
    reason = forms.CharField(
        label="Why dismiss it?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
        help_text="It stays dismissed until its inputs change; then it reopens.",
    )


class DecisionForm(forms.Form):
    root_cause = forms.ChoiceField(
        label="Root cause", choices=[("", "Choose…"), *RootCause.choices], required=False
    )
    root_cause_note = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    decision = forms.ChoiceField(
        label="Decision", choices=[("", "Choose…"), *DecisionKind.choices], required=False
    )
    decision_note = forms.CharField(
        label="Why this decision",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Accepting the risk dismisses the conflict until its inputs change.",
    )
    version = version_field()


class InviteForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        queryset=Member.objects.none(), required=False, label="People"
    )
    teams = forms.ModelMultipleChoiceField(queryset=Team.objects.none(), required=False)

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "members",
            Member.objects.in_workspace(workspace).select_related("user").order_by("user__name"),
        )
        self.fields["members"].label_from_instance = (  # type: ignore[attr-defined]  # Django's hook, set per field
            lambda m: m.user.display_name
        )
        limit_choices(self, "teams", Team.objects.in_workspace(workspace))


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add to the discussion",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown: **bold**, _italic_, lists and links.",
    )


# Parameters of a suggested fix that a person may adjust before applying it.
ADJUSTABLE: dict[str, Callable[[Any], forms.Field]] = {
    "start_date": lambda initial: forms.DateField(
        label="Start date", initial=initial, widget=forms.DateInput(attrs={"type": "date"})
    ),
    "end_date": lambda initial: forms.DateField(
        label="End date", initial=initial, widget=forms.DateInput(attrs={"type": "date"})
    ),
    "person_weeks": lambda initial: forms.DecimalField(
        label="Capacity (person-weeks)", initial=initial, min_value=0
    ),
    "target_value": lambda initial: forms.DecimalField(label="New target", initial=initial),
}


class FixForm(forms.Form):
    """Confirms one suggested fix: the parameters it needs a choice for (which key result,
    which pillar) and those worth adjusting (a date) are fields; the rest are fixed."""

    def __init__(
        self, *args: Any, suggestion: dict[str, Any], workspace: Workspace, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion
        params = suggestion["params"]
        action = suggestion["action"]
        for name, make_field in ADJUSTABLE.items():
            if name in params:
                self.fields[name] = make_field(params[name])
        if action == "add_contribution":
            if "initiative_id" not in params:
                self.fields["initiative_id"] = forms.ModelChoiceField(
                    label="Initiative",
                    queryset=Initiative.objects.in_workspace(workspace).live().order_by("title"),
                    empty_label="Choose an initiative…",
                )
            if "key_result_id" not in params:
                self.fields["key_result_id"] = forms.ModelChoiceField(
                    label="Key result",
                    queryset=KeyResult.objects.in_workspace(workspace)
                    .active()
                    .filter(objective__cycle__state__in=[CycleState.ACTIVE, CycleState.PLANNING])
                    .select_related("objective__cycle")
                    .order_by("objective__cycle__start", "objective__title", "title"),
                    empty_label="Choose a key result…",
                )
                self.fields["key_result_id"].label_from_instance = (  # type: ignore[attr-defined]  # Django's hook, set per field
                    lambda kr: f"{kr.title} ({kr.objective.cycle.name}: {kr.objective.title})"
                )
            self.fields["expected_impact"] = forms.CharField(
                label="Expected impact", required=False, max_length=200
            )
        if action == "align_objective":
            self.fields["pillar_id"] = forms.ModelChoiceField(
                label="Pillar",
                queryset=Pillar.objects.in_workspace(workspace).filter(archived_at__isnull=True),
                empty_label="Choose a pillar…",
            )

    def params(self) -> dict[str, Any]:
        """The suggestion's parameters with the person's choices, as the service takes them."""
        chosen = dict(self.suggestion["params"])
        for name, value in self.cleaned_data.items():
            if hasattr(value, "pk"):
                value = value.pk
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            chosen[name] = value
        return chosen
