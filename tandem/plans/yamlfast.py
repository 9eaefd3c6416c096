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


class _Reader:
    def __init__(self, text: str, construct: Construct) -> None:
        if _UNUSUAL.search(text) or "\u2028" in text or "\u2029" in text or "\ufeff" in text:
            raise _GiveUp
        self.raw = text.split("\n")
        self.construct = construct
        self.cache: dict[str, Any] = {}
        # (line number, column, text, raw index); a "- " item is a "-" record followed by
        # its content's record on the same line.
        self.records: list[tuple[int, int, str, int]] = []
        for index, line in enumerate(self.raw):
            stripped = line.lstrip(" ")
            if not stripped or stripped[0] == "#":
                continue
            if "\t" in line or "\r" in line or stripped.startswith(("---", "...", "%")):
                raise _GiveUp
            column = len(line) - len(stripped)
            if stripped == "-" or stripped.startswith("- "):
                self.records.append((index + 1, column, "-", index))
                rest = stripped[1:].lstrip(" ")
                if not rest or rest[0] == "-":
                    raise _GiveUp
                column += len(stripped) - len(rest)
                stripped = rest
            self.records.append((index + 1, column, stripped.rstrip(" "), index))
        self.at = 0

    def document(self) -> Located:
        if not self.records or self.records[0][1] != 0 or self.records[0][2] == "-":
            raise _GiveUp
        document = self.mapping(0)
        if self.at != len(self.records):
            raise _GiveUp
        return document

    def node(self, column: int) -> Any:
        if self.records[self.at][2] == "-":
            return self.sequence(column)
        return self.mapping(column)

    def sequence(self, column: int) -> list[Any]:
        items: list[Any] = []
        records = self.records
        while self.at < len(records):
            _line, at, text, _ = records[self.at]
            if at < column or (at == column and text != "-"):
                break
            if at > column:
                raise _GiveUp
            self.at += 1
            _line, content, text, index = records[self.at]
            if _KEY.match(text):
                items.append(self.mapping(content))
            else:
                self.at += 1
                items.append(self.scalar(text, self.continued(index, column)))
        return items

    def mapping(self, column: int) -> Located:
        result = Located()
        result.line = self.records[self.at][0]
        records = self.records
        while self.at < len(records):
            line, at, text, index = records[self.at]
            if at < column or (at == column and text == "-"):
                break
            match = _KEY.match(text) if at == column else None
            if match is None:
                raise _GiveUp
            key = self.plain(match.group(1))
            if isinstance(key, bool) or not isinstance(key, str | int):
                raise _GiveUp
            key = str(key)
            if key in result:
                raise _GiveUp
            rest = match.group(2)
            self.at += 1
            if rest:
                literal = _LITERAL.match(rest)
                if literal:
                    result[key] = self.literal(index, column, literal.group(1))
                else:
                    result[key] = self.scalar(rest, self.continued(index, column))
                result.lines[key] = line
            elif self.at < len(records) and (
                records[self.at][1] > column
                or (records[self.at][1] == column and records[self.at][2] == "-")
            ):
                result.lines[key] = records[self.at][0]
                result[key] = self.node(records[self.at][1])
            else:
                result[key] = None
                result.lines[key] = line
        return result

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
        while self.at < len(self.records) and self.records[self.at][3] < end:
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
        while self.at < len(self.records) and self.records[self.at][3] < end:
            self.at += 1
        return self.raw[index + 1 : end]

    def scalar(self, text: str, more: Sequence[str] = ()) -> Any:
        if more:
            if text[0] == '"' or any(_not_text(line.strip(" ")) for line in more if text[0] != "'"):
                raise _GiveUp
            text = _folded(text, more)
        if text[0] == "'":
            single = _SINGLE.match(text)
            if single is None:
                raise _GiveUp
            return single.group(1).replace("''", "'")
        if text[0] == '"':
            double = _DOUBLE.match(text)
            if double is None:
                raise _GiveUp
            return double.group(1)
        negative = text[0] == "-" and text[1:2] not in ("", " ")
        if (text[0] in _INDICATORS and not negative) or " #" in text or ": " in text:
            raise _GiveUp
        if text[-1] == ":":
            raise _GiveUp
        return self.plain(text)

    def plain(self, text: str) -> Any:
        tag = next((t for t, pattern in _RESOLVERS.get(text[:1], ()) if pattern.match(text)), STR)
        if tag == STR:
            return text
        if tag not in _KNOWN_TAGS:
            raise _GiveUp
        if text not in self.cache:
            self.cache[text] = self.construct(tag, text)
        return self.cache[text]


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
        return _Reader(text, construct).document()
    except (_GiveUp, IndexError):
        return None
