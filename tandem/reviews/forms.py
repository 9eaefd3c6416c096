from typing import Any

from django import forms

from tandem.accounts.models import Member, Workspace
from tandem.core.forms import limit_choices, set_choices, version_field
from tandem.okrs.models import Cycle
from tandem.reviews.models import Recurrence, ReviewKind
from tandem.strategy.models import Team


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(choices=ReviewKind.choices)
    title = forms.CharField(max_length=200, required=False, help_text="Defaults to the kind.")
    scheduled_at = forms.DateTimeField(
        label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_minutes = forms.IntegerField(label="Minutes", min_value=5, max_value=600, initial=60)
    recurrence = forms.ChoiceField(choices=Recurrence.choices)
    cycle = forms.ModelChoiceField(queryset=Cycle.objects.none(), required=False)
    attendees = forms.ModelMultipleChoiceField(
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "cycle", Cycle.objects.in_workspace(workspace))
        limit_choices(
            self, "attendees", Member.objects.in_workspace(workspace).select_related("user")
        )
        limit_choices(self, "teams", Team.objects.in_workspace(workspace))


class NotesForm(forms.Form):
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, help_text="Markdown."
    )
    version = version_field()


class DecisionForm(forms.Form):
    text = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 2}))
    subject = forms.ChoiceField(
        label="It changes", required=False, widget=forms.Select(attrs={"data-picker": ""})
    )

    def __init__(self, *args: Any, subjects: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "subject", [("", "Nothing in particular"), *subjects])


class ActionItemForm(forms.Form):
    title = forms.CharField(label="Action item", max_length=200)
    owner = forms.ModelChoiceField(queryset=Member.objects.none(), required=False)
    due = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "owner", Member.objects.in_workspace(workspace).select_related("user"))
