"""The fast reader of plan files agrees with PyYAML value for value and line for line, or
gives up and leaves the file to PyYAML."""

import datetime
import io
import textwrap

import pytest
import yaml
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.accounts.models import Workspace
from tandem.domain.planfile import Located
from tandem.domain.planfile_write import write_plan
from tandem.plans import yamlfast, yamlio
from tandem.plans.exporting import export_plan
from tests.plans.test_plan_files import PLAN, _generated


def _same(fast: object, slow: object, path: str = "$") -> None:
    if isinstance(slow, Located):
        assert isinstance(fast, Located), path
        assert (fast.line, fast.lines, list(fast)) == (slow.line, slow.lines, list(slow)), path
        for key in slow:
            _same(fast[key], slow[key], f"{path}.{key}")
    elif isinstance(slow, list):
        assert isinstance(fast, list) and len(fast) == len(slow), path
        for n, (a, b) in enumerate(zip(fast, slow, strict=True)):
            _same(a, b, f"{path}[{n}]")
    else:
        assert (type(fast), fast) == (type(slow), slow), path


def _both(text: str) -> tuple[object, object]:
    return yamlfast.read(text, yamlio._construct), yaml.load(text, Loader=yamlio._Loader)


HAND_WRITTEN = textwrap.dedent(
    """\
    # A comment first
    format: 1
    vision: |
      Line one
        indented more

      after a blank line
    pillars:
      - key: a
        name: 'It''s "quoted"'
        description: |-
          no final line break
        archived: yes
      - key: b
        name: "double quoted"
    hex: 0x1F
    grouped: 1_000
    half: .5
    big: 1e3
    tilde: ~
    empty:
    day: 2026-10-01
    moment: 2026-10-01 10:00:00
    items:
    - a
    - 12
    - 'q'
    nested:
      deep:
        deeper: x
      other: y
    1: one
    """
)


@pytest.mark.parametrize(
    "text", [PLAN, HAND_WRITTEN, _generated(5), "format: 1\nvision: a\n  continued\n\n  more\n"]
)
def test_the_fast_reader_reads_plain_files_as_pyyaml_does(text):
    fast, slow = _both(text)
    assert fast is not None
    _same(fast, slow)


@pytest.mark.parametrize(
    "text",
    [
        "format: 1\nteams: []\n",  # flow
        "format: 1\nvision: text # a comment\n",
        "format: 1\nvision: &a text\nother: *a\n",
        "format: 1\nvision: >\n  folded\n",
        "format: 1\nvision: a\n  # a comment\n",
        'format: 1\nvision: "escaped\\n"\n',
        "format: 1\nformat: 2\n",
        "format: 1\nyes: 2\n",
        "format: 1\nvision: - a\n",
        "format: 1\n\tvision: tab\n",
        "- a list\n",
        "",
    ],
)
def test_anything_else_is_left_to_pyyaml(text):
    assert yamlfast.read(text, yamlio._construct) is None


def test_the_demo_export_is_read_fast_and_the_same(db):
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
    text = yamlio.dump(write_plan(export_plan(Workspace.objects.get(slug="acme"))[0]))
    fast, slow = _both(text)
    assert fast is not None
    _same(fast, slow)


_keys = st.from_regex(r"[a-z_][a-z0-9_-]{0,8}", fullmatch=True)
_scalars = st.one_of(
    st.text(max_size=30),
    st.integers(-(10**6), 10**6),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.booleans(),
    st.none(),
    st.dates(min_value=datetime.date(1900, 1, 1)),
)
_documents = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4), st.dictionaries(_keys, inner, min_size=1)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, _documents, min_size=1, max_size=5))
def test_whatever_the_export_writes_is_read_alike_or_left_to_pyyaml(document):
    text = yaml.dump(document, Dumper=yamlio._Dumper, sort_keys=False, allow_unicode=True)
    fast, slow = _both(text)
    if fast is not None:
        _same(fast, slow)
