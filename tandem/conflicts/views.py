"""The conflict pages: the inbox, one conflict and its resolution, and the decision log.

Every change goes through tandem.conflicts.services, which checks the role; the pages
only offer what the member's role allows. A refused change re-renders the conflict page
with the form and its message, and writes nothing.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.models import Member, Role
from tandem.activity.describe import describe_change
from tandem.activity.models import ChangeEvent
from tandem.conflicts import exports, selectors, services
from tandem.conflicts.forms import CommentForm, DecisionForm, DismissForm, FixForm, InviteForm
from tandem.conflicts.models import (
    TRANSITIONS,
    Conflict,
    ConflictComment,
    ConflictEdit,
    ConflictStatus,
    DecisionKind,
    RootCause,
)
from tandem.conflicts.simulation import simulated_fixes
from tandem.core.forms import add_service_errors, stale
from tandem.core.params import int_param, page_refusals
from tandem.core.spreadsheet import download, export_format
from tandem.core.versioning import StaleVersion
from tandem.domain.conflicts import RULE_LABELS
from tandem.okrs.models import Cycle
from tandem.strategy.models import Team

PAGE_SIZE = 50
# How the conflict's own history reads: "Tandem opened it", "Dana recorded the decision".
HISTORY_WORDS = {
    "conflict_opened": "opened it",
    "conflict_reopened": "reopened it: its inputs changed",
    "conflict_closed": "closed it",
    "conflict_open": "reopened it",
    "conflict_acknowledged": "acknowledged it",
    "conflict_dismissed": "dismissed it",
    "decision_recorded": "recorded the decision",
    "stakeholders_invited": "invited stakeholders",
}
STATUS_TABS = [
    ("attention", "Needs attention"),
    ("open", "Open"),
    ("acknowledged", "Acknowledged"),
    ("dismissed", "Dismissed"),
    ("resolved", "Resolved"),
    ("all", "All"),
]


@workspace_view
def conflict_list(request: TandemRequest) -> HttpResponse:
    workspace = request.workspace
    query = request.GET
    filters = selectors.inbox_filters(query)
    inbox = selectors.conflict_inbox(workspace, filters)
    page = Paginator(inbox.rows, PAGE_SIZE).get_page(query.get("page"))
    teams = {t.pk: t for t in Team.objects.in_workspace(workspace)}
    entity = None
    if (ref := filters.entity_ref) is not None:
        entity = selectors.entities_of(workspace, [ref]).get(ref)
    rows = [
        {"conflict": c, "teams": [teams[t] for t in c.team_ids if t in teams]}
        for c in page.object_list
    ]
    kept = {k: v for k, v in query.items() if k != "page"}
    context = {
        "inbox": inbox,
        "page": page,
        "rows": rows,
        "filters": filters,
        "entity": entity,
        "teams": teams.values(),
        "rules": [
            (rule.value, label, inbox.rule_counts.get(rule.value, 0))
            for rule, label in RULE_LABELS.items()
        ],
        "severities": [
            (value, label, inbox.severity_counts.get(value, 0))
            for value, label in selectors.SEVERITIES
        ],
        "status_tabs": [
            (value, label, inbox.status_counts.get(value, 0)) for value, label in STATUS_TABS
        ],
        "filtered": any([filters.rule, filters.severity, filters.team_id, filters.entity]),
        "query_without_page": "&".join(f"{k}={v}" for k, v in kept.items()),
        "export_query": urlencode(kept),
    }
    return render(request, "conflicts/inbox.html", context)


def _conflict(request: TandemRequest, conflict_id: int) -> Conflict:
    return get_object_or_404(
        Conflict.objects.in_workspace(request.workspace).select_related(
            "cycle", "decided_by__user"
        ),
        pk=conflict_id,
    )


def _decision_initial(conflict: Conflict) -> dict[str, Any]:
    return {
        "root_cause": conflict.root_cause,
        "root_cause_note": conflict.root_cause_note,
        "decision": conflict.decision,
        "decision_note": conflict.decision_note,
        "version": conflict.version,
    }


def _page(
    request: TandemRequest, conflict: Conflict, status: int = 200, **forms: Any
) -> HttpResponse:
    """The conflict page, with any form that failed in place of its empty one."""
    workspace = request.workspace
    member: Member = request.member
    can_edit = member.has_role(Role.EDITOR)
    entities = selectors.entities_of(workspace, selectors.refs_of(conflict))
    suggestions: list[dict[str, Any]] = []
    side_effects: list[dict[str, Any]] = []
    if can_edit and conflict.status != ConflictStatus.RESOLVED:
        # Each fix is simulated on today's plan first: one that would open a conflict as
        # severe as this one (or not close it) is not offered in one click.
        for fix in simulated_fixes(conflict):
            if fix.suggestion["action"] not in services.FIXES:
                continue
            entry = {
                "index": fix.index,
                "label": fix.suggestion["label"],
                "effects": fix.effects,
                "form": forms.get(f"fix_{fix.index}")
                or FixForm(
                    suggestion=fix.suggestion, workspace=workspace, prefix=f"fix{fix.index}"
                ),
            }
            (suggestions if fix.one_click else side_effects).append(entry)
    edits = [
        edit.change_event
        for edit in ConflictEdit.objects.filter(conflict=conflict)
        .select_related("change_event__actor")
        .order_by("change_event__at", "id")
    ]
    history = list(ChangeEvent.objects.about(conflict).select_related("actor").order_by("at", "id"))
    current = ConflictStatus(conflict.status)
    context = {
        "conflict": conflict,
        "can_edit": can_edit,
        "subject": [entities[tuple(ref)] for ref in conflict.subject],
        "involved": [entities[tuple(ref)] for ref in conflict.involved],
        "suggestions": suggestions,
        "side_effects": side_effects,
        "can_acknowledge": ConflictStatus.ACKNOWLEDGED in TRANSITIONS[current],
        "can_reopen": ConflictStatus.OPEN in TRANSITIONS[current],
        "can_dismiss": ConflictStatus.DISMISSED in TRANSITIONS[current],
        "dismiss_form": forms.get("dismiss") or DismissForm(),
        "decision_form": forms.get("decision") or DecisionForm(initial=_decision_initial(conflict)),
        "stale": forms.get("stale"),
        "invite_form": forms.get("invite") or InviteForm(workspace=workspace),
        "comment_form": forms.get("comment") or CommentForm(),
        "stakeholders": conflict.stakeholders.select_related("user").order_by("user__name"),
        "stakeholder_teams": conflict.stakeholder_teams.all(),
        "comments": ConflictComment.objects.filter(conflict=conflict).select_related(
            "author__user"
        ),
        "edits": [(event, describe_change(event)) for event in edits],
        "history": [
            (event, HISTORY_WORDS.get(event.action, event.action.replace("_", " ")))
            for event in history
        ],
    }
    return render(request, "conflicts/conflict.html", context, status=status)


@workspace_view
def conflict_detail(request: TandemRequest, conflict_id: int) -> HttpResponse:
    return _page(request, _conflict(request, conflict_id))


@workspace_view
@require_POST
def conflict_status(request: TandemRequest, conflict_id: int) -> HttpResponse:
    """Acknowledge, reopen, or dismiss with a reason."""
    conflict = _conflict(request, conflict_id)
    status = request.POST.get("status", "")
    form = DismissForm(request.POST)
    try:
        services.conflict_set_status(
            conflict=conflict,
            status=status,
            reason=request.POST.get("reason", ""),
            by=request.member,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _page(request, _conflict(request, conflict_id), status=400, dismiss=form)
    words = {"open": "reopened", "acknowledged": "acknowledged", "dismissed": "dismissed"}
    messages.success(request, f"Conflict {words.get(status, status)}.")
    return redirect(conflict_url(conflict))


@workspace_view
@require_POST
def conflict_decision(request: TandemRequest, conflict_id: int) -> HttpResponse:
    conflict = _conflict(request, conflict_id)
    form = DecisionForm(request.POST, initial=_decision_initial(conflict))
    if form.is_valid():
        fields = dict(form.cleaned_data)
        expected = fields.pop("version")
        try:
            services.conflict_record_decision(
                conflict=conflict,
                by=request.member,
                expected_version=expected,
                **fields,
            )
        except StaleVersion as error:
            refused = stale(form, error)
            messages.error(request, "Decision not saved: someone else recorded one meanwhile.")
            return _page(request, _conflict(request, conflict_id), status=409, stale=refused)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded. It is in the decision log.")
            return redirect(conflict_url(conflict))
    return _page(request, _conflict(request, conflict_id), status=400, decision=form)


@workspace_view
@require_POST
def conflict_invite(request: TandemRequest, conflict_id: int) -> HttpResponse:
    conflict = _conflict(request, conflict_id)
    form = InviteForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        try:
            services.conflict_invite(
                conflict=conflict,
                members=form.cleaned_data["members"],
                teams=form.cleaned_data["teams"],
                by=request.member,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Invited. They are notified in Tandem.")
            return redirect(conflict_url(conflict))
    return _page(request, _conflict(request, conflict_id), status=400, invite=form)


@workspace_view
@require_POST
def conflict_comment(request: TandemRequest, conflict_id: int) -> HttpResponse:
    conflict = _conflict(request, conflict_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.conflict_comment(
                conflict=conflict,
                body=form.cleaned_data["body"],
                by=request.member,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            url = f"{conflict_url(conflict)}#comment-{comment.pk}"
            return redirect(url)
    return _page(request, conflict, status=400, comment=form)


def conflict_url(conflict: Conflict) -> str:
    return reverse(
        "conflict_detail",
        kwargs={"workspace": conflict.workspace.slug, "conflict_id": conflict.pk},
    )


@workspace_view
def conflict_fix(request: TandemRequest, conflict_id: int) -> HttpResponse:
    """Confirm and apply one suggested fix. GET shows what will change (the page works
    without JavaScript; with it, the same form opens in a dialog on the conflict page)."""
    workspace = request.workspace
    conflict = _conflict(request, conflict_id)
    data = request.POST if request.method == "POST" else request.GET
    n = int_param(data, "n", low=0)
    if n is None:
        return redirect(conflict_url(conflict))
    if n >= len(conflict.suggestions) or conflict.suggestions[n]["action"] not in services.FIXES:
        raise Http404("No such fix.")
    suggestion = conflict.suggestions[n]
    prefix = f"fix{n}"
    if request.method != "POST":
        form = FixForm(suggestion=suggestion, workspace=workspace, prefix=prefix)
        simulated = simulated_fixes(conflict)
        return render(
            request,
            "conflicts/fix_confirm.html",
            {
                "conflict": conflict,
                "n": n,
                "label": suggestion["label"],
                "form": form,
                "effects": simulated[n].effects if n < len(simulated) else None,
            },
        )
    form = FixForm(request.POST, suggestion=suggestion, workspace=workspace, prefix=prefix)
    if form.is_valid():
        try:
            services.conflict_apply_fix(
                conflict=conflict,
                action=suggestion["action"],
                params=form.params(),
                by=request.member,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            conflict.refresh_from_db()
            if conflict.status == ConflictStatus.RESOLVED:
                messages.success(request, f"Done. {conflict.closed_note}")
            else:
                messages.warning(
                    request, "Done, but the plan still disagrees: the conflict stays open."
                )
            return redirect(conflict_url(conflict))
    return render(
        request,
        "conflicts/fix_confirm.html",
        {"conflict": conflict, "n": n, "label": suggestion["label"], "form": form},
        status=400,
    )


def _decision_log_cycle(request: TandemRequest) -> tuple[Cycle | None, list[Cycle]]:
    """The cycle the log and its export show (?cycle=, the API's cycle_id filter), and the
    workspace's cycles to choose from. One not of the workspace is a 422 page naming it."""
    filters = selectors.decision_page_filters(request.GET)
    cycles = list(Cycle.objects.in_workspace(request.workspace).order_by("-start"))
    with page_refusals(selectors.DECISION_PAGE_NAMES):
        return selectors.decision_log_cycle(cycles, filters), cycles


@workspace_view
def decision_log(request: TandemRequest) -> HttpResponse:
    workspace = request.workspace
    cycle, cycles = _decision_log_cycle(request)
    entries = selectors.decision_log(workspace, cycle.pk if cycle else None)
    context = {
        "cycles": cycles,
        "cycle": cycle,
        "entries": [
            {
                "conflict": c,
                "edits": [(e.change_event, describe_change(e.change_event)) for e in c.edits.all()],
            }
            for c in entries
        ],
        "root_causes": dict(RootCause.choices),
        "decisions": dict(DecisionKind.choices),
        "export_query": f"cycle={cycle.pk}" if cycle else "",
    }
    return render(request, "conflicts/decision_log.html", context)


@workspace_view
def conflict_export(request: TandemRequest) -> HttpResponse:
    """The inbox's conflicts with the inbox's filters, as CSV or XLSX (?format=)."""
    workspace = request.workspace
    fmt = export_format(request.GET.get("format"))
    sheet = exports.conflict_sheet(workspace, selectors.inbox_filters(request.GET))
    return download(sheet, fmt, f"{workspace.slug} conflicts")


@workspace_view
def decision_export(request: TandemRequest) -> HttpResponse:
    """The decision log of the cycle the page shows, as CSV or XLSX (?format=)."""
    workspace = request.workspace
    fmt = export_format(request.GET.get("format"))
    cycle, _ = _decision_log_cycle(request)
    sheet = exports.decision_sheet(workspace, cycle)
    name = f"{workspace.slug} decisions {cycle.name if cycle else ''}"
    return download(sheet, fmt, name)
