"""Lower layers never import higher ones: work after a write is published (see
tandem/activity/outbox.py) and subscribed to, not called upward. The doors (pages, API,
forms) sit above every app's lower half. No module-level import loop, and no import hidden
in a function to dodge one. docs/architecture.md, "Layers", says why.

`python -m tests.test_layers` prints what breaks the rule, one per line."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tandem"

# The lower half of each app (models, services, selectors, analyses), lowest first: a module
# may import its own app and what comes before it. A few modules sit above the rest of their
# app and are listed by path: accounts' writers record their changes through activity, and
# activity's feeds and digest read what happened in every area.
LAYERS = [
    "domain",
    "core",
    "accounts",
    "activity",
    "accounts/services.py",
    "accounts/invitations.py",
    "strategy",
    "okrs",
    "roadmaps",
    "planning",
    "sources",
    "integrations",
    "conflicts",
    "scenarios",
    "reviews",
    "activity/feeds.py",
    "activity/digest.py",
    "plans",
    "search",
    "web",
    "demo",
    "backups",
]

# The doors: pages, the API, forms, template tags, URLs, the admin and commands. They form
# one layer above every lower half: they may import any module of any app, and nothing in a
# lower half imports them. Among themselves only the loop test holds them (a key result's
# page shows its data source's panel; the data source's view draws that page again).
INTERFACE = {
    "views",
    "api",
    "api_access",
    "import_api",
    "schemas",
    "forms",
    "panel",
    "templatetags",
    "context_processors",
    "middleware",
    "preconditions",
    "admin",
    "management",
    "plan_views",
    "adapters",
}


def _modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts]


def _app(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _is_interface(rel: Path) -> bool:
    name = rel.parts[1].removesuffix(".py")
    return name in INTERFACE or name.endswith("urls")


def _module_of(name: str) -> Path | None:
    """The file of dotted `name` (tandem.x.y, or tandem.x.y.attribute), if in the package."""
    parts = name.split(".")[1:]
    while parts:
        base = PACKAGE.joinpath(*parts)
        if base.with_suffix(".py").is_file():
            return base.with_suffix(".py")
        if (base / "__init__.py").is_file():
            return base / "__init__.py"
        parts = parts[:-1]
    return None


def _imports(path: Path, *, everywhere: bool = True) -> set[Path]:
    """The package's modules `path` imports: anywhere in it, or at module level only."""
    tree = ast.parse(path.read_text())
    nodes = ast.walk(tree) if everywhere else _module_level(tree)
    found = set()
    for node in nodes:
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            if name.startswith("tandem.") and (module := _module_of(name)) is not None:
                found.add(module)
    return found


def _module_level(tree: ast.AST) -> list[ast.AST]:
    """Statements run when the module is imported: not inside a function or class body
    (class bodies run too, so they are walked; functions are not)."""
    out: list[ast.AST] = []
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        out.append(child)
        out.extend(_module_level(child))
    return out


def _rank(rel: Path) -> int:
    if (key := rel.as_posix()) in LAYERS:
        return LAYERS.index(key)
    return LAYERS.index(rel.parts[0])


def wrong_imports() -> set[str]:
    """Each import that breaks the layering, as "module -> module"."""
    found = set()
    for path in _modules():
        rel = path.relative_to(PACKAGE)
        if len(rel.parts) == 1 or rel.name == "apps.py" or _is_interface(rel):
            continue  # the project's wiring (settings, urls, ready()) and the doors: the top
        for target in _imports(path):
            to = target.relative_to(PACKAGE)
            if to.name == "config.py":
                continue  # reads the environment; imports nothing of ours
            if len(to.parts) == 1 or _is_interface(to) or _rank(to) > _rank(rel):
                found.add(f"{rel} -> {to}")
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules it imports when it is imported."""
    return {
        p.relative_to(PACKAGE).as_posix(): {
            t.relative_to(PACKAGE).as_posix() for t in _imports(p, everywhere=False) if t != p
        }
        for p in _modules()
    }


def import_loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Cycles in an import graph (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    loops = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return loops


def test_every_app_has_a_layer():
    apps = {_app(p) for p in _modules() if p.parent != PACKAGE}
    assert apps <= set(LAYERS), sorted(apps - set(LAYERS))
    assert [entry for entry in LAYERS if "/" in entry and not (PACKAGE / entry).is_file()] == []


def test_lower_layers_never_import_higher_ones_nor_the_doors():
    assert sorted(wrong_imports()) == []


def test_the_checker_places_modules_and_finds_loops():
    assert _rank(Path("okrs/models.py")) < _rank(Path("conflicts/models.py"))
    assert _is_interface(Path("okrs/views/pages.py"))
    assert _is_interface(Path("reviews/calendar_urls.py"))
    assert not _is_interface(Path("okrs/services.py"))
    assert _module_of("tandem.okrs.services.key_result_check_in") == PACKAGE / "okrs/services.py"
    assert _module_of("tandem.okrs.views") == PACKAGE / "okrs/views/__init__.py"

    assert import_loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert import_loops({"a": {"b"}, "b": set()}) == []


def test_no_import_loop():
    assert import_loops(import_graph()) == []


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
    print(
        "\n".join(
            [
                *sorted(wrong_imports()),
                *(" <-> ".join(loop) for loop in import_loops(import_graph())),
            ]
        )
    )
