"""The layout around every page: switcher, navigation, current cycle, CSP-clean HTML."""

import re

import pytest
from django.urls import reverse

from tandem.accounts.services import workspace_create

from .test_pages import WORKSPACE_PAGES, page


def test_switcher_lists_only_the_users_workspaces(owner, outsider, client_as):
    workspace_create(name="Acme Labs", owner=owner.user, slug="acme-labs")
    html = client_as(owner).get(page("dashboard", owner.workspace)).content.decode()
    switcher = html[html.index('class="menu switcher"') : html.index("</details>")]
    assert "Acme Test" in switcher
    assert "Acme Labs" in switcher
    assert "Globex" not in switcher
    assert f'href="{page("dashboard", owner.workspace)}" aria-current="true"' in switcher


def test_switching_workspace_keeps_the_section(owner, client_as):
    labs = workspace_create(name="Acme Labs", owner=owner.user, slug="acme-labs")
    html = client_as(owner).get(page("roadmap_board", owner.workspace)).content.decode()
    assert f'href="{page("roadmap_board", labs)}"' in html


def test_navigation_marks_the_current_section(owner, client_as):
    html = client_as(owner).get(page("okr_list", owner.workspace)).content.decode()
    assert f'<a href="{page("okr_list", owner.workspace)}" aria-current="page">OKRs</a>' in html
    section_nav = html.split('class="section-nav"')[1].split("</nav>")[0]
    assert section_nav.count('aria-current="page"') == 1
    for label in ["Overview", "OKRs", "Roadmap", "Conflicts", "Reviews", "Strategy"]:
        assert f">{label}</a>" in html


def test_current_cycle_is_in_the_header_of_every_workspace_page(plan, client_as):
    client = client_as(plan.owner)
    for name in WORKSPACE_PAGES:
        html = client.get(page(name, plan.owner.workspace)).content.decode()
        header = html[html.index("<header") : html.index("</header>")]
        assert "Current cycle" in header, name
        assert "Q4 2026" in header, name
        assert "ends 31 Dec" in header, name


def test_user_menu_offers_tokens_and_a_logout_form(owner, client_as):
    html = client_as(owner).get(page("dashboard", owner.workspace)).content.decode()
    assert f'href="{reverse("token_list")}"' in html
    logout = re.search(r'<form method="post" action="/logout/">(.*?)</form>', html, re.S)
    assert logout and "csrfmiddlewaretoken" in logout.group(1)


def test_skip_link_and_landmarks(owner, client_as):
    html = client_as(owner).get(page("dashboard", owner.workspace)).content.decode()
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert '<main id="main"' in html
    assert "<header" in html
    assert '<nav class="section-nav" aria-label="Acme Test">' in html


ALL_PAGES = [*WORKSPACE_PAGES, "token_list", "login"]


@pytest.mark.parametrize("name", ALL_PAGES)
def test_pages_carry_csp_and_no_inline_script_or_style(name, plan, client, client_as):
    if name == "login":
        response = client.get(reverse("login"))
    elif name == "token_list":
        response = client_as(plan.owner).get(reverse("token_list"))
    else:
        response = client_as(plan.owner).get(page(name, plan.owner.workspace))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the layout loads htmx and our script"
    assert all("src=" in tag for tag in scripts), scripts
    assert not re.search(r"\sstyle\s*=", html)
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+\s*=", html), "no inline event handlers"
    assert "https://" not in re.sub(r'href="https://[^"]*"', "", html), "nothing from elsewhere"


def test_htmx_comes_from_our_own_static_files(owner, client_as):
    html = client_as(owner).get(page("dashboard", owner.workspace)).content.decode()
    assert re.search(r'<script src="/static/django_htmx/htmx-2[^"]*\.js"', html)
    assert re.search(r'<link rel="stylesheet" href="/static/tandem/tandem[^"]*\.css">', html)


def test_static_files_are_served(owner, client_as):
    client = client_as(owner)
    html = client.get(page("dashboard", owner.workspace)).content.decode()
    for url in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        response = client.get(url)
        assert response.status_code == 200, url


def test_unknown_page_is_a_friendly_404(owner, client_as):
    response = client_as(owner).get("/w/acme-test/nowhere/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()
