"""Conflict badges for any page that lists plan entities, in one query per page.

badges = conflict_badges(workspace)          # in the view
{% load conflicts %}{% conflict_badge badges "initiative" initiative.pk %}
"""

from dataclasses import dataclass

from tandem.accounts.models import Workspace
from tandem.conflicts.models import Conflict

RANK = {"high": 0, "medium": 1, "low": 2}


@dataclass
class Badge:
    count: int
    severity: str  # the most severe among them

    @property
    def label(self) -> str:
        noun = "conflict" if self.count == 1 else "conflicts"
        return f"{self.count} open {noun}, most severe {self.severity}"


def conflict_badges(workspace: Workspace) -> dict[tuple[str, int], Badge]:
    """(kind, id) → Badge for every entity named by an open or acknowledged conflict."""
    badges: dict[tuple[str, int], Badge] = {}
    rows = (
        Conflict.objects.in_workspace(workspace)
        .needing_attention()
        .values_list("subject", "severity")
    )
    for subject, severity in rows:
        for kind, id in subject:
            badge = badges.get((kind, id))
            if badge is None:
                badges[(kind, id)] = Badge(1, severity)
                continue
            badge.count += 1
            if RANK.get(severity, 9) < RANK.get(badge.severity, 9):
                badge.severity = severity
    return badges
