"""The strategy forms. They only parse and label; the services decide what is allowed."""

from typing import Any

from django import forms

from tandem.accounts.models import Member, Workspace
from tandem.core.forms import version_field
from tandem.strategy.models import Team

MARKDOWN_HELP = "Markdown: **bold**, _italic_, lists and links."


class VisionForm(forms.Form):
    vision = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=10_000,
        help_text="Where the company is going, in a few sentences. " + MARKDOWN_HELP,
    )
    version = version_field()


class PillarForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="A theme that outlasts quarters.")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5_000,
        help_text=MARKDOWN_HELP,
    )
    version = version_field()


class PersonChoice(forms.ModelChoiceField[Member]):
    def label_from_instance(self, obj: Member) -> str:
        return obj.user.display_name


class PeopleChoice(forms.ModelMultipleChoiceField[Member]):
    def label_from_instance(self, obj: Member) -> str:
        return obj.user.display_name


class TeamForm(forms.Form):
    name = forms.CharField(max_length=120)
    color = forms.CharField(
        label="Colour",
        max_length=7,
        initial="#4f6bed",
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="Marks the team's work on the board and the timeline.",
    )
    parent = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        empty_label="None: a top-level team",
        label="Part of",
    )
    members = PeopleChoice(
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lead = PersonChoice(
        queryset=Member.objects.none(),
        required=False,
        empty_label="Nobody",
        help_text="Added to the members if not ticked above.",
    )
    version = version_field()

    def __init__(
        self, *args: Any, workspace: Workspace, team: Team | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        people = (
            Member.objects.in_workspace(workspace)
            .select_related("user")
            .order_by("user__name", "user__email")
        )
        teams = Team.objects.in_workspace(workspace).filter(archived_at__isnull=True)
        if team is not None:
            teams = teams.exclude(pk=team.pk)
        fields: Any = self.fields
        fields["parent"].queryset = teams
        fields["members"].queryset = people
        fields["lead"].queryset = people
