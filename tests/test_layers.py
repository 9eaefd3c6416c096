"""Lower layers never import higher ones: work after a write is published (see
tandem/activity/outbox.py) and subscribed to, not called upward. No import is hidden in a
function to dodge a loop.

`python -m tests.test_layers` prints the upward imports left, one per line."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tandem"

# module (relative to tandem/) -> apps it must not import, at any depth in the file
RULES = {
    **{
        f"activity/{name}.py": {"strategy", "okrs", "roadmaps", "conflicts", "reviews", "sources"}
        for name in ("models", "services", "outbox", "fanout", "webhooks", "watching")
    },
    # The scheduler knows no job: apps register theirs.
    "core/schedule.py": {"accounts", "activity", "okrs", "conflicts", "sources"},
    **{
        f"{app}/{name}.py": {"conflicts", "reviews", "sources"}
        for app in ("strategy", "okrs", "roadmaps")
        for name in ("models", "services")
    },
}


def _imported_apps(path: Path) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        apps |= {n.split(".")[1] for n in names if n.startswith("tandem.") and "." in n}
    return apps


@pytest.mark.parametrize("module", sorted(RULES))
def test_no_upward_import(module):
    assert not _imported_apps(PACKAGE / module) & RULES[module]


# The layers, lowest first: an app may import its own modules and those of the apps before it.
LAYERS = [
    "domain",
    "core",
    "accounts",
    "activity",
    "strategy",
    "okrs",
    "roadmaps",
    "sources",
    "integrations",
    "conflicts",
    "scenarios",
    "reviews",
    "plans",
    "search",
    "web",
    "demo",
    "backups",
]

# Upward imports not yet moved, as "module -> app". The list only shrinks: a new upward
# import fails, and so does an entry here that is no longer true (delete it).
KNOWN_UPWARD = {
    "accounts/invitations.py -> activity",
    "accounts/services.py -> activity",
    "activity/api.py -> conflicts",
    "activity/api.py -> okrs",
    "activity/api.py -> reviews",
    "activity/api.py -> roadmaps",
    "activity/api.py -> strategy",
    "activity/digest.py -> conflicts",
    "activity/digest.py -> reviews",
    "activity/digest.py -> strategy",
    "activity/feeds.py -> okrs",
    "activity/feeds.py -> roadmaps",
    "activity/feeds.py -> strategy",
    "activity/views.py -> conflicts",
    "activity/views.py -> okrs",
    "activity/views.py -> reviews",
    "activity/views.py -> roadmaps",
    "activity/views.py -> strategy",
    "activity/views.py -> web",
    "conflicts/forms.py -> web",
    "conflicts/views.py -> web",
    "core/api.py -> accounts",
    "core/edits.py -> accounts",
    "core/edits.py -> okrs",
    "core/edits.py -> roadmaps",
    "core/edits.py -> strategy",
    "core/plan.py -> accounts",
    "core/plan.py -> okrs",
    "core/plan.py -> roadmaps",
    "core/plan.py -> strategy",
    "integrations/views.py -> web",
    "okrs/forecasts.py -> roadmaps",
    "okrs/forms.py -> roadmaps",
    "okrs/forms.py -> web",
    "okrs/templatetags/okr_ui.py -> web",
    "okrs/views/editing.py -> conflicts",
    "okrs/views/editing.py -> roadmaps",
    "okrs/views/editing.py -> web",
    "okrs/views/pages.py -> conflicts",
    "okrs/views/pages.py -> roadmaps",
    "okrs/views/pages.py -> sources",
    "okrs/views/pages.py -> web",
    "reviews/forms.py -> web",
    "reviews/views/reviews.py -> web",
    "roadmaps/forms.py -> web",
    "roadmaps/views/board.py -> conflicts",
    "roadmaps/views/initiative.py -> conflicts",
    "roadmaps/views/board.py -> scenarios",
    "roadmaps/views/initiative.py -> web",
    "roadmaps/views/plan.py -> scenarios",
    "roadmaps/views/plan.py -> web",
    "scenarios/views.py -> web",
    "sources/forms.py -> web",
    "sources/views.py -> web",
    "strategy/forms.py -> web",
    "strategy/views/editing.py -> web",
    "strategy/views/pages.py -> conflicts",
    "strategy/views/pages.py -> okrs",
    "strategy/views/pages.py -> roadmaps",
    "web/views/home.py -> demo",
}


def _modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts]


def _app(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def upward_imports() -> set[str]:
    rank = {app: n for n, app in enumerate(LAYERS)}
    found = set()
    for path in _modules():
        app = _app(path)
        if app not in rank:
            continue  # settings, urls, api, cli: the top, they wire everything together
        for target in _imported_apps(path):
            if target in rank and rank[target] > rank[app]:
                found.add(f"{path.relative_to(PACKAGE)} -> {target}")
    return found


def test_every_app_has_a_layer():
    apps = {_app(p) for p in _modules() if p.parent != PACKAGE}
    assert apps <= set(LAYERS), sorted(apps - set(LAYERS))


def test_no_new_upward_import_and_the_known_list_only_shrinks():
    found = upward_imports()
    assert sorted(found - KNOWN_UPWARD) == [], "a lower layer imports a higher one"
    assert sorted(KNOWN_UPWARD - found) == [], "moved: delete these from KNOWN_UPWARD"


def _function_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    hidden = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name)
            elif isinstance(child, ast.Import | ast.ImportFrom) and function is not None:
                names = [a.name for a in child.names] if isinstance(child, ast.Import) else []
                if isinstance(child, ast.ImportFrom):
                    names = [child.module or ""]
                if not any(n.startswith("tandem") for n in names):
                    continue  # a library loaded when needed, not a loop dodged
                # AppConfig.ready() is where Django wants subscribers registered (the app
                # registry is ready there, and it runs once); the `tandem` command must
                # configure Django before it imports the project.
                if not ((path.name == "apps.py" and function == "ready") or path.name == "cli.py"):
                    hidden.append(f"{path.relative_to(PACKAGE)}:{child.lineno}")
            else:
                visit(child, function)

    visit(tree, None)
    return hidden


def test_no_import_is_hidden_in_a_function():
    assert [hit for path in _modules() for hit in _function_imports(path)] == []


if __name__ == "__main__":
    print("\n".join(sorted(upward_imports())))
