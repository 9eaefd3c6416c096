"""Plan files as YAML: reading with the line of every value, writing in a stable form."""

import datetime
import decimal
import re
from typing import Any

import yaml

from tandem.domain.planfile import Located, PlanError, PlanInvalid
from tandem.plans import yamlfast

MAX_BYTES = 16 * 1024 * 1024  # a plan of 10,000 initiatives is about 5 MB


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# libyaml parses a plan of 10,000 initiatives ten times faster than pure Python.
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]  # its base is chosen at run time: libyaml's loader when present
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # An alias repeats a subtree without its bytes: refused, so the size limit holds.
        if node in self.constructed_objects or node in self.recursive_objects:
            line = node.start_mark.line + 1
            message = "Anchors and aliases (*name) are not supported in a plan file."
            raise PlanInvalid([PlanError(line, "file", message)])
        return super().construct_object(node, deep=deep)


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    result = Located()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int):
            raise PlanInvalid(
                [PlanError(key_node.start_mark.line + 1, "file", "A field name must be text.")]
            )
        key = str(key)
        if key in result:
            raise PlanInvalid([PlanError(key_node.start_mark.line + 1, key, "Repeated field.")])
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = value_node.start_mark.line + 1
    return result


def _float(loader: _Loader, node: yaml.ScalarNode) -> decimal.Decimal | float:
    # Exact decimals, as the database keeps them; .inf and .nan stay floats and are refused.
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        return decimal.Decimal(text)
    except decimal.InvalidOperation:
        return float("nan")


def _timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    # 2026-13-01 looks like a date and is none: PyYAML raises a bare ValueError. Kept as
    # its text, so the field that wants a date refuses it, naming its line.
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_PLAIN = yaml.SafeLoader("")  # its constructors, for the scalars of the fast reader


def _construct(tag: str, text: str) -> Any:
    node = yaml.ScalarNode(tag, text)
    if tag == "tag:yaml.org,2002:float":
        return _float(_PLAIN, node)  # type: ignore[arg-type]  # any loader has construct_scalar
    if tag == "tag:yaml.org,2002:timestamp":
        return _timestamp(_PLAIN, node)  # type: ignore[arg-type]  # any loader constructs timestamps
    return _PLAIN.yaml_constructors[tag](_PLAIN, node)


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:float", _float)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def load(data: bytes | str) -> object:
    """The parsed document, or PlanInvalid naming the line."""
    size = len(data.encode() if isinstance(data, str) else data)
    if size > MAX_BYTES:
        raise PlanInvalid(
            [PlanError(1, "file", f"The file is {size:,} bytes; the limit is {MAX_BYTES:,} bytes.")]
        )
    try:
        text = data.decode() if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        text = None  # PyYAML says where
    if text is not None and (fast := yamlfast.read(text, _construct)) is not None:
        return fast
    try:
        return yaml.load(data, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise PlanInvalid([PlanError(line, "file", f"Not valid YAML: {error.problem}.")]) from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise PlanInvalid([PlanError(1, "file", f"Not valid YAML: {error}.")]) from None
    except RecursionError:
        raise PlanInvalid([PlanError(1, "file", "Nested too deeply to be a plan.")]) from None


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _numbers(document: Any, numeric: frozenset[str]) -> Any:
    """Numbers are held as canonical text; written as YAML numbers."""
    if isinstance(document, dict):
        return {
            k: (_number(v) if k in numeric and isinstance(v, str) else _numbers(v, numeric))
            for k, v in document.items()
        }
    if isinstance(document, list):
        return [_numbers(v, numeric) for v in document]
    return document


def _number(text: str) -> int | decimal.Decimal:
    value = decimal.Decimal(text)
    return int(value) if value == value.to_integral_value() else value


def _decimal(dumper: _Dumper, value: decimal.Decimal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


_Dumper.add_representer(decimal.Decimal, _decimal)

NUMERIC = frozenset(
    {"start", "target", "current", "weight", "effort", "reach", "impact", "confidence"}
    | {"expected_delta", "person_weeks"}
)


def _dates(value: Any, name: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _dates(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates(v) for v in value]
    if name in ("start", "end") and isinstance(value, str) and ISO_DATE.match(value):
        return datetime.date.fromisoformat(value)
    return value


def typed(document: dict[str, Any]) -> Any:
    """The document with numbers as numbers and dates as dates (they are held as text)."""
    return _capacities(_numbers(_dates(document), NUMERIC))


def dump(document: dict[str, Any]) -> str:
    prepared = typed(document)
    header = "# A Tandem plan: see docs/plan-format.md. Keys are stable names, not database ids.\n"
    body = yaml.dump(prepared, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def _capacities(document: Any) -> Any:
    for cycle in document.get("cycles", []):
        if "capacities" in cycle:
            cycle["capacities"] = {k: _number(str(v)) for k, v in cycle["capacities"].items()}
    return document
