"""Searching a workspace: the database's full-text index for objects, ranked by it, and
the workspace's pages matched by their names.

Words are taken from the query as letters and digits only and each is matched as a prefix
("roadm" finds "roadmap"), all of them required. Nothing the user types reaches the SQL
but those words, as parameters."""

import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.urls import reverse

from tandem.accounts.models import Member, Role

QUERY_MAX = 200
WORDS_MAX = 8
LIMIT = 20

KIND_LABELS = {
    "page": "Page",
    "objective": "Objective",
    "key_result": "Key result",
    "initiative": "Initiative",
    "insight": "Insight",
    "conflict": "Conflict",
    "person": "Person",
    "pillar": "Pillar",
    "team": "Team",
}

# (label, URL name, more words it answers to, lowest role that may open it)
PAGES = (
    ("Overview", "dashboard", "home dashboard start", Role.VIEWER),
    ("Executive overview", "executive_overview", "exec summary print leadership", Role.VIEWER),
    ("OKRs", "okr_list", "objectives key results goals", Role.VIEWER),
    ("Alignment tree", "okr_tree", "okrs objectives hierarchy", Role.VIEWER),
    ("My OKRs", "okr_mine", "mine own objectives key results check in", Role.VIEWER),
    ("Cycles", "okr_cycles", "quarters periods", Role.VIEWER),
    ("Roadmap board", "roadmap_board", "now next later initiatives kanban", Role.VIEWER),
    ("Timeline", "roadmap_timeline", "roadmap gantt schedule dates", Role.VIEWER),
    ("Priorities", "roadmap_priorities", "rice value effort roadmap", Role.VIEWER),
    ("Capacity", "roadmap_capacity", "teams person weeks roadmap", Role.VIEWER),
    ("Insights", "insight_inbox", "customer feedback market research inbox", Role.VIEWER),
    ("Conflicts", "conflict_list", "inbox risks disagreements", Role.VIEWER),
    ("Decision log", "decision_log", "decisions conflicts", Role.VIEWER),
    ("Reviews", "review_list", "meetings agenda retrospective", Role.VIEWER),
    ("Baselines", "baseline_list", "drift snapshot", Role.VIEWER),
    ("Strategy", "strategy", "vision pillars teams", Role.VIEWER),
    ("Activity", "activity_feed", "changes history feed", Role.VIEWER),
    ("Notifications", "notification_list", "unread alerts", Role.VIEWER),
    ("Preferences", "preferences", "settings my time zone digest compact density", Role.VIEWER),
    ("Workspace settings", "settings_general", "configuration", Role.ADMIN),
    ("Members", "member_list", "people invitations roles settings", Role.ADMIN),
    ("Webhooks", "webhook_list", "slack teams integrations settings", Role.ADMIN),
    ("Access log", "access_log", "security sign in audit", Role.ADMIN),
)


@dataclass(frozen=True)
class Result:
    kind: str
    object_id: int | None
    title: str
    context: str
    url: str | None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def words_of(query: str) -> list[str]:
    return re.findall(r"[^\W_]+", query[:QUERY_MAX].lower())[:WORDS_MAX]


def search(*, member: Member, query: str, limit: int = LIMIT) -> list[Result]:
    """The pages, then the objects, of the member's workspace that match every word."""
    words = words_of(query)
    if not words:
        return []
    pages = _pages(member, words)
    return (pages + _objects(member, words, limit))[:limit]


def _pages(member: Member, words: list[str]) -> list[Result]:
    found = []
    for label, url_name, more, role in PAGES:
        if not member.has_role(role):
            continue
        names = re.findall(r"[^\W_]+", f"{label} {more}".lower())
        if all(any(name.startswith(word) for name in names) for word in words):
            url = reverse(url_name, kwargs={"workspace": member.workspace.slug})
            found.append(Result("page", None, label, "Page", url))
    return found[:5]


def _rows(workspace_id: int, words: list[str], limit: int) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            terms = " & ".join(f"{word}:*" for word in words)
            cursor.execute(
                "SELECT kind, object_id, title, context, parent_id FROM search_searchentry "
                "WHERE workspace_id = %s AND document @@ to_tsquery('simple', %s) "
                "ORDER BY ts_rank(document, to_tsquery('simple', %s)) DESC, id LIMIT %s",
                [workspace_id, terms, terms, limit],
            )
        else:
            # The workspace is a token of the index (migration 0003): matched there.
            words_terms = " ".join(f'"{word}"*' for word in words)
            terms = f"scope : w{workspace_id} AND ({words_terms})"
            cursor.execute(
                "SELECT e.kind, e.object_id, e.title, e.context, e.parent_id "
                "FROM search_searchentry_fts JOIN search_searchentry e "
                "ON e.id = search_searchentry_fts.rowid "
                "WHERE search_searchentry_fts MATCH %s AND e.workspace_id = %s "
                "ORDER BY bm25(search_searchentry_fts, 10.0, 1.0, 0.0), e.id LIMIT %s",
                [terms, workspace_id, limit],
            )
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def _objects(member: Member, words: list[str], limit: int) -> list[Result]:
    slug = member.workspace.slug
    results = []
    for kind, object_id, title, context, parent_id in _rows(member.workspace_id, words, limit):
        results.append(
            Result(kind, object_id, title, context, _url(member, slug, kind, object_id, parent_id))
        )
    return results


# kind -> (URL name, its id argument)
DETAIL_PAGES = {
    "objective": ("objective_detail", "objective_id"),
    "key_result": ("key_result_detail", "key_result_id"),
    "initiative": ("initiative_detail", "initiative_id"),
    "conflict": ("conflict_detail", "conflict_id"),
    "pillar": ("pillar_detail", "pillar_id"),
    "team": ("team_detail", "team_id"),
}


def _url(member: Member, slug: str, kind: str, object_id: int, parent_id: int | None) -> str | None:
    if kind in DETAIL_PAGES:
        name, argument = DETAIL_PAGES[kind]
        return reverse(name, kwargs={"workspace": slug, argument: object_id})
    if kind == "insight":
        return reverse("insight_inbox", kwargs={"workspace": slug}) + f"#insight-{object_id}"
    # A person has no page: their first team's, else the member list for those who may see it.
    if parent_id is not None:
        return reverse("team_detail", kwargs={"workspace": slug, "team_id": parent_id})
    if member.has_role(Role.ADMIN):
        return reverse("member_list", kwargs={"workspace": slug})
    return None
