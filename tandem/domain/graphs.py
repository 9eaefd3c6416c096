"""Dependency graphs between initiatives."""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def path_between(edges: Mapping[N, Iterable[N]], source: N, target: N) -> Sequence[N] | None:
    """A path source → … → target following `edges`, or None. Iterative DFS."""
    stack: list[tuple[N, list[N]]] = [(source, [source])]
    seen = {source}
    while stack:
        node, path = stack.pop()
        if node == target:
            return path
        for following in edges.get(node, ()):
            if following not in seen:
                seen.add(following)
                stack.append((following, [*path, following]))
    return None


def loop_if_added(
    edges: Mapping[N, Iterable[N]], dependent: N, depends_on: N
) -> Sequence[N] | None:
    """The loop that adding `dependent → depends_on` would close, as a list ending where it
    starts (e.g. [a, b, c, a]), or None when the edge is safe."""
    back = path_between(edges, depends_on, dependent)
    if back is None:
        return None
    return [dependent, *back]
