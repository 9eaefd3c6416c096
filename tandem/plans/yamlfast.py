"""A fast reader for the block YAML a plan file is written in, with the line of every value.

libyaml takes seconds over a plan of 10,000 initiatives (it builds a node per scalar and
resolves each in Python); this reads the same file line by line in a fraction of that.
It knows only the plain subset the export writes and people write by hand: block mappings
and sequences, plain and single- or double-quoted scalars on one line, literal blocks
(`|`, `|-`, `|+`) and comment lines. Anything else (flow collections, anchors, tags, folded
or multi-line scalars, escapes, a repeated key, comments after a value...) makes it give
up and return None, and the file is read by PyYAML instead, which also gives the errors.
Scalars are resolved with PyYAML's own rules, so the two readers agree value for value.
"""

import re
from collections.abc import Callable, Sequence
from typing import Any

import yaml

from tandem.domain.collector import collector_paused
from tandem.domain.planfile import Located

Construct = Callable[[str, str], Any]

STR = "tag:yaml.org,2002:str"
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    str(k): v for k, v in yaml.resolver.Resolver.yaml_implicit_resolvers.items() if k is not None
}
_KNOWN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp")
)
_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.-]*):(?: +(.*))?$")
_SINGLE = re.compile(r"'((?:[^']|'')*)'$")
_DOUBLE = re.compile(r'"([^"\\]*)"$')
_LITERAL = re.compile(r"\|(-?)$")
# What PyYAML refuses (or reads as a line break): such a file is left to it.
_UNUSUAL = re.compile("[^\x09\x0a\x20-\x7e\xa0-\ud7ff\ue000-\ufffc\U00010000-\U0010ffff]")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


class _GiveUp(Exception):
    pass


_UNSEEN = object()


