from typing import Any

from django import forms

from tandem.accounts.models import TokenScope, Workspace
from tandem.accounts.zones import time_zone_choices
from tandem.core.forms import set_choices, version_field


class WorkspaceForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="Your company or organisation.")
    slug = forms.SlugField(
        label="Web address",
        max_length=60,
        required=False,
        help_text=(
            "Letters, digits and hyphens, used in links. Leave empty to derive it from the name."
        ),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What the token is for, so you can recognise it later (e.g. “CI export”).",
    )
    scope = forms.ChoiceField(
        label="Access",
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        help_text="A read-only token is refused any change.",
    )
    workspace = forms.ModelChoiceField(
        queryset=Workspace.objects.none(),
        required=False,
        empty_label="Every workspace I belong to",
        help_text="Bind it to one workspace: every other is closed to it.",
    )
    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional, at most a year ahead. It stops working at the start of that day.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["workspace"]
        field.queryset = Workspace.objects.filter(
            members__user=user, members__user__is_active=True
        ).order_by("name")


class WorkspaceSettingsForm(forms.Form):
    version = version_field()
    name = forms.CharField(max_length=120)
    slug = forms.SlugField(
        label="Web address",
        max_length=60,
        help_text="Letters, digits and hyphens. Changing it breaks links people have saved.",
    )
    time_zone = forms.ChoiceField(
        help_text="Dates, deadlines and “today” follow it, unless a member sets their own."
    )
    cycle_length = forms.ChoiceField(
        label="Default cycle length",
        choices=[("quarter", "Calendar quarter"), ("weeks", "A number of weeks")],
        widget=forms.RadioSelect,
        help_text="What a new cycle is prefilled with.",
    )
    cycle_weeks = forms.IntegerField(
        label="Weeks per cycle",
        required=False,
        min_value=1,
        max_value=104,
        help_text="Used when the length is a number of weeks (1 to 104).",
    )
    check_in_every_days = forms.IntegerField(
        label="Check-in rhythm (days)",
        required=False,
        min_value=1,
        max_value=90,
        help_text="A key result whose value is older is marked stale, unless it sets its own.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "time_zone", time_zone_choices())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("cycle_length") == "weeks" and not data.get("cycle_weeks"):
            self.add_error("cycle_weeks", "Enter the number of weeks.")
        if data.get("cycle_length") == "quarter":
            data["cycle_weeks"] = None
        return data


class MemberTimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        required=False,
        help_text="Empty to follow the workspace's time zone.",
    )

    def __init__(self, *args: Any, workspace_zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        empty = ("", f"The workspace's ({workspace_zone.replace('_', ' ')})")
        set_choices(self, "time_zone", [empty, *time_zone_choices()])


ROLE_CHOICES = [
    ("viewer", "Viewer: reads everything"),
    ("editor", "Editor: OKRs, roadmap, check-ins"),
    ("admin", "Admin: also members, teams, pillars, cycles"),
    ("owner", "Owner: also other owners and the danger zone"),
]


class InvitationForm(forms.Form):
    email = forms.CharField(
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text="They get an email with a link that works for 7 days.",
    )
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial="editor")


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[(v, v.capitalize()) for v, _ in ROLE_CHOICES])
    version = version_field()


class ConfirmDeleteForm(forms.Form):
    confirm = forms.CharField(
        label="Type the workspace's web address to confirm",
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(max_length=150, help_text="As your colleagues will see it.")
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not a common password.",
    )
