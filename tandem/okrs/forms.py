"""The OKR forms. They only parse and label; the services decide what is allowed."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms

from tandem.accounts.models import Member, Workspace
from tandem.core.forms import limit_choices, version_field
from tandem.domain.calendar import next_quarter, quarter_of
from tandem.okrs.models import Commitment, Cycle, KeyResultKind, Objective, Unit
from tandem.roadmaps.models import Initiative
from tandem.strategy.models import Pillar, Team

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REASON_HELP = "The cycle has started: say why, for the history (optional)."


class MemberChoice(forms.ModelChoiceField[Member]):
    def label_from_instance(self, obj: Member) -> str:
        return obj.user.display_name


class ObjectiveChoice(forms.ModelChoiceField[Objective]):
    def label_from_instance(self, obj: Objective) -> str:
        return f"{obj.title} ({obj.cycle.name})"


class CycleForm(forms.Form):
    name = forms.CharField(max_length=60)
    start = forms.DateField(widget=DATE)
    end = forms.DateField(widget=DATE, help_text="The last day of the cycle.")

    @classmethod
    def for_next_quarter(cls, cycles: list[Cycle], today: datetime.date) -> "CycleForm":
        """Prefilled with the first quarter from this one on that has no cycle yet (by name
        or by dates: a cycle named otherwise still takes its quarter)."""
        span = quarter_of(today)
        taken = {c.name for c in cycles}
        while span.name in taken or any(
            c.start <= span.end and span.start <= c.end for c in cycles
        ):
            span = next_quarter(span.start)
        return cls(initial={"name": span.name, "start": span.start, "end": span.end})

    @classmethod
    def for_next_cycle(
        cls, cycles: list[Cycle], today: datetime.date, weeks: int | None
    ) -> "CycleForm":
        """Prefilled with the workspace's default length: the next free quarter, or `weeks`
        weeks from the day after the latest cycle (today when there is none)."""
        if not weeks:
            return cls.for_next_quarter(cycles, today)
        start = max([c.end + datetime.timedelta(days=1) for c in cycles] + [today])
        end = start + datetime.timedelta(weeks=weeks, days=-1)
        taken = {c.name for c in cycles}
        name = f"{start:%b %-d} – {end:%b %-d %Y}"
        number = 2
        while name in taken:
            name, number = f"{start:%b %-d} – {end:%b %-d %Y} ({number})", number + 1
        return cls(initial={"name": name[:60], "start": start, "end": end})


class ObjectiveForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Markdown: **bold**, _italic_, lists and links.",
    )
    commitment = forms.ChoiceField(
        choices=Commitment.choices,
        widget=forms.RadioSelect,
        initial=Commitment.COMMITTED,
        help_text="Committed: we will get to 1.0. Aspirational: 0.7 is a success.",
    )
    owner = MemberChoice(queryset=Member.objects.none(), required=False, empty_label="Nobody")
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, empty_label="No team"
    )
    pillar = forms.ModelChoiceField(
        queryset=Pillar.objects.none(), required=False, empty_label="No pillar"
    )
    parent = ObjectiveChoice(
        queryset=Objective.objects.none(),
        required=False,
        empty_label="None: a top-level objective",
        label="Aligned to (parent objective)",
    )
    reason = forms.CharField(max_length=500, required=False, help_text=REASON_HELP)
    version = version_field()

    def __init__(
        self, *args: Any, workspace: Workspace, exclude: Objective | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["owner"].queryset = (
            Member.objects.in_workspace(workspace).select_related("user").order_by("user__name")
        )
        fields["team"].queryset = Team.objects.in_workspace(workspace)
        fields["pillar"].queryset = Pillar.objects.in_workspace(workspace).filter(
            archived_at__isnull=True
        )
        parents = (
            Objective.objects.in_workspace(workspace)
            .active()
            .exclude(cycle__state="closed")
            .select_related("cycle")
            .order_by("-cycle__start", "position", "id")
        )
        if exclude is not None:
            parents = parents.exclude(pk=exclude.pk)
        fields["parent"].queryset = parents


class KeyResultForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(
        choices=KeyResultKind.choices,
        help_text="Stay above/below: met or not at each check-in. Milestone: done or not.",
    )
    unit = forms.ChoiceField(choices=Unit.choices)
    currency = forms.CharField(max_length=3, required=False, help_text="ISO code, e.g. EUR.")
    start_value = forms.DecimalField(
        max_digits=16, decimal_places=4, initial=0, label="Start", required=False
    )
    target_value = forms.DecimalField(
        max_digits=16,
        decimal_places=4,
        label="Target",
        required=False,
        help_text="For a threshold: the line to stay above or below.",
    )
    weight = forms.DecimalField(
        max_digits=6, decimal_places=2, initial=1, min_value=Decimal("0.01")
    )
    owner = MemberChoice(queryset=Member.objects.none(), required=False, empty_label="Nobody")
    check_in_every_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=90,
        label="Check-in rhythm (days)",
        help_text="Marked stale when its value is older; empty for the workspace's rhythm.",
    )
    needs_no_initiative = forms.BooleanField(
        required=False,
        label="Met by running the business, not by roadmap work",
    )
    reason = forms.CharField(max_length=500, required=False, help_text=REASON_HELP)
    version = version_field()

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "owner",
            (Member.objects.in_workspace(workspace).select_related("user").order_by("user__name")),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == KeyResultKind.MILESTONE:
            data["start_value"], data["target_value"] = Decimal(0), Decimal(1)
        elif data.get("target_value") is None and "target_value" not in self.errors:
            self.add_error("target_value", "Give the target value.")
        if data.get("start_value") is None:
            data["start_value"] = Decimal(0)
        data["currency"] = data.get("currency") or ""
        return data


class CheckInForm(forms.Form):
    value = forms.DecimalField(max_digits=16, decimal_places=4)
    confidence = forms.IntegerField(
        min_value=0,
        max_value=10,
        help_text="0 no chance · 4–6 at risk · 7–10 on track",
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    date = forms.DateField(widget=DATE, required=False, help_text="Today unless backdated.")


class GradeForm(forms.Form):
    grade = forms.DecimalField(min_value=0, max_value=1, decimal_places=1, max_digits=2)
    comment = forms.CharField(max_length=500, required=False)


class ContributionForm(forms.Form):
    initiative = forms.ModelChoiceField(
        queryset=Initiative.objects.none(),
        empty_label="Choose an initiative…",
        widget=forms.Select(attrs={"data-picker": ""}),
    )
    expected_impact = forms.CharField(max_length=300, required=False)

    def __init__(self, *args: Any, workspace: Workspace, exclude: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "initiative",
            (Initiative.objects.in_workspace(workspace).exclude(pk__in=exclude).order_by("title")),
        )
