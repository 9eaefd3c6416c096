from hypothesis import given
from hypothesis import strategies as st

from tandem.domain.graphs import loop_if_added, path_between


def test_the_loop_is_named_from_start_to_start():
    edges = {"a": ["b"], "b": ["c"]}
    assert loop_if_added(edges, "c", "a") == ["c", "a", "b", "c"]


def test_a_safe_edge_closes_no_loop():
    edges = {"a": ["b"], "b": ["c"]}
    assert loop_if_added(edges, "a", "c") is None
    assert loop_if_added(edges, "d", "a") is None


@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=30))
def test_adding_only_safe_edges_keeps_the_graph_acyclic(pairs):
    edges: dict[int, list[int]] = {}
    for dependent, prerequisite in pairs:
        if dependent == prerequisite or loop_if_added(edges, dependent, prerequisite):
            continue
        edges.setdefault(dependent, []).append(prerequisite)
    for node, following in edges.items():
        for nxt in following:
            assert path_between(edges, nxt, node) is None
