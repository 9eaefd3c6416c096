"""Priorities draws value against effort as a server-rendered SVG: one linked dot per open
initiative, in its quadrant's colour."""

from decimal import Decimal

from django.urls import reverse

from tests import factories


def test_priorities_page_plots_every_open_initiative(owner, client_as):
    roadmap = factories.make_roadmap(owner)
    quick = factories.make_initiative(
        owner, roadmap=roadmap, title="Quick", reach=900, effort=Decimal(1)
    )
    factories.make_initiative(owner, roadmap=roadmap, title="Slow", reach=10, effort=Decimal(30))
    factories.make_initiative(owner, roadmap=roadmap, title="Shipped", status="done")
    html = (
        client_as(owner)
        .get(reverse("roadmap_priorities", kwargs={"workspace": owner.workspace.slug}))
        .content.decode()
    )
    assert "Value against effort" in html
    assert html.count('class="ve-dot') == 2
    link = reverse(
        "initiative_detail", kwargs={"workspace": owner.workspace.slug, "initiative_id": quick.pk}
    )
    assert f'<a href="{link}"><circle class="ve-dot quadrant-quick_win"' in html
