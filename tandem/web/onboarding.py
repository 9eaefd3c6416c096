"""The getting-started checklist of a new workspace. Each step ticks itself off when the
work exists; all seven are read in one query."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from tandem.accounts.models import Invitation, Member, Role, Workspace
from tandem.okrs.models import Cycle, KeyResult
from tandem.roadmaps.models import Contribution
from tandem.strategy.models import Pillar, Strategy, Team


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    hint: str
    url: str | None  # None when the member's role cannot do it
    done: bool


@dataclass(frozen=True)
class Checklist:
    steps: list[Step]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)


# key, label, hint, URL name, role needed
STEPS = [
    ("vision", "Write the vision", "Where the company is going.", "vision_edit", Role.ADMIN),
    (
        "pillars",
        "Add strategic pillars",
        "Themes that outlast quarters.",
        "pillar_create",
        Role.ADMIN,
    ),
    ("teams", "Form your teams", "Who does the work, with a lead.", "team_create", Role.ADMIN),
    ("people", "Invite people", "Colleagues, with the role they need.", "member_list", Role.ADMIN),
    ("cycle", "Start a cycle", "A quarter, or your own length.", "okr_cycles", Role.ADMIN),
    (
        "objective",
        "Write an objective with key results",
        "What you want, and how you will measure it.",
        "objective_create",
        Role.EDITOR,
    ),
    (
        "initiative",
        "Link an initiative to a key result",
        "Roadmap work that moves a key result.",
        "initiative_create",
        Role.EDITOR,
    ),
]


def _in(model: type, **filters: object) -> Exists:
    return Exists(model._default_manager.filter(workspace=OuterRef("pk"), **filters))  # type: ignore[attr-defined]  # every model here is a tenant model


def checklist(workspace: Workspace, member: Member) -> Checklist:
    done = (
        Workspace.objects.filter(pk=workspace.pk)
        .annotate(
            vision=_in(Strategy, vision__gt=""),
            pillars=_in(Pillar, archived_at__isnull=True),
            teams=_in(Team, archived_at__isnull=True),
            people=_in(Invitation)
            | Exists(Member.objects.filter(workspace=OuterRef("pk")).filter(~Q(pk=member.pk))),
            cycle=_in(Cycle),
            objective=_in(KeyResult),
            initiative=_in(Contribution),
        )
        .values(*[key for key, *_ in STEPS])
        .get()
    )
    return Checklist(
        [
            Step(
                key,
                label,
                hint,
                reverse(url_name, kwargs={"workspace": workspace.slug})
                if member.has_role(role)
                else None,
                bool(done[key]),
            )
            for key, label, hint, url_name, role in STEPS
        ]
    )
