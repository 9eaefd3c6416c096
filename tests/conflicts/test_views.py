"""The conflict pages: the inbox and its filters, the conflict page and each action on it,
the decision log, and who may do what."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.activity.models import Notification
from tandem.conflicts.models import Conflict, ConflictComment, ConflictEdit, ConflictStatus
from tandem.conflicts.services import conflict_record_decision, conflict_set_status
from tandem.roadmaps.models import Contribution, Initiative
from tests.factories import make_team


def url(name, member, conflict=None, **query):
    kwargs = {"workspace": member.workspace.slug}
    if conflict is not None:
        kwargs["conflict_id"] = conflict.pk
    found = reverse(name, kwargs=kwargs)
    if query:
        found += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return found


def sentences(response) -> list[str]:
    return [row["conflict"].sentence for row in response.context["rows"]]


# ---------------------------------------------------------------- the inbox


def test_inbox_lists_what_needs_attention_most_severe_first(conflicted, owner, client_as):
    response = client_as(owner).get(url("conflict_list", owner))
    rows = [row["conflict"] for row in response.context["rows"]]
    assert {c.rule for c in rows} >= {"late_delivery", "unsupported_key_result"}
    ranks = [{"high": 0, "medium": 1, "low": 2}[c.severity] for c in rows]
    assert ranks == sorted(ranks)
    html = response.content.decode()
    assert "&#x27;Self-serve onboarding&#x27; ends 20 Apr 2026, 20 days after Q1 2026 ends" in html
    assert f'Needs attention <span class="count">{len(rows)}</span>' in html


def test_inbox_filters_by_rule_severity_team_and_status(conflicted, owner, client_as):
    client = client_as(owner)
    by_rule = client.get(url("conflict_list", owner, rule="late_delivery"))
    assert sentences(by_rule) == [conflicted.late.sentence]

    other_team = make_team(owner, name="Platform")
    assert sentences(client.get(url("conflict_list", owner, team=other_team.pk))) == []
    growth = sentences(client.get(url("conflict_list", owner, team=conflicted.team.pk)))
    assert conflicted.late.sentence in growth

    severities = {
        row["conflict"].severity
        for row in client.get(url("conflict_list", owner, severity="medium")).context["rows"]
    }
    assert severities <= {"medium"}

    conflict_set_status(
        conflict=conflicted.late, status=ConflictStatus.DISMISSED, reason="Known", by=owner
    )
    assert conflicted.late.sentence not in sentences(client.get(url("conflict_list", owner)))
    dismissed = client.get(url("conflict_list", owner, status="dismissed"))
    assert sentences(dismissed) == [conflicted.late.sentence]


def test_inbox_entity_filter_matches_the_badges(conflicted, owner, client_as):
    response = client_as(owner).get(
        url("conflict_list", owner, entity=f"initiative-{conflicted.initiative.pk}")
    )
    assert sentences(response) == [conflicted.late.sentence]
    assert "Showing conflicts about initiative" in response.content.decode()


def test_a_nonsense_filter_is_ignored_not_an_error(conflicted, owner, client_as):
    response = client_as(owner).get(
        url("conflict_list", owner, rule="nope", severity="x", entity="x-1")
    )
    assert response.status_code == 200
    assert len(response.context["rows"]) >= 2


@pytest.mark.parametrize("team", ["abc", "²", "99999999999999999999"])
def test_a_malformed_id_filter_is_a_422_naming_it(conflicted, owner, client_as, team):
    response = client_as(owner).get(url("conflict_list", owner, team=team))
    assert response.status_code == 422
    assert "<code>team</code> is not valid" in response.content.decode()


def test_navigation_counts_conflicts_needing_attention(conflicted, owner, client_as):
    html = client_as(owner).get(url("dashboard", owner)).content.decode()
    open_count = Conflict.objects.in_workspace(owner.workspace).needing_attention().count()
    assert f'<span class="nav-count" aria-hidden="true">{open_count}</span>' in html
    assert f"{open_count} need attention</span>" in html


# ---------------------------------------------------------------- the conflict page


def test_conflict_page_explains_and_links_the_entities(conflicted, owner, client_as):
    html = client_as(owner).get(url("conflict_detail", owner, conflicted.late)).content.decode()
    assert conflicted.late.sentence.replace("'", "&#x27;") in html
    assert ">Self-serve onboarding</a>" in html
    assert ">Activation rate 30% to 45%</a>" in html
    assert "End &#x27;Self-serve onboarding&#x27; on 31 Mar 2026" in html
    assert "Record decision" in html


def test_rescheduling_from_the_page_closes_the_conflict(conflicted, owner, client_as):
    client = client_as(owner)
    confirm = client.get(url("conflict_fix", owner, conflicted.late, n=0))
    assert confirm.status_code == 200
    assert 'value="2026-03-31"' in confirm.content.decode()
    response = client.post(
        url("conflict_fix", owner, conflicted.late), {"n": 0, "fix0-end_date": "2026-03-31"}
    )
    assert response.status_code == 302
    conflicted.late.refresh_from_db()
    assert conflicted.late.status == ConflictStatus.RESOLVED
    assert "end date 20 Apr 2026 → 31 Mar 2026" in conflicted.late.closed_note
    assert ConflictEdit.objects.filter(conflict=conflicted.late).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Edits made" in page and "20 Apr 2026 → 31 Mar 2026" in page


def test_a_fix_that_would_be_invalid_is_refused_and_writes_nothing(conflicted, owner, client_as):
    response = client_as(owner).post(
        url("conflict_fix", owner, conflicted.late), {"n": 0, "fix0-end_date": "2025-12-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    conflicted.initiative.refresh_from_db()
    assert conflicted.initiative.end_date == datetime.date(2026, 4, 20)
    assert not ConflictEdit.objects.exists()


def test_linking_an_initiative_asks_which_one(conflicted, owner, client_as):
    client = client_as(owner)
    conflict = conflicted.unsupported_conflict
    n = [s["action"] for s in conflict.suggestions].index("add_contribution")
    refused = client.post(url("conflict_fix", owner, conflict), {"n": n})
    assert refused.status_code == 400
    assert "initiative_id" in refused.context["form"].errors
    client.post(
        url("conflict_fix", owner, conflict),
        {"n": n, f"fix{n}-initiative_id": conflicted.initiative.pk},
    )
    assert Contribution.objects.filter(
        initiative=conflicted.initiative, key_result=conflicted.unsupported
    ).exists()
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.RESOLVED


def test_acknowledge_dismiss_with_reason_and_reopen(conflicted, owner, client_as):
    client = client_as(owner)
    status_url = url("conflict_status", owner, conflicted.late)
    client.post(status_url, {"status": "acknowledged"})
    conflicted.late.refresh_from_db()
    assert conflicted.late.status == ConflictStatus.ACKNOWLEDGED

    refused = client.post(status_url, {"status": "dismissed", "reason": "  "})
    assert refused.status_code == 400
    assert "Say why you dismiss it." in refused.content.decode()
    conflicted.late.refresh_from_db()
    assert conflicted.late.status == ConflictStatus.ACKNOWLEDGED

    client.post(status_url, {"status": "dismissed", "reason": "Launch slips on purpose"})
    conflicted.late.refresh_from_db()
    assert (conflicted.late.status, conflicted.late.dismissed_reason) == (
        ConflictStatus.DISMISSED,
        "Launch slips on purpose",
    )
    client.post(status_url, {"status": "open"})
    conflicted.late.refresh_from_db()
    assert conflicted.late.status == ConflictStatus.OPEN


def test_a_transition_the_lifecycle_forbids_is_refused(conflicted, owner, client_as):
    response = client_as(owner).post(
        url("conflict_status", owner, conflicted.late), {"status": "resolved"}
    )
    assert response.status_code == 400
    assert "resolves by itself" in response.content.decode()
    conflicted.late.refresh_from_db()
    assert conflicted.late.status == ConflictStatus.OPEN


def test_a_decision_needs_a_root_cause(conflicted, owner, client_as):
    client = client_as(owner)
    decision_url = url("conflict_decision", owner, conflicted.late)
    refused = client.post(decision_url, {"decision": "revise_roadmap"})
    assert refused.status_code == 400
    assert "Name the root cause" in refused.content.decode()
    conflicted.late.refresh_from_db()
    assert conflicted.late.decision == ""

    client.post(
        decision_url,
        {
            "root_cause": "estimation",
            "root_cause_note": "Underestimated the migration",
            "decision": "revise_roadmap",
            "decision_note": "Cut scope to ship in Q1",
        },
    )
    conflicted.late.refresh_from_db()
    assert (conflicted.late.root_cause, conflicted.late.decision) == (
        "estimation",
        "revise_roadmap",
    )
    assert conflicted.late.decided_by == owner


def test_inviting_people_and_teams_notifies_them(conflicted, owner, editor, viewer, client_as):
    conflicted.team.members.add(viewer)
    response = client_as(owner).post(
        url("conflict_invite", owner, conflicted.late),
        {"members": [editor.pk], "teams": [conflicted.team.pk]},
    )
    assert response.status_code == 302
    assert set(conflicted.late.stakeholders.all()) == {editor}
    assert Notification.objects.filter(recipient__in=[editor, viewer]).count() == 2
    empty = client_as(owner).post(url("conflict_invite", owner, conflicted.late), {})
    assert "Choose at least one person or team" in empty.content.decode()


def test_discussion_renders_markdown(conflicted, owner, client_as):
    client = client_as(owner)
    response = client.post(
        url("conflict_comment", owner, conflicted.late), {"body": "We **cannot** ship in Q1"}
    )
    assert response.status_code == 302
    html = client.get(url("conflict_detail", owner, conflicted.late)).content.decode()
    assert "We <strong>cannot</strong> ship in Q1" in html
    blank = client.post(url("conflict_comment", owner, conflicted.late), {"body": " "})
    assert blank.status_code == 400


# ---------------------------------------------------------------- permissions


def test_viewer_reads_and_comments_but_changes_nothing(conflicted, viewer, client_as):
    client = client_as(viewer)
    html = client.get(url("conflict_detail", viewer, conflicted.late)).content.decode()
    assert "Record decision" not in html and "Apply…" not in html and "Acknowledge" not in html
    assert (
        client.post(url("conflict_comment", viewer, conflicted.late), {"body": "Hi"}).status_code
        == 302
    )
    assert ConflictComment.objects.filter(author=viewer).exists()

    for name, data in [
        ("conflict_status", {"status": "acknowledged"}),
        ("conflict_decision", {"root_cause": "other", "decision": "accept_risk"}),
        ("conflict_invite", {"members": [viewer.pk]}),
        ("conflict_fix", {"n": 0, "fix0-end_date": "2026-03-31"}),
    ]:
        assert client.post(url(name, viewer, conflicted.late), data).status_code == 403, name
    conflicted.late.refresh_from_db()
    assert conflicted.late.status == ConflictStatus.OPEN and not conflicted.late.decision
    assert Initiative.objects.get(pk=conflicted.initiative.pk).end_date == datetime.date(
        2026, 4, 20
    )


def test_another_workspace_conflict_is_not_found(conflicted, outsider, client_as):
    client = client_as(outsider)
    other = reverse(
        "conflict_detail",
        kwargs={"workspace": outsider.workspace.slug, "conflict_id": conflicted.late.pk},
    )
    assert client.get(other).status_code == 404


# ---------------------------------------------------------------- the decision log


def test_decision_log_lists_decisions_with_people_and_edits(conflicted, owner, editor, client_as):
    client = client_as(owner)
    client.post(url("conflict_invite", owner, conflicted.late), {"members": [editor.pk]})
    conflict_record_decision(
        conflict=conflicted.late,
        root_cause="capacity",
        root_cause_note="Two people on leave",
        decision="revise_roadmap",
        by=owner,
    )
    client.post(
        url("conflict_fix", owner, conflicted.late), {"n": 0, "fix0-end_date": "2026-03-31"}
    )
    html = client.get(url("decision_log", owner)).content.decode()
    assert "Decision log · Q1 2026" in html
    assert "Revise the roadmap" in html
    assert "Capacity: Two people on leave" in html
    assert "Decided by Olivia Owner" in html and "Eddie Editor" in html
    assert "end date 20 Apr 2026 → 31 Mar 2026" in html
    assert conflicted.unsupported_conflict.sentence.replace("'", "&#x27;") not in html


# ---------------------------------------------------------------- query counts


@pytest.fixture
def grow(owner, conflicted):
    """grow(n): n more late initiatives, each a conflict with a decision and an edit."""
    from tandem.conflicts.detection import conflicts_detect
    from tandem.conflicts.services import conflict_apply_fix, conflict_invite
    from tandem.roadmaps.services import contribution_create
    from tests.factories import make_initiative

    def make(n: int) -> None:
        for _ in range(n):
            initiative = make_initiative(
                owner,
                status="planned",
                horizon="now",
                team=conflicted.team,
                start_date=datetime.date(2026, 1, 5),
                end_date=datetime.date(2026, 5, 1),
            )
            contribution_create(initiative=initiative, key_result=conflicted.key_result, by=owner)
        conflicts_detect(workspace=owner.workspace)
        for conflict in Conflict.objects.in_workspace(owner.workspace).filter(
            rule="late_delivery", decision=""
        ):
            conflict_invite(conflict=conflict, teams=[conflicted.team], by=owner)
            conflict_record_decision(
                conflict=conflict, root_cause="capacity", decision="both", by=owner
            )
            params = dict(conflict.suggestions[1]["params"])
            conflict_apply_fix(
                conflict=conflict, action="remove_contribution", params=params, by=owner
            )

    return make


# What the page itself reads; the layout adds its own few (session, user, membership,
# workspaces, cycle, counts in the navigation), which other areas may still grow, so the
# test pins the total to be the same for 5 and 50 conflicts and the page's own share.
OWN = {
    # every conflict; the teams of its initiatives, objectives and key results; the teams
    "conflict_list": 5,
    # cycles; decided conflicts with decider; stakeholders; their teams; edits with events
    "decision_log": 5,
}


@pytest.mark.parametrize(("name", "own"), OWN.items())
def test_page_query_count_does_not_grow(name, own, owner, grow, client_as):
    client = client_as(owner)
    page = url(name, owner, status="all") if name == "conflict_list" else url(name, owner)
    grow(5)
    with CaptureQueriesContext(connection) as few:
        first = client.get(page)
    grow(45)
    with CaptureQueriesContext(connection) as many:
        second = client.get(page)
    rows = "rows" if name == "conflict_list" else "entries"
    assert len(first.context[rows]) >= 5
    assert len(second.context[rows]) >= 50
    assert len(many) == len(few)
    layout = [q for q in few.captured_queries if _layout(q["sql"])]
    assert len(few) - len(layout) == own, [q["sql"][:90] for q in few.captured_queries]


LAYOUT_TABLES = {
    "django_session",
    "accounts_user",
    "accounts_member",
    "accounts_workspace",
    "activity_notification",
}


def _layout(sql: str) -> bool:
    """The layout's queries: session, user, membership, the switcher, the active cycle in
    the header and the counts in the navigation."""
    table = re.search(r'FROM "(\w+)"', sql)[1]
    if table in LAYOUT_TABLES and "_prefetch_related_val" not in sql:
        return True
    if table == "okrs_cycle" and '"okrs_cycle"."state" = \'active\'' in sql:
        return True
    return table == "conflicts_conflict" and sql.startswith("SELECT COUNT(*)")


def test_a_decision_recorded_in_another_tab_is_not_overwritten(conflicted, owner, client_as):
    conflict = conflicted.late
    decision_url = url("conflict_decision", owner, conflict)
    seen = conflict.version
    first = {"root_cause": "capacity", "decision": "revise_roadmap", "version": seen}
    assert client_as(owner).post(decision_url, first).status_code == 302

    second = {"root_cause": "estimation", "decision": "revise_okr", "version": seen}
    response = client_as(owner).post(decision_url, second)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this conflict while you were editing it" in html
    conflict.refresh_from_db()
    assert (conflict.root_cause, conflict.decision) == ("capacity", "revise_roadmap")
    assert f'name="version" value="{conflict.version}"' in html
