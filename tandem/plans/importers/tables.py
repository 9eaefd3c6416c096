"""Reading a table (CSV, or the first sheet of an XLSX workbook) with the row of every
record, and the JSON of a tool's export with the line of every object.

Rows are counted as a spreadsheet counts them: the header is row 1. Every error names
the row (or line) and the column, and the file's limits are said in the error."""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field

import tablib

from tandem.domain.importing import MAX_ROWS
from tandem.domain.planfile import PlanError, PlanInvalid
from tandem.plans import yamlio

MAX_BYTES = 5 * 1024 * 1024
# An XLSX is a zip: what it unpacks to is bounded too, against a small file that
# unpacks to gigabytes.
MAX_UNPACKED = 50 * 1024 * 1024
MAX_CELL = 20_000


def refuse(line: int, where: str, message: str, unit: str = "row") -> PlanInvalid:
    return PlanInvalid([PlanError(line, where, message, unit=unit)])


def check_size(data: bytes, unit: str = "row") -> None:
    if len(data) > MAX_BYTES:
        raise refuse(
            1,
            "file",
            f"The file is {len(data):,} bytes; the import limit is {MAX_BYTES:,} bytes (5 MB).",
            unit,
        )
    if not data.strip():
        raise refuse(1, "file", "The file is empty.", unit)


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def index(self, *names: str) -> list[int]:
        """The positions of the columns with any of these names (any case): a tool may
        repeat a column, as Jira does for each component and label."""
        wanted = {n.casefold() for n in names}
        return [i for i, h in enumerate(self.headers) if h.strip().casefold() in wanted]

    def has(self, *names: str) -> bool:
        return bool(self.index(*names))


def cell(cells: list[str], positions: list[int]) -> str:
    for i in positions:
        if i < len(cells) and cells[i].strip():
            return cells[i].strip()
    return ""


def cells(cells: list[str], positions: list[int]) -> list[str]:
    return [cells[i].strip() for i in positions if i < len(cells) and cells[i].strip()]


def _looks_like(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return "an XLSX workbook (choose an xlsx format)"
    if data.lstrip()[:1] in (b"{", b"["):
        return "JSON (choose jira-json or github-project)"
    return ""


def read_csv(data: bytes) -> Table:
    check_size(data)
    if b"\x00" in data[:4096]:
        looks = _looks_like(data) or "a binary file"
        raise refuse(1, "file", f"This is not a CSV file: it looks like {looks}.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise refuse(line, "file", "Not UTF-8 text: save the CSV as UTF-8.", "line") from None
    looks = _looks_like(data)
    if looks.startswith("JSON"):
        raise refuse(1, "file", f"This is not a CSV file: it looks like {looks}.")
    try:
        dialect: type[csv.Dialect] = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
            if len(records) > MAX_ROWS + 1:
                raise refuse(len(records), "file", f"More than {MAX_ROWS:,} rows: split the file.")
    except csv.Error as error:
        raise refuse(len(records) + 1, "file", f"Not valid CSV: {error}.") from None
    return _table(records)


def _table(records: list[list[str]]) -> Table:
    while records and not any(c.strip() for c in records[0]):
        records.pop(0)
    if not records:
        raise refuse(1, "file", "The file has no header row.")
    headers = [h.strip() for h in records[0]]
    table = Table(headers)
    for number, record in enumerate(records[1:], start=2):
        if not any(c.strip() for c in record):
            continue
        if len(record) > len(headers) and any(c.strip() for c in record[len(headers) :]):
            raise refuse(
                number,
                f"column {len(headers) + 1}",
                f"This row has {len(record)} cells; the header names {len(headers)} columns.",
            )
        for position, text in enumerate(record):
            if len(text) > MAX_CELL:
                where = headers[position] if position < len(headers) else "cell"
                raise refuse(number, where, f"At most {MAX_CELL:,} characters in a cell.")
        table.rows.append((number, record))
    return table


def read_xlsx(data: bytes) -> Table:
    check_size(data)
    if not data.startswith(b"PK\x03\x04"):
        looks = _looks_like(data) or "text (choose a csv format)"
        raise refuse(1, "file", f"This is not an XLSX workbook: it looks like {looks}.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise refuse(1, "file", "This XLSX workbook is damaged.") from None
    if unpacked > MAX_UNPACKED:
        raise refuse(
            1, "file", f"The workbook unpacks to more than {MAX_UNPACKED:,} bytes (50 MB)."
        )
    try:
        sheet = tablib.Dataset().load(io.BytesIO(data), format="xlsx", headers=False)
    except Exception as error:  # openpyxl raises many kinds for a file it cannot read
        raise refuse(1, "file", f"Not a readable XLSX workbook ({type(error).__name__}).") from None
    records = [["" if v is None else _text(v) for v in row] for row in sheet]
    if len(records) > MAX_ROWS + 1:
        raise refuse(MAX_ROWS + 2, "file", f"More than {MAX_ROWS:,} rows: split the file.")
    while records and records[0] and not records[0][-1].strip():
        # openpyxl pads rows to the widest: trailing empty header cells are not columns.
        if any(r[-1].strip() for r in records):
            break
        records = [r[:-1] for r in records]
    return _table(records)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and callable(value.date):
        return str(value.date().isoformat())
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def read_json(data: bytes) -> object:
    """The parsed document, its objects as planfile.Located (with their lines) when the
    YAML reader can place them, else plain."""
    check_size(data, "line")
    if data.startswith(b"PK\x03\x04"):
        raise refuse(1, "file", "This is an XLSX workbook, not JSON.", "line")
    try:
        plain = json.loads(data)
    except UnicodeDecodeError:
        raise refuse(1, "file", "Not UTF-8 text.", "line") from None
    except json.JSONDecodeError as error:
        raise refuse(error.lineno, "file", f"Not valid JSON: {error.msg}.", "line") from None
    except RecursionError:
        raise refuse(1, "file", "Nested too deeply.", "line") from None
    try:
        return yamlio.load(data)
    except PlanInvalid:
        return plain
