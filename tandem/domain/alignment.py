"""Key result and objective status, and progress rolled up the alignment tree.

The tree: pillar → objectives with no parent in the cycle (company objectives) →
their child objectives (team objectives) → theirs. An objective's rolled-up progress
is the mean of its own key results' progress (one voice) and each child's rolled-up
progress (one voice each), so a parent reflects the work aligned beneath it.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tandem.domain.progress import (
    Confidence,
    Kind,
    Pace,
    clamp,
    confidence_status,
    measured_progress,
    objective_progress,
    pace,
)


@dataclass(frozen=True)
class KeyResultFigures:
    kind: str
    start: float
    target: float
    current: float
    weight: float = 1.0
    confidence: int | None = None
    checked_in: bool = True


@dataclass(frozen=True)
class Status:
    progress: float | None  # unclamped; None with nothing to measure
    pace: Pace | None
    confidence: Confidence | None
    # Nothing measured yet because its (only) key results are thresholds never checked in.
    awaiting_check_in: bool = False

    @property
    def percent(self) -> int | None:
        """Progress for display: clamped to 0–100."""
        return None if self.progress is None else round(clamp(self.progress) * 100)


# Worst first: an objective is as confident as its least confident key result.
_CONFIDENCE_ORDER = [Confidence.OFF_TRACK, Confidence.AT_RISK, Confidence.ON_TRACK]


def key_result_status(kr: KeyResultFigures, elapsed: float) -> Status:
    share = measured_progress(kr.kind, kr.start, kr.target, kr.current, checked_in=kr.checked_in)
    confidence = None if kr.confidence is None else confidence_status(kr.confidence)
    if share is None:
        return Status(None, None, confidence, awaiting_check_in=True)
    return Status(share, pace(kr.kind, share, elapsed), confidence)


def objective_status(key_results: Sequence[KeyResultFigures], elapsed: float) -> Status:
    statuses = [key_result_status(kr, elapsed) for kr in key_results]
    share = objective_progress(
        (s.progress, kr.weight) for s, kr in zip(statuses, key_results, strict=True)
    )
    return Status(
        share,
        None if share is None else pace(Kind.INCREASE, share, elapsed),
        worst_confidence(s.confidence for s in statuses),
        awaiting_check_in=share is None and any(s.awaiting_check_in for s in statuses),
    )


# A key result's figures as the tree reads them from plain rows: objective id, kind, start,
# target, current, weight, checked in.
FigureRow = tuple[int, str, float, float, float, float, bool]


def own_progress(rows: Iterable[FigureRow]) -> dict[int, float | None]:
    """Each objective's own progress, as `objective_status` reports it, from its live key
    results' plain figures in one pass: a tree of thousands needs no status per key result.
    An objective with no key result is absent (its own progress is None)."""
    weighted: dict[int, list[tuple[float | None, float]]] = defaultdict(list)
    for objective_id, kind, start, target, current, weight, checked_in in rows:
        share = measured_progress(kind, start, target, current, checked_in=checked_in)
        weighted[objective_id].append((share, weight))
    return {objective_id: objective_progress(pairs) for objective_id, pairs in weighted.items()}


def worst_confidence(confidences: Iterable[Confidence | None]) -> Confidence | None:
    known = [c for c in confidences if c is not None]
    return min(known, key=_CONFIDENCE_ORDER.index) if known else None


@dataclass(frozen=True)
class Node:
    id: int
    parent_id: int | None
    pillar_id: int | None
    own: float | None  # the objective's own progress, clamped or not; None without KRs


@dataclass
class TreeRow:
    id: int
    depth: int
    rolled: float | None
    children: int


@dataclass
class PillarBranch:
    pillar_id: int | None
    rolled: float | None
    rows: list[TreeRow] = field(default_factory=list)


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def roll_up(nodes: Sequence[Node]) -> dict[int, float | None]:
    """Rolled-up progress (0..1) per objective. A parent outside `nodes` makes a root;
    a loop (refused on write, defended here) is cut where it closes."""
    by_id = {n.id: n for n in nodes}
    children = _children(nodes, by_id)
    rolled: dict[int, float | None] = {}

    def visit(node_id: int, path: frozenset[int]) -> float | None:
        if node_id in rolled:
            return rolled[node_id]
        own = by_id[node_id].own
        parts = [None if own is None else clamp(own)]
        parts += [visit(c, path | {node_id}) for c in children[node_id] if c not in path]
        rolled[node_id] = _mean(parts)
        return rolled[node_id]

    for node in nodes:
        visit(node.id, frozenset())
    return rolled


def alignment_tree(nodes: Sequence[Node], pillar_order: Sequence[int]) -> list[PillarBranch]:
    """Branches in `pillar_order`, then objectives without a pillar; each branch's rows in
    depth-first order (children after their parent, in the order given), ready to indent.
    A child sits under its parent whatever its own pillar says: alignment wins."""
    by_id = {n.id: n for n in nodes}
    children = _children(nodes, by_id)
    rolled = roll_up(nodes)
    roots: dict[int | None, list[int]] = defaultdict(list)
    for node in nodes:
        if _is_root(node, by_id):
            roots[node.pillar_id].append(node.id)
    # A loop with no way in from a root still gets shown, from its first member.
    placed: set[int] = set()
    branches = []
    for pillar_id in [*pillar_order, None]:
        rows: list[TreeRow] = []
        for root in roots.get(pillar_id, []):
            _flatten(root, 0, children, rolled, rows, placed)
        if pillar_id is None:
            for node in nodes:
                if node.id not in placed:
                    _flatten(node.id, 0, children, rolled, rows, placed)
        if rows or pillar_id is not None:
            top = [rolled[r] for r in roots.get(pillar_id, [])]
            branches.append(PillarBranch(pillar_id, _mean(top), rows))
    return branches


def _is_root(node: Node, by_id: dict[int, Node]) -> bool:
    return node.parent_id is None or node.parent_id not in by_id or node.parent_id == node.id


def _children(nodes: Sequence[Node], by_id: dict[int, Node]) -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for node in nodes:
        if not _is_root(node, by_id):
            children[node.parent_id].append(node.id)  # type: ignore[index]  # not a root (_is_root): parent_id is set
    return children


def _flatten(
    node_id: int,
    depth: int,
    children: dict[int, list[int]],
    rolled: dict[int, float | None],
    rows: list[TreeRow],
    placed: set[int],
) -> None:
    if node_id in placed:
        return
    placed.add(node_id)
    rows.append(TreeRow(node_id, depth, rolled[node_id], len(children[node_id])))
    for child in children[node_id]:
        _flatten(child, depth + 1, children, rolled, rows, placed)


def window_cut(rows: Sequence[TreeRow], at_least: int) -> int:
    """How many of a branch's rows to show: at least `at_least`, then up to the next
    top-level row, so a subtree is never cut in two."""
    return next(
        (i for i, row in enumerate(rows) if i >= at_least and row.depth == 0),
        len(rows),
    )
