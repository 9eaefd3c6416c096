"""Spreadsheet exports: formula injection is defused in one place, numbers stay numbers."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from tandem.core.params import BadParameter
from tandem.core.spreadsheet import Sheet, export_format, neutralise


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","x")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_a_spreadsheet_would_run_is_quoted(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Grow revenue", "a=b", "", None, 5, -3, Decimal("-1.5")])
def test_everything_else_is_left_alone(value):
    assert neutralise(value) == value


SHEET = Sheet(
    "Test",
    ["Title", "=Header", "Target", "Due"],
    [["=cmd()", "-minus", Decimal("-120.00"), datetime.date(2027, 1, 31)]],
)


def test_csv_quotes_formulas_and_keeps_numbers():
    rows = list(csv.reader(io.StringIO(SHEET.export("csv").decode())))
    assert rows == [
        ["Title", "'=Header", "Target", "Due"],
        ["'=cmd()", "'-minus", "-120", "2027-01-31"],
    ]


def test_xlsx_cells_are_text_numbers_and_dates():
    book = openpyxl.load_workbook(io.BytesIO(SHEET.export("xlsx")))
    sheet = book.active
    assert sheet.title == "Test"
    row = [cell.value for cell in sheet[2]]
    assert row[:3] == ["'=cmd()", "'-minus", -120]
    assert row[3].date() == datetime.date(2027, 1, 31)
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


def test_format_is_csv_or_xlsx():
    assert export_format(None) == "csv"
    assert export_format("XLSX") == "xlsx"
    with pytest.raises(BadParameter, match="format"):
        export_format("pdf")
