"""mypy runs strict over the whole package (`make lint`): no module is excused from its
errors, and every `type: ignore` left says which error it silences and why, on its line."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPLAINED = re.compile(r"# type: ignore\[[a-z-]+(, ?[a-z-]+)*\]  # \S")


def test_mypy_is_strict_and_excuses_no_module() -> None:
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert mypy["strict"] is True
    assert mypy["files"] == ["tandem"]
    excused = [o["module"] for o in mypy.get("overrides", []) if o.get("ignore_errors")]
    assert excused == []


def test_every_type_ignore_names_its_error_and_reason() -> None:
    unexplained = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "tandem").rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "type: ignore" in line and not EXPLAINED.search(line)
    ]
    assert unexplained == []
