"""The shapes of the demo's static content.

Content refers to itself by short, stable keys ("a.c1.activation", "g.checkout"): an
initiative names the key results it serves, an insight names initiatives, a dependency
names both ends. Keys never reach the database; the builder maps them to rows.

Key result keys start with the cycle they belong to: "p." the previous (closed) quarter,
"a." the active one, "n." the next one, in planning.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    role: str  # owner, admin, editor, viewer

    @property
    def email(self) -> str:
        return f"{self.key}@acme.example"


@dataclass(frozen=True)
class TeamSpec:
    name: str
    color: str
    roadmap: str  # the roadmap its initiatives live on
    lead: str  # person key: creates the team's OKRs and initiatives
    members: tuple[str, ...]
    capacity: tuple[int, int]  # person-weeks in the active and in the next cycle


@dataclass(frozen=True)
class KR:
    """A key result and how its readings move.

    `trend` is the share of the way from start to target reached by the end of the cycle
    at the current pace: 1.0 lands on target, 0.6 falls short, 1.2 overshoots. For
    "stay above/below" kinds, start is the usual level and target the threshold, so a
    trend above 1.0 means the threshold gets crossed. Milestones use `done_at` instead:
    the share of the cycle after which they are done, or None for not (yet) done.
    """

    key: str
    title: str
    kind: str
    start: str
    target: str
    owner: str
    unit: str = "number"
    currency: str = ""
    trend: float = 1.0
    done_at: float | None = None
    cumulative: bool = False  # a running total: readings never go down
    weight: str = "1"
    no_initiative: bool = False  # met by running the business, not by roadmap work
    grade: str | None = None  # closed cycle only, with its comment
    grade_comment: str = ""
    last_note: str = ""  # what the owner wrote at the latest check-in, if not a stock phrase


@dataclass(frozen=True)
class ObjectiveSpec:
    key: str
    title: str
    owner: str
    pillar: str
    key_results: tuple[KR, ...]
    team: str | None = None
    parent: str | None = None
    commitment: str = "committed"
    description: str = ""


@dataclass(frozen=True)
class Timing:
    """Where an initiative sits on the timeline, in weeks from an anchor.

    anchor "today": from today, clamped into the active quarter (so live work never
    accidentally spills out of it); "previous"/"next": from the start of that quarter;
    "spill": starts from today like "today" but ends `end` weeks into the next quarter;
    "overlap": starts `start` weeks from the end of initiative `ref` and ends `end` weeks
    after it, clamped into the active quarter.
    """

    anchor: str
    start: int
    end: int
    ref: str = ""


def now(start: int, end: int) -> Timing:
    return Timing("today", start, end)


def last_quarter(start: int, end: int) -> Timing:
    return Timing("previous", start, end)


def next_quarter(start: int, end: int) -> Timing:
    return Timing("next", start, end)


@dataclass(frozen=True)
class InitiativeSpec:
    """`state` is "live" (planned or in progress, decided by its dates against today),
    "done", "idea" or "dropped"."""

    key: str
    title: str
    team: str
    state: str
    timing: Timing | None
    effort: int
    serves: tuple[str, ...] = ()
    about: str = ""
    horizon: str = ""  # derived from the timing when empty


@dataclass(frozen=True)
class FeedbackTheme:
    """One request heard from several customers: each quote becomes one insight."""

    key: str
    title: str
    importance: int
    quotes: tuple[str, ...]
    initiative: str | None = None


@dataclass(frozen=True)
class Research:
    title: str
    source: str
    segment: str
    importance: int
    text: str
    initiative: str | None = None
