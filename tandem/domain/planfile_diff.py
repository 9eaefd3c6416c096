"""The diff between two flat plans: what applying one to the other creates, changes,
archives and removes, and its readable text."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from tandem.domain.planfile import (
    KINDS,
    LABELS,
    ON_MISSING,
    Plan,
    Spec,
    Value,
)


@dataclass(frozen=True)
class Change:
    kind: str
    key: str
    action: str  # created, changed, archived, removed
    fields: Mapping[str, tuple[Value, object]] = field(default_factory=dict)


@dataclass
class PlanDiff:
    changes: list[Change]
    kept: dict[str, int]  # kind -> entries not in the file and left as they are

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def of(self, kind: str, action: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind and c.action == action]

    @property
    def empty(self) -> bool:
        return not self.changes

    def summary(self) -> str:
        parts = [f"{self.count(a)} {a}" for a in ("created", "changed", "archived", "removed")]
        return "Plan: " + ", ".join(parts) + "."

    def text(self) -> str:
        """The readable diff: one line per entry, one indented line per changed field."""
        lines = [self.summary()]
        signs = {"created": "+", "changed": "~", "archived": "-", "removed": "-"}
        for change in self.changes:
            label = LABELS.get(change.kind, change.kind)
            lines.append(f"{signs[change.action]} {label} {change.key}: {change.action}")
            for name, (old, new) in change.fields.items():
                spec = KINDS[change.kind].get(name, Spec("text"))
                if change.action == "created":
                    lines.append(f"    {name}: {_show(new, spec)}")
                else:
                    lines.append(f"    {name}: {_show(old, spec)} → {_show(new, spec)}")
        for kind, count in self.kept.items():
            lines.append(
                f"  {count} {LABELS.get(kind, kind)}(s) not in the file are kept as they are."
            )
        return "\n".join(lines)


def _show(value: object, spec: Spec) -> str:
    """Text quoted (and cut short), numbers, dates, keys and choices as they are."""
    if value is None:
        return "none"
    text = str(value).replace("\n", " ")
    if spec.type not in ("text", "name"):
        return text.lower() if isinstance(value, bool) else text
    return repr(text[:60] + "…" if len(text) > 60 else text)


def diff_plans(current: Plan, wanted: Plan, *, cycles_in_scope: set[str] | None = None) -> PlanDiff:
    """What applying `wanted` to `current` does. An entry missing from `wanted` is archived
    (or removed, for links) per ON_MISSING; objectives and key results only within the
    cycles `wanted` lists, so a one-cycle file leaves the other cycles alone."""
    scope = set(wanted["cycle"]) if cycles_in_scope is None else cycles_in_scope
    changes: list[Change] = []
    kept: dict[str, int] = {}
    for kind in KINDS:
        have, want = current[kind], wanted[kind]
        for key, fields in want.items():
            old = have.get(key)
            if old is None:
                shown: dict[str, tuple[Value, object]] = {
                    n: (None, v) for n, v in fields.items() if v != KINDS[kind][n].default
                }
                changes.append(Change(kind, key, "created", shown))
                continue
            if old == fields:  # most entries of a large file: compared at C speed
                continue
            moved = {n: (old.get(n), v) for n, v in fields.items() if old.get(n) != v}
            if moved:
                changes.append(Change(kind, key, "changed", moved))
        for key, fields in have.items():
            if key in want:
                continue
            missing = ON_MISSING.get(kind)
            in_scope = _in_scope(kind, fields, current, scope)
            if missing is None or not in_scope:
                kept[kind] = kept.get(kind, 0) + 1
                continue
            name, value = missing
            if name == "removed":
                changes.append(Change(kind, key, "removed"))
            elif fields[name] != value:
                changes.append(Change(kind, key, "archived", {name: (fields[name], value)}))
    return PlanDiff(changes, kept)


def _in_scope(kind: str, fields: Mapping[str, Value], current: Plan, scope: set[str]) -> bool:
    if kind == "objective":
        return fields["cycle"] in scope
    if kind == "key_result":
        objective = current["objective"].get(str(fields["objective"]))
        return objective is not None and objective["cycle"] in scope
    if kind == "contribution":
        key_result = current["key_result"].get(str(fields["key_result"]))
        return key_result is not None and _in_scope("key_result", key_result, current, scope)
    return True