class _Reader:
    def __init__(self, text: str, construct: Construct) -> None:
        if _UNUSUAL.search(text) or "\u2028" in text or "\u2029" in text or "\ufeff" in text:
            raise _GiveUp
        self.raw = text.split("\n")
        self.construct = construct
        # Values met before (keys, statuses, dates, numbers repeat thousands of times), by
        # the text of a key, of a plain scalar and of a whole one-line scalar.
        self.keys: dict[str, str] = {}
        self.plains: dict[str, Any] = {}
        self.scalars: dict[str, Any] = {}
        # The records, as three lists rather than a tuple each (a large plan has a hundred
        # thousand, and so many tuples alive cost full garbage collections): the column and
        # text of each and the raw line it is on. A "- " item is a "-" record followed by
        # its content's record on the same line. A last record at column -1 ends them all.
        self.columns: list[int] = []
        self.texts: list[str] = []
        self.rows: list[int] = []
        # The indentation of each raw line, -1 when it is blank: what a scalar goes on to.
        self.indents: list[int] = []
        columns, texts, rows = self.columns.append, self.texts.append, self.rows.append
        indent = self.indents.append
        for index, line in enumerate(self.raw):
            stripped = line.lstrip(" ")
            if not stripped:
                indent(-1)
                continue
            column = len(line) - len(stripped)
            indent(column)
            if stripped[0] == "#":
                continue
            if "\t" in line or "\r" in line or stripped.startswith(("---", "...", "%")):
                raise _GiveUp
            if stripped[0] == "-" and (stripped == "-" or stripped[1] == " "):
                columns(column)
                texts("-")
                rows(index)
                rest = stripped[1:].lstrip(" ")
                if not rest or rest[0] == "-":
                    raise _GiveUp
                column += len(stripped) - len(rest)
                stripped = rest
            columns(column)
            texts(stripped.rstrip(" "))
            rows(index)
        indent(-1)  # past the last line: blank, so a scalar on the last line is looked at
        columns(-1)
        texts("")
        rows(len(self.raw))
        self.at = 0

    def document(self) -> Located:
        if self.columns[0] != 0 or self.texts[0] == "-":
            raise _GiveUp
        document = self.mapping(0)
        if self.columns[self.at] != -1:
            raise _GiveUp
        return document

    def node(self, column: int) -> Any:
        if self.texts[self.at] == "-":
            return self.sequence(column)
        return self.mapping(column)

    def sequence(self, column: int) -> list[Any]:
        items: list[Any] = []
        columns, texts = self.columns, self.texts
        while True:
            at, text = columns[self.at], texts[self.at]
            if at < column or (at == column and text != "-"):
                break
            if at > column:
                raise _GiveUp
            self.at += 1
            text = texts[self.at]
            if _KEY.match(text):
                items.append(self.mapping(columns[self.at]))
            else:
                index = self.rows[self.at]
                self.at += 1
                items.append(self.scalar(text, self.continued(index, column)))
        return items

    def mapping(self, column: int) -> Located:
        result = Located()
        lines = result.lines
        columns, texts, rows, indents = self.columns, self.texts, self.rows, self.indents
        result.line = rows[self.at] + 1
        while True:
            at, text = columns[self.at], texts[self.at]
            if at < column or (at == column and text == "-"):
                break
            if at > column:
                raise _GiveUp
            match = _KEY.match(text)
            if match is None:
                raise _GiveUp
            name, rest = match.groups()
            key = self.keys.get(name)
            if key is None:
                key = self.key(name)
            if key in result:
                raise _GiveUp
            index = rows[self.at]
            self.at += 1
            if rest:
                if rest[0] == "|" and (literal := _LITERAL.match(rest)):
                    result[key] = self.literal(index, column, literal.group(1))
                elif 0 <= indents[index + 1] <= column:  # the line after is not its own
                    value = self.scalars.get(rest, _UNSEEN)
                    result[key] = self.scalar(rest) if value is _UNSEEN else value
                else:
                    result[key] = self.scalar(rest, self.continued(index, column))
                lines[key] = index + 1
            elif columns[self.at] > column or (
                columns[self.at] == column and texts[self.at] == "-"
            ):
                lines[key] = rows[self.at] + 1
                result[key] = self.node(columns[self.at])
            else:
                result[key] = None
                lines[key] = index + 1
        return result

    def key(self, name: str) -> str:
        key = self.plain(name)
        if isinstance(key, bool) or not isinstance(key, str | int):
            raise _GiveUp
        self.keys[name] = str(key)
        return str(key)

    def literal(self, index: int, column: int, chomping: str) -> str:
        """A literal block (`|` keeps one final line break, `|-` none) of the lines
        indented past its key's column, blank lines included."""
        lines: list[str] = []
        indent = widest_blank = 0
        end = index + 1
        while end < len(self.raw):
            line = self.raw[end]
            stripped = line.lstrip(" ")
            width = len(line) - len(stripped)
            if not stripped and not indent:
                widest_blank = max(widest_blank, width)
            elif stripped and not indent:
                if width <= column:
                    break
                if widest_blank > width:
                    raise _GiveUp
                indent = width
            elif stripped and width < indent:
                if width > column:
                    raise _GiveUp
                break
            lines.append(line[indent:] if indent else "")
            end += 1
        while self.rows[self.at] < end:
            self.at += 1
        while lines and lines[-1] == "":
            lines.pop()
        text = "\n".join(lines)
        return text + "\n" if chomping == "" and lines else text

    def continued(self, index: int, column: int) -> list[str]:
        """The lines a scalar that starts on line `index` goes on to (the export wraps long
        text), indented past `column`; blank lines between them count."""
        end = index + 1
        while end < len(self.raw):
            line = self.raw[end]
            stripped = line.lstrip(" ")
            if stripped and len(line) - len(stripped) <= column:
                break
            end += 1
        while end > index + 1 and not self.raw[end - 1].strip(" "):
            end -= 1
        while self.rows[self.at] < end:
            self.at += 1
        return self.raw[index + 1 : end]

    def scalar(self, text: str, more: Sequence[str] = ()) -> Any:
        if more:
            if text[0] == '"' or any(_not_text(line.strip(" ")) for line in more if text[0] != "'"):
                raise _GiveUp
            whole = _folded(text, more)
        else:
            whole = text
        if whole[0] == "'":
            single = _SINGLE.match(whole)
            if single is None:
                raise _GiveUp
            value: Any = single.group(1).replace("''", "'")
        elif whole[0] == '"':
            double = _DOUBLE.match(whole)
            if double is None:
                raise _GiveUp
            value = double.group(1)
        else:
            negative = whole[0] == "-" and whole[1:2] not in ("", " ")
            if (whole[0] in _INDICATORS and not negative) or " #" in whole or ": " in whole:
                raise _GiveUp
            if whole[-1] == ":":
                raise _GiveUp
            value = self.plain(whole)
        if not more:
            self.scalars[text] = value
        return value

    def plain(self, text: str) -> Any:
        value = self.plains.get(text, _UNSEEN)
        if value is not _UNSEEN:
            return value
        tag = next((t for t, pattern in _RESOLVERS.get(text[:1], ()) if pattern.match(text)), STR)
        if tag == STR:
            value = text
        elif tag in _KNOWN_TAGS:
            value = self.construct(tag, text)
        else:
            raise _GiveUp
        self.plains[text] = value
        return value


def _not_text(line: str) -> bool:
    """Whether a line a plain scalar goes on to could be read as anything but its text."""
    return line[:1] in ("#", "-") or " #" in line or ": " in line or line.endswith(":")


def _folded(first: str, more: Sequence[str]) -> str:
    """Lines folded as YAML folds a flow scalar: a line break is a space, a blank line a
    line break."""
    text, breaks = first, 0
    for line in more:
        stripped = line.strip(" ")
        if not stripped:
            breaks += 1
            continue
        text += "\n" * breaks if breaks else " "
        text += stripped
        breaks = 0
    return text


def read(text: str, construct: Construct) -> Located | None:
    """The document as PyYAML with line numbers would read it, or None when the file uses
    YAML this reader does not know."""
    try:
        with collector_paused():
            return _Reader(text, construct).document()
    except (_GiveUp, IndexError):
        return None
