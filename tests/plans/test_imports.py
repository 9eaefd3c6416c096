"""Imports from what people already have: Tandem's spreadsheet templates, Jira, Linear and
GitHub Projects, through the plan machinery (one transaction, imported check-ins), with
errors that name the file's row or line and column and write nothing."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tandem.activity.models import ChangeEvent
from tandem.okrs.models import CheckIn, KeyResult, Objective
from tandem.plans.importing import ImportInvalid, import_file, import_options
from tandem.roadmaps.models import Dependency, Initiative
from tests import factories

FILES = Path(__file__).parent / "imports"


@pytest.fixture
def plan(owner):
    factories.make_cycle(
        owner, name="Q1 2027", start=datetime.date(2027, 1, 1), end=datetime.date(2027, 3, 31)
    )
    factories.make_team(owner, name="Growth")
    factories.make_team(owner, name="Platform")
    factories.make_roadmap(owner, name="Product")
    return owner


def run(by, format_name, name, *, dry_run=False, data=None, **options):
    return import_file(
        format_name=format_name,
        data=data if data is not None else (FILES / name).read_bytes(),
        by=by,
        dry_run=dry_run,
        options=import_options(by, format_name, **options),
        file_name=name,
    )


def errors(by, format_name, name=None, *, data=None, **options):
    with pytest.raises(ImportInvalid) as caught:
        run(by, format_name, name, data=data, **options)
    return [str(e) for e in caught.value.errors]


def test_jira_csv_epics_become_initiatives_with_teams_dates_and_dependencies(plan):
    found = run(plan, "jira-csv", "jira-search.csv", teams={"Onboarding": "Growth"})
    assert found.result.applied
    by_key = {i.external_id: i for i in Initiative.objects.filter(workspace=plan.workspace)}
    assert sorted(by_key) == ["ACME-101", "ACME-102", "ACME-104"]
    guided = by_key["ACME-101"]
    assert guided.external_source == "jira"
    assert (guided.status, guided.horizon) == ("in_progress", "now")
    assert (guided.start_date, guided.end_date) == (
        datetime.date(2027, 1, 5),
        datetime.date(2027, 2, 15),
    )
    assert guided.team.name == "Growth"
    assert by_key["ACME-104"].team.name == "Platform"  # its second component names a team
    assert by_key["ACME-104"].status == "done"
    assert Dependency.objects.get(workspace=plan.workspace).depends_on == guided
    assert "1 issue(s) that are not epics were left out." in found.fragment.skipped


def test_jira_json_matches_the_csv_and_reimporting_updates(plan):
    run(plan, "jira-csv", "jira-search.csv")
    found = run(plan, "jira-json", "jira-search.json", teams={"Onboarding": "Growth"})
    assert Initiative.objects.filter(workspace=plan.workspace).count() == 3
    guided = Initiative.objects.get(workspace=plan.workspace, external_id="ACME-101")
    assert guided.external_url == "https://acme.atlassian.net/browse/ACME-101"
    assert guided.team.name == "Growth"
    assert guided.description.startswith("A checklist")
    assert {r.action for r in found.rows} <= {"changed", "unchanged"}
    again = run(plan, "jira-json", "jira-search.json", teams={"Onboarding": "Growth"})
    assert {r.action for r in again.rows} == {"unchanged"}
    assert Initiative.objects.filter(workspace=plan.workspace).count() == 3


def test_okrs_csv_and_xlsx_with_imported_check_ins(plan):
    run(plan, "csv-okrs", "okrs.csv")
    kr = KeyResult.objects.get(workspace=plan.workspace, external_id="KR-1")
    assert (kr.current_value, kr.objective.title) == (35, "Activate new teams in their first week")
    check_in = CheckIn.objects.get(key_result=kr)
    assert check_in.imported and check_in.confidence is None
    assert Objective.objects.filter(workspace=plan.workspace).count() == 2
    assert Objective.objects.get(external_id="OBJ-1").team.name == "Growth"
    # The same rows from a workbook update, never duplicate.
    import tablib

    from tandem.plans.importers.tables import read_csv

    table = read_csv((FILES / "okrs.csv").read_bytes())
    book = tablib.Dataset(*[r for _, r in table.rows], headers=table.headers)
    found = run(plan, "xlsx-okrs", "okrs.xlsx", data=book.export("xlsx"))
    assert {r.action for r in found.rows} == {"unchanged"}
    assert KeyResult.objects.filter(workspace=plan.workspace).count() == 3


def test_initiatives_csv_with_dependencies_and_contributions(plan):
    run(plan, "csv-okrs", "okrs.csv")
    run(plan, "csv-initiatives", "initiatives.csv")
    guided = Initiative.objects.get(workspace=plan.workspace, external_id="INIT-1")
    assert guided.roadmap.name == "Product"
    assert [c.key_result.external_id for c in guided.contributions.all()] == ["KR-1"]
    assert Dependency.objects.get(workspace=plan.workspace).initiative.external_id == "INIT-2"


def test_linear_projects_and_issues(plan):
    run(plan, "linear-csv", "linear-projects.csv")
    mobile = Initiative.objects.get(workspace=plan.workspace, title="Mobile onboarding")
    assert (mobile.status, mobile.team.name) == ("in_progress", "Growth")
    assert mobile.end_date == datetime.date(2027, 2, 26)
    found = run(plan, "linear-csv", "linear-issues.csv")
    assert "1 issue(s) without a project were left out." in found.fragment.skipped
    assert Initiative.objects.filter(workspace=plan.workspace).count() == 2
    mobile.refresh_from_db()
    assert mobile.start_date == datetime.date(2027, 1, 4)


def test_github_project_items(plan):
    run(plan, "github-project", "github-project.json")
    gallery = Initiative.objects.get(workspace=plan.workspace, title="Templates gallery")
    assert gallery.external_url == "https://github.com/acme/cloud/issues/42"
    assert (gallery.status, gallery.horizon, gallery.team.name) == ("in_progress", "now", "Growth")
    draft = Initiative.objects.get(workspace=plan.workspace, title="Audit log export")
    assert (draft.status, draft.horizon) == ("idea", "later")


def test_dry_run_writes_nothing_and_says_what_it_would_do(plan):
    before = ChangeEvent.objects.count()
    found = run(plan, "jira-csv", "jira-search.csv", dry_run=True)
    assert not found.result.applied
    assert found.count("created") == 4  # three epics and a dependency
    assert ChangeEvent.objects.count() == before
    assert not Initiative.objects.filter(workspace=plan.workspace).exists()


def test_one_summary_in_the_feed(plan):
    run(plan, "jira-csv", "jira-search.csv")
    assert ChangeEvent.objects.filter(action="plan_applied").count() == 1


BAD = [
    ("csv-okrs", b'Objective,Key result\n"Unclosed,KR\n', "row 2, file: Not valid CSV"),
    ("csv-okrs", b"Objective,Colour\nA,red\n", "row 1, Colour: Unknown column"),
    ("xlsx-okrs", b"Objective,Key result\n", "row 1, file: This is not an XLSX workbook"),
    ("jira-json", b'{"issues": [1,]}', "line 1, file: Not valid JSON"),
    ("jira-json", b'{"items": []}', "line 1, issues: Not a Jira search result"),
    ("jira-csv", b"Name,Status\nx,y\n", "row 1, Issue key, Summary, Issue Type: Not a Jira CSV"),
    ("csv-okrs", b"PK\x03\x04\x00\x00", "This is not a CSV file: it looks like an XLSX"),
]


@pytest.mark.parametrize(("format_name", "data", "message"), BAD)
def test_bad_files_name_row_and_column(plan, format_name, data, message):
    found = errors(plan, format_name, data=data)
    assert any(message in e for e in found), found


def test_reference_loop_and_dates(plan):
    data = (
        b"ID,Title,Start,End,Depends on,Team\n"
        b"A,Alpha,2027-02-01,2027-01-01,B,\n"
        b"B,Beta,,,A,\n"
        b"C,Gamma,,,ZZZ,Nobody\n"
    )
    found = errors(plan, "csv-initiatives", data=data)
    assert "row 2, End: The end comes before the start." in found
    assert "row 4, Team: No team 'Nobody' in this workspace." in found
    assert any(e.startswith("row 4, Depends on: No initiative 'ZZZ'") for e in found)
    assert any("go round in a loop: Alpha → Beta → Alpha" in e for e in found), found
    assert not Initiative.objects.filter(workspace=plan.workspace).exists()


def test_size_limit(plan):
    found = errors(plan, "csv-okrs", data=b"x" * (5 * 1024 * 1024 + 1))
    assert found == [
        "row 1, file: The file is 5,242,881 bytes; the import limit is 5,242,880 bytes (5 MB)."
    ]


def test_unknown_column_mapped_or_ignored(plan):
    data = b"Objective,Quarter,Key result,Target,Notes\nGrow,Q1 2027,Users,100,x\n"
    found = errors(plan, "csv-okrs", data=data)
    assert len(found) == 2
    run(plan, "csv-okrs", "m.csv", data=data, columns={"Quarter": "cycle", "Notes": "ignore"})
    assert KeyResult.objects.get(workspace=plan.workspace).target_value == 100


def test_a_viewer_cannot_import(plan, viewer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(viewer, "jira-csv", "jira-search.csv")


def test_cli_dry_run_and_errors(plan):
    out = io.StringIO()
    slug = plan.workspace.slug
    call_command(
        "import",
        "jira-csv",
        str(FILES / "jira-search.csv"),
        workspace=slug,
        dry_run=True,
        stdout=out,
    )
    assert "row 2: ACME-101 Guided setup for new teams: created" in out.getvalue()
    assert not Initiative.objects.filter(workspace=plan.workspace).exists()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import", "jira-json", str(FILES / "jira-search.csv"), workspace=slug)
