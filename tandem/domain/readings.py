"""Reading a key result's value out of what a data source answered: a JSON document (a path
picks the value), a CSV table (a column of its last row) or a plain value. Pure; every
failure is a ValueError whose text is shown to the person who set the source up.

Path syntax (docs/data-sources.md): dot-separated keys, `[n]` for the n-th item of a list
(from 0; negative counts from the end, `[-1]` is the last) and `["any key"]` for a key
with dots, spaces or brackets. An optional leading `$` stands for the document. The empty
path (or `$`) is the whole document.

    data.active_teams      results[-1].value      ["weekly active"].total      [0][2]
"""

import csv
import decimal
import io
import json
import re
from collections.abc import Sequence

Step = str | int

# A value bigger than a key result can hold is refused here rather than by the database.
MAX_DIGITS = 16
DECIMAL_PLACES = 4
MAX_PATH = 200

_TOKEN = re.compile(
    r"""\.?(?P<key>[A-Za-z0-9_-]+)       # .name
      | \[(?P<index>-?\d{1,9})\]         # [3] [-1]
      | \["(?P<quoted>(?:[^"\\]|\\.)*)"\]  # ["a key"]
    """,
    re.VERBOSE,
)


def parse_path(text: str) -> tuple[Step, ...]:
    """The steps of a path; ValueError naming the character where it stops making sense."""
    text = text.strip()
    if len(text) > MAX_PATH:
        raise ValueError(f"A path has at most {MAX_PATH} characters.")
    position = 1 if text.startswith("$") else 0
    steps: list[Step] = []
    while position < len(text):
        if text[position] == "." and position + 1 < len(text) and text[position + 1] == "[":
            position += 1  # `a.[0]` reads as `a[0]`
        match = _TOKEN.match(text, position)
        glued = match is not None and match.group("key") and steps and text[position] != "."
        if match is None or glued:  # `a[0]b` would read as a key glued to an index
            raise ValueError(f"The path is not valid at character {position + 1}: {text!r}.")
        if match.group("key") is not None:
            steps.append(match.group("key"))
        elif match.group("index") is not None:
            steps.append(int(match.group("index")))
        else:
            steps.append(re.sub(r"\\(.)", r"\1", match.group("quoted")))
        position = match.end()
    return tuple(steps)


def describe(steps: Sequence[Step]) -> str:
    out = "$"
    for step in steps:
        if isinstance(step, int):
            out += f"[{step}]"
        elif re.fullmatch(r"[A-Za-z0-9_-]+", step):
            out += f".{step}"
        else:
            out += "[" + json.dumps(step) + "]"
    return out


def number(raw: object, where: str) -> decimal.Decimal:
    """A finite number a key result can hold, from a JSON number or a numeric string."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | decimal.Decimal):
        kind = "nothing" if raw is None else type(raw).__name__.replace("dict", "an object")
        raise ValueError(f"{where} is {kind}, not a number.")
    text = raw.strip() if isinstance(raw, str) else str(raw)
    try:
        if "_" in text:  # Decimal reads "1_000"; a source meaning that should say 1000
            raise decimal.InvalidOperation
        value = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise ValueError(f"{where} is {str(raw)[:40]!r}, not a number.") from None
    if not value.is_finite():
        raise ValueError(f"{where} is {str(raw)[:40]!r}, not a finite number.")
    value = value.quantize(decimal.Decimal(1).scaleb(-DECIMAL_PLACES), decimal.ROUND_HALF_EVEN)
    if value.adjusted() >= MAX_DIGITS - DECIMAL_PLACES:
        raise ValueError(f"{where} is {str(raw)[:40]}, too large for a key result.")
    return value


def pick_json(body: bytes, path: str) -> decimal.Decimal:
    steps = parse_path(path)
    try:
        document = json.loads(body, parse_float=decimal.Decimal, parse_int=decimal.Decimal)
    except (ValueError, RecursionError):
        raise ValueError("The response is not JSON.") from None
    node: object = document
    for depth, step in enumerate(steps):
        here = describe(steps[:depth]) if depth else "the document"
        if isinstance(step, int):
            if not isinstance(node, list):
                raise ValueError(f"No value at {describe(steps)}: {here} is not a list.")
            if not -len(node) <= step < len(node):
                raise ValueError(f"No value at {describe(steps)}: {here} has {len(node)} items.")
            node = node[step]
        else:
            if not isinstance(node, dict):
                raise ValueError(f"No value at {describe(steps)}: {here} is not an object.")
            if step not in node:
                raise ValueError(f"No value at {describe(steps)}: no key {step!r} in {here}.")
            node = node[step]
    return number(node, f"The value at {describe(steps)}")


def pick_csv(body: bytes, column: str) -> decimal.Decimal:
    """The value in `column` (a header name, or its number from 1) of the last row."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("The response is not CSV: it is not UTF-8 text.") from None
    if "\x00" in text:
        raise ValueError("The response is not CSV: it holds binary data.")
    try:
        rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise ValueError(f"The response is not CSV: {error}.") from None
    if not rows:
        raise ValueError("The response is not CSV: it is empty.")
    header, data = rows[0], rows[1:]
    wanted = column.strip()
    names = [name.strip() for name in header]
    if wanted.isdigit() and 1 <= int(wanted) <= len(names):
        index = int(wanted) - 1
    elif wanted in names:
        index = names.index(wanted)
    elif wanted.lower() in (lowered := [name.lower() for name in names]):
        index = lowered.index(wanted.lower())
    else:
        shown = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "")
        raise ValueError(f"The CSV has no column {wanted!r} (its columns: {shown}).")
    if not data:
        raise ValueError("The CSV has a header row but no data rows.")
    last = data[-1]
    if index >= len(last):
        raise ValueError(f"The CSV's last row (line {len(rows)}) has no column {wanted!r}.")
    return number(last[index], f"Column {names[index]!r} of the last row")
