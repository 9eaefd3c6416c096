"""Titles that read alike, for a duplicate warning before two initiatives (or objectives)
chase one thing. Word order, case, accents, punctuation, small words and plural endings
do not count; what is left is compared by its letter trigrams."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

SMALL_WORDS = frozenset(
    {"a", "an", "and", "at", "be", "by", "for", "from", "in", "into", "is", "it", "of"}
    | {"on", "or", "our", "the", "to", "we", "with"}
)
ALIKE = 0.5  # trigram overlap from which two titles are worth a second look


@dataclass(frozen=True)
class Match:
    id: int
    title: str
    score: float  # 0 to 1


def words(title: str) -> list[str]:
    """The title's meaningful words, folded and sorted (so word order does not count)."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    found = []
    for word in re.findall(r"[a-z0-9]+", folded):
        if word in SMALL_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.append(word)
    return sorted(found)


def trigrams(title: str) -> frozenset[str]:
    text = f"  {' '.join(words(title))} "
    return frozenset(text[i : i + 3] for i in range(len(text) - 2))


def likeness(a: str, b: str) -> float:
    """1.0 for the same words in any order; else the Jaccard overlap of their trigrams."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    if wa == wb:
        return 1.0
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb)


def similar(title: str, candidates: Iterable[tuple[int, str]], *, limit: int = 5) -> list[Match]:
    """The candidates (id, title) that read like `title`, most alike first."""
    if not words(title):
        return []
    mine = trigrams(title)
    found = []
    for pk, other in candidates:
        theirs = trigrams(other)
        # A cheap bound first: Jaccard cannot beat min/max of the set sizes.
        if min(len(mine), len(theirs)) < ALIKE * max(len(mine), len(theirs)):
            continue
        score = likeness(title, other)
        if score >= ALIKE:
            found.append(Match(pk, other, round(score, 2)))
    found.sort(key=lambda m: (-m.score, m.title.lower(), m.id))
    return found[:limit]
