"""Reads for the conflict pages and API that join areas: the names and links of the
entities a conflict involves, the inbox and the decision log. Each costs a fixed number of
queries, however many conflicts there are."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from ninja import FilterSchema
from pydantic import Field

from tandem.accounts.models import Member, Workspace
from tandem.conflicts.models import Conflict, ConflictEdit, ConflictStatus
from tandem.conflicts.refs import model_for
from tandem.core.api_fields import Id
from tandem.core.params import page_filters
from tandem.domain.conflicts import Rule
from tandem.okrs.models import Cycle

SEVERITY_RANK = Case(
    When(severity="high", then=Value(0)),
    When(severity="medium", then=Value(1)),
    When(severity="low", then=Value(2)),
    default=Value(9),
    output_field=IntegerField(),
)

KIND_LABELS = {
    "cycle": "Cycle",
    "objective": "Objective",
    "key_result": "Key result",
    "initiative": "Initiative",
    "team": "Team",
    "pillar": "Pillar",
}

# Where an entity is shown: its own page if the area has one (tried in order, with the
# object's id), else the section page that lists it.
ENTITY_PAGES = {
    "initiative": (["initiative_detail"], "roadmap_board"),
    "key_result": (["key_result_detail"], "okr_list"),
    "objective": (["objective_detail"], "okr_list"),
    "cycle": (["cycle_detail"], "okr_list"),
    "team": (["team_detail"], "strategy"),
    "pillar": (["pillar_detail"], "strategy"),
}

# The state a person chooses in the inbox; "attention" is open and acknowledged together.
STATUS_FILTERS: dict[str, list[str]] = {
    "attention": [ConflictStatus.OPEN, ConflictStatus.ACKNOWLEDGED],
    **{status.value: [status.value] for status in ConflictStatus},
    "all": list(ConflictStatus.values),
}


def entity_url(workspace: Workspace, kind: str, id: int) -> str:
    names, fallback = ENTITY_PAGES.get(kind, ([], "dashboard"))
    for name in names:
        try:
            return reverse(name, kwargs={"workspace": workspace.slug, f"{kind}_id": id})
        except NoReverseMatch:
            continue
    url = reverse(fallback, kwargs={"workspace": workspace.slug})
    return f"{url}#{kind.replace('_', '-')}-{id}"


def parse_entity(value: str) -> tuple[str, int] | None:
    """'initiative-12' → ('initiative', 12); anything else → None."""
    kind, _, id = value.rpartition("-")
    if kind not in KIND_LABELS or not (id.isascii() and id.isdigit()) or len(id) > 18:
        return None
    return kind, int(id)


def refs_of(conflict: Conflict) -> list[tuple[str, int]]:
    return [(kind, id) for kind, id in (*conflict.subject, *conflict.involved)]


class ConflictFilters(FilterSchema):
    """The conflict list's filters, one definition: the API's list and export take them as
    query parameters, the inbox and its export read them from the page (inbox_filters), a
    team's page asks for its team's; conflict_inbox applies them with the counts."""

    status: Literal["attention", "open", "acknowledged", "resolved", "dismissed", "all"] = (
        "attention"
    )
    rule: Rule | None = None
    severity: Literal["high", "medium", "low"] | None = None
    team_id: Id | None = None
    entity: str | None = Field(
        default=None,
        pattern=rf"^({'|'.join(KIND_LABELS)})-[1-9][0-9]{{0,17}}$",
        description="kind-id, e.g. initiative-12.",
    )

    @property
    def entity_ref(self) -> tuple[str, int] | None:
        return parse_entity(self.entity) if self.entity else None

    def filter_status(self, value: str) -> Q:
        return Q(status__in=STATUS_FILTERS[value])

    def filter_team_id(self, value: int | None) -> Q:
        return Q(teams__contains=f",{value},") if value else Q()

    def filter_entity(self, value: str | None) -> Q:
        if not value:
            return Q()
        # The key is the rule and the subject: "late_delivery:initiative-12:key_result-3".
        ref = f":{value}"
        return Q(key__endswith=ref) | Q(key__contains=f"{ref}:")


SEVERITIES = [("high", "High"), ("medium", "Medium"), ("low", "Low")]

# The inbox's query-string names for the fields.
PAGE_NAMES = {
    "status": "status",
    "rule": "rule",
    "severity": "severity",
    "team": "team_id",
    "entity": "entity",
}


def inbox_filters(query: QueryDict) -> ConflictFilters:
    """The inbox's filters from its query string (the page and its export): an unknown
    status, rule, severity or entity is ignored, as a hand-edited address should not fail;
    a malformed team id is a 422 page naming it."""
    lenient = {"status", "rule", "severity", "entity"}
    return page_filters(ConflictFilters, query, PAGE_NAMES, lenient=lenient)


class DecisionFilters(FilterSchema):
    """The decision log's filter, one definition: the API's export takes it as a query
    parameter (?cycle_id=), the log's page and its export read it from the page's (?cycle=).
    The active cycle, else the latest, when none is asked for."""

    cycle_id: Id | None = Field(default=None, description="The current cycle when not given.")

    def filter_cycle_id(self, value: int | None) -> Q:
        return Q()  # the log is of one cycle: decision_log_cycle chooses it


# The decision log page's query-string names for the fields.
DECISION_PAGE_NAMES = {"cycle": "cycle_id"}


def decision_page_filters(query: QueryDict) -> DecisionFilters:
    return page_filters(DecisionFilters, query, DECISION_PAGE_NAMES)


def decision_log_cycle(cycles: list[Cycle], filters: DecisionFilters) -> Cycle | None:
    """The cycle the decision log shows, of the workspace's `cycles` (newest first): the one
    asked for, else the active one, else the latest. One asked for that is not among them is
    a ValidationError naming the field."""
    if filters.cycle_id is not None:
        cycle = next((c for c in cycles if c.pk == filters.cycle_id), None)
        if cycle is None:
            raise ValidationError(
                {"cycle_id": f"No cycle with id {filters.cycle_id} in this workspace."}
            )
        return cycle
    return next((c for c in cycles if c.state == "active"), cycles[0] if cycles else None)


@dataclass
class Inbox:
    rows: QuerySet[Conflict]
    total: int  # 0 without counts
    status_counts: dict[str, int]
    rule_counts: dict[str, int]
    severity_counts: dict[str, int]


def _counts(queryset: QuerySet[Conflict], column: str) -> dict[str, int]:
    return dict(queryset.order_by().values_list(column).annotate(n=Count("id")))


def conflict_inbox(workspace: Workspace, filters: ConflictFilters, *, counts: bool = True) -> Inbox:
    """The conflicts matching the filters, most severe first (a QuerySet: a page loads only
    its rows), with the counts people use to narrow them down: by state over everything, by
    rule and severity within the state. Three queries for the counts, however many
    conflicts there are: the teams were stored with each conflict at detection. Without
    `counts` (the API, a team's page), the rows alone and no query yet."""
    everything = Conflict.objects.in_workspace(workspace)
    status_counts = _counts(everything, "status") if counts else {}
    if counts:
        attention = STATUS_FILTERS["attention"]
        status_counts["attention"] = sum(status_counts.get(s, 0) for s in attention)
        status_counts["all"] = sum(status_counts.get(s, 0) for s in ConflictStatus.values)

    in_state = everything.filter(
        filters.filter_status(filters.status),
        filters.filter_entity(filters.entity),
        filters.filter_team_id(filters.team_id),
    )
    rule_counts = _counts(in_state, "rule") if counts else {}
    rows = in_state.filter(rule=filters.rule) if filters.rule else in_state
    severity_counts = _counts(rows, "severity") if counts else {}
    if filters.severity:
        rows = rows.filter(severity=filters.severity)
    total = sum(severity_counts.values())
    if filters.severity:
        total = severity_counts.get(filters.severity, 0)
    return Inbox(
        rows=rows.annotate(rank=SEVERITY_RANK).order_by("rank", "-detected_at", "-id"),
        total=total,
        status_counts=status_counts,
        rule_counts=rule_counts,
        severity_counts=severity_counts,
    )


@dataclass
class Entity:
    kind: str
    id: int
    name: str
    url: str
    exists: bool = True

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def entities_of(
    workspace: Workspace, refs: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], Entity]:
    """(kind, id) → name and link for each entity: one query per kind present (six at
    most). One that has since been deleted is still listed, by its id."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for kind, id in refs:
        wanted[kind].add(id)
    found: dict[tuple[str, int], Entity] = {}
    for kind, ids in wanted.items():
        model = model_for(kind)
        names = dict(
            model.objects.in_workspace(workspace)  # type: ignore[attr-defined]  # every model here is a tenant model
            .filter(pk__in=ids)
            .values_list("pk", "title" if hasattr(model, "title") else "name")
        )
        for id in ids:
            found[(kind, id)] = Entity(
                kind=kind,
                id=id,
                name=names.get(id, f"{KIND_LABELS[kind]} #{id} (deleted)"),
                url=entity_url(workspace, kind, id) if id in names else "",
                exists=id in names,
            )
    return found


def decision_log(workspace: Workspace, cycle_id: int | None) -> list[Conflict]:
    """Every conflict of the cycle that has a recorded decision or an edit made from its
    page, newest decision first, with the people and the edits: five queries."""
    conflicts = (
        Conflict.objects.in_workspace(workspace)
        .filter(
            Q(decision__gt="") | Q(edits__isnull=False),
            Q(cycle__isnull=True) if cycle_id is None else Q(cycle_id=cycle_id),
        )
        .distinct()
        .select_related("decided_by__user", "cycle")
        .prefetch_related(
            Prefetch("stakeholders", queryset=Member.objects.select_related("user")),
            "stakeholder_teams",
            Prefetch(
                "edits",
                queryset=ConflictEdit.objects.select_related("change_event__actor").order_by(
                    "change_event__at", "id"
                ),
            ),
        )
    )
    return sorted(
        conflicts,
        key=lambda c: c.decided_at or c.closed_at or c.detected_at,
        reverse=True,
    )
