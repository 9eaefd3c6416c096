"""Lower layers never import higher ones: work after a write is published (see
tandem/activity/outbox.py) and subscribed to, not called upward."""

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
