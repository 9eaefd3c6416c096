"""Lists as spreadsheets: one table of plain cells, written as CSV or XLSX by tablib.

Every text cell passes `neutralise()`, the one place that defuses spreadsheet formula
injection: a title such as `=HYPERLINK(...)` typed into Tandem must open in Excel or
LibreOffice as the text it is, never as a formula run on the reader's machine (OWASP's
"CSV injection"). Numbers and dates stay numbers and dates.
"""

import datetime
import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import tablib
from django.http import HttpResponse
from django.utils.text import slugify

from tandem.core.params import BadParameter

Cell = str | int | float | decimal.Decimal | datetime.date | None
# What makes a spreadsheet read a text cell as a formula (or, after a tab or return, as
# the start of one in the next cell).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ExportFormat = Literal["csv", "xlsx"]
# What an export operation answers, for the OpenAPI document.
EXPORT_OPENAPI: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The file, as an attachment.",
            "content": {
                media.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                for media in FORMATS.values()
            },
        }
    }
}


def neutralise(value: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula, prefixed with a quote so it reads as
    text; everything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Cell]]

    def dataset(self) -> tablib.Dataset:
        data = tablib.Dataset(headers=[str(neutralise(h)) for h in self.headers])
        data.title = self.title[:31]  # Excel's limit for a sheet name
        for row in self.rows:
            data.append([neutralise(_plain(cell)) for cell in row])
        return data

    def export(self, fmt: str) -> bytes:
        """The sheet as a file; `fmt` is csv or xlsx."""
        content = self.dataset().export(fmt)
        return content.encode() if isinstance(content, str) else bytes(content)


def export_format(value: str | None) -> str:
    """?format=, csv unless xlsx is asked for; anything else is a bad parameter."""
    fmt = (value or "csv").lower()
    if fmt not in FORMATS:
        raise BadParameter("format", "Use csv or xlsx.")
    return fmt


def download(sheet: Sheet, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(sheet.export(fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.{fmt}"'
    return response


def _plain(cell: Cell) -> Cell:
    # 120.00 reads as 120 and 0.50 as 0.5, without normalize()'s 1E+2.
    if isinstance(cell, decimal.Decimal) and cell.is_finite():
        return int(cell) if cell == cell.to_integral() else cell.normalize()
    return cell
