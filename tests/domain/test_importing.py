"""Merging an import into a plan (pure): nothing the file does not name is touched, a
second merge of the same rows changes nothing, and bad cells are named by row and column."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.domain.importing import Fragment, Row, cell_number, merge_import, parse_date
from tandem.domain.planfile import KINDS, PlanInvalid, empty_plan
from tandem.domain.planfile_diff import diff_plans


def _plan_with_roadmap():
    plan = empty_plan()
    plan["roadmap"]["product"] = {"name": "Product", "description": "", "team": None}
    plan["initiative"]["old"] = {
        **{n: s.default for n, s in KINDS["initiative"].items()},
        "roadmap": "product",
        "title": "Kept as it is",
    }
    return plan


def _fragment(titles):
    fragment = Fragment("jira")
    for n, title in enumerate(titles):
        key = f"jira:A-{n}"
        fragment.rows.append(
            Row(
                "initiative",
                key,
                n + 2,
                fields={"source": "jira", "external_id": f"A-{n}", "title": title},
                names={"roadmap": "product"},
            )
        )
    return fragment


@given(st.lists(st.text(min_size=1, max_size=20), max_size=8))
def test_merging_keeps_the_rest_and_is_idempotent(titles):
    current = _plan_with_roadmap()
    wanted, _ = merge_import(current, _fragment(titles))
    assert wanted["initiative"]["old"] == current["initiative"]["old"]
    assert diff_plans(current, wanted).count("created") == len(titles)
    assert not [c for c in diff_plans(current, wanted).changes if c.action != "created"]
    again, _ = merge_import(wanted, _fragment(titles))
    assert diff_plans(wanted, again).empty


def test_unknown_roadmap_is_named_by_row_and_column():
    fragment = _fragment(["A"])
    fragment.rows[0].names["roadmap"] = "Nope"
    fragment.rows[0].columns["roadmap"] = "Roadmap"
    with pytest.raises(PlanInvalid) as refused:
        merge_import(_plan_with_roadmap(), fragment)
    assert str(refused.value) == "row 2, Roadmap: No roadmap 'Nope' in this workspace."


def test_cells():
    fragment = Fragment("csv")
    assert cell_number(fragment, "1,200.50", 3, "Target") == "1200.5"
    assert cell_number(fragment, "lots", 4, "Target") is None
    assert [str(e) for e in fragment.errors] == ["row 4, Target: 'lots' is not a number."]
    assert parse_date("15/Jan/27 9:30 AM") == datetime.date(2027, 1, 15)
    assert parse_date("Mon Jan 04 2027 00:00:00 GMT+0000 (Coordinated Universal Time)") == (
        datetime.date(2027, 1, 4)
    )
    assert parse_date("2027-01-04T10:00:00.000Z") == datetime.date(2027, 1, 4)
