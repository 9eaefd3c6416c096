"""Issue 15: the alignment tree of a large cycle shows each branch's first objectives (whole
subtrees) and links to the rest."""

from django.urls import reverse

from tandem.okrs.views.pages import TREE_WINDOW
from tests import factories


def test_a_long_branch_shows_its_first_objectives_and_links_to_all(owner, cycle, client_as):
    roots = [
        factories.make_objective(owner, cycle=cycle, title=f"Goal {n:02}")
        for n in range(TREE_WINDOW + 3)
    ]
    child = factories.make_objective(owner, cycle=cycle, title="Aligned child", parent=roots[-1])
    client = client_as(owner)
    url = reverse("okr_tree", kwargs={"workspace": owner.workspace.slug})
    html = client.get(url).content.decode()
    assert "Goal 00" in html and f"Goal {TREE_WINDOW - 1:02}" in html
    assert roots[-1].title not in html and child.title not in html
    assert "4 more objectives in this branch" in html  # three goals and the child
    every = client.get(url, {"cycle": cycle.pk, "all": "1"}).content.decode()
    assert roots[-1].title in every and child.title in every
    assert "more objectives in this branch" not in every
