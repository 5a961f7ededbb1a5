"""Which known region name an unknown county or township most likely meant, by real similarity only.

A name is compared by its stem, the name without its generic suffix (镇, 乡, 街道, 县, 区, 市 …), so two
names that share only "镇" share nothing. A candidate is close when its stem is the same (白沙乡 for
白沙镇), sounds the same as typed with a pinyin input method (桃园 for 桃源, with the usual
regional confusions zh/z, n/l, -ng/-n), has the same characters in another order, or differs by one
character in a stem of three or more. A name not found in its county but present in another is reported
as belonging there. Nothing else is suggested: a wrong hint costs more than none.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Longest first, so 街道办事处 is removed whole and not as 处.
GENERIC_SUFFIXES = ("街道办事处", "街道办", "办事处", "街道", "社区", "镇", "乡", "县", "区", "市")

SAME_STEM = 4
SAME_SOUND = 3
SAME_CHARACTERS = 2
ONE_CHARACTER = 1

# Initials and finals that pinyin typists (and speakers of many dialects) confuse.
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


def _is_hanzi(character: str) -> bool:
    return "\u3400" <= character <= "\u9fff"


def stem(name: str) -> str:
    """The name without one generic suffix; "" when only a suffix is left.

    Spaces and stray Latin letters, digits or punctuation in a Chinese name ("甲 县x") are typing slips
    and left out.
    """
    text = "".join(name.split())
    if any(_is_hanzi(ch) for ch in text):
        text = "".join(ch for ch in text if _is_hanzi(ch))
    for suffix in GENERIC_SUFFIXES:
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _fuzzy(syllable: str) -> str:
    for full, plain in _FUZZY_INITIALS:
        if syllable.startswith(full):
            syllable = plain + syllable[len(full) :]
            break
    for full, plain in _FUZZY_FINALS:
        if syllable.endswith(full):
            syllable = syllable[: -len(full)] + plain
            break
    return syllable


@functools.lru_cache(maxsize=4096)
def _sounds(character: str) -> frozenset[str]:
    """Every toneless reading of one character (all of a heteronym's), fuzzily normalised."""
    if not _is_hanzi(character):
        return frozenset({character.lower()})
    from pypinyin import Style, pinyin  # imported on first use: its dictionaries take a moment to load

    readings = pinyin(character, style=Style.NORMAL, heteronym=True, errors="default")[0]
    return frozenset(_fuzzy(r) for r in readings)


def _same_sound(a: str, b: str) -> bool:
    return len(a) == len(b) and all(x == y or _sounds(x) & _sounds(y) for x, y in zip(a, b, strict=True))


def _one_edit(a: str, b: str) -> bool:
    """One character replaced, added, left out, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def closeness(typed: str, known: str) -> int:
    """How close two region names are: SAME_STEM … ONE_CHARACTER, or 0 for not close at all."""
    a, b = stem(typed), stem(known)
    if not a or not b:
        return 0
    if a == b:
        return SAME_STEM
    if _same_sound(a, b):
        return SAME_SOUND
    if len(a) >= 2 and sorted(a) == sorted(b):
        return SAME_CHARACTERS
    # In a two-character stem one character is half the name: 石桥 and 石井 are different places.
    if max(len(a), len(b)) >= 3 and _one_edit(a, b):
        return ONE_CHARACTER
    return 0


def closest(typed: str, candidates: Iterable[str], limit: int = 2) -> list[str]:
    """The candidates closest to `typed`, best first, only those of the best closeness found."""
    scored = [(closeness(typed, c), c) for c in set(candidates) if isinstance(c, str) and c != typed]
    best = max((score for score, _ in scored), default=0)
    if not best:
        return []
    return sorted(c for score, c in scored if score == best)[:limit]


@dataclass(frozen=True)
class Suggestion:
    """What to tell the analyst about an unknown name: close names, and where the name exists instead."""

    similar: tuple[str, ...] = ()
    elsewhere: tuple[str, ...] = ()  # counties that have this very township

    def __bool__(self) -> bool:
        return bool(self.similar or self.elsewhere)


def suggest_township(township: str, county: str, regions: Mapping[str, Iterable[str]]) -> Suggestion:
    """For a township that `county` does not have: close names in that county, and counties that have it."""
    elsewhere = tuple(sorted(c for c, names in regions.items() if c != county and township in set(names)))
    return Suggestion(tuple(closest(township, regions.get(county, ()))), elsewhere)


def suggest_county(county: str, regions: Mapping[str, Iterable[str]]) -> Suggestion:
    """For an unknown county: close county names, and counties that have a township of that name."""
    elsewhere = tuple(sorted(c for c, names in regions.items() if county in set(names)))
    return Suggestion(tuple(closest(county, regions)), elsewhere)


def _quoted(names: Iterable[str]) -> str:
    return "或".join(f"“{n}”" for n in names)


def _counties(names: tuple[str, ...], most: int = 3) -> str:
    shown = "、".join(names[:most])
    return shown if len(names) <= most else f"{shown}等{len(names)}个县市区"


def township_message(label: str, township: str, county: str, regions: Mapping[str, Iterable[str]]) -> str:
    """The Chinese problem text for a township `county` does not have, with what really helps."""
    found = suggest_township(township, county, regions)
    hints = []
    if found.similar:
        hints.append(f"是否为{_quoted(found.similar)}？")
    if found.elsewhere:
        hints.append(f"{township}属于{_counties(found.elsewhere)}，请检查县市区是否填错")
    if not hints:
        hints.append("请检查名称，或先在行政区划表中登记该乡镇")
    return f"{label}“{township}”不在{county}的行政区划中，" + "".join(hints)


def county_message(label: str, county: str, regions: Mapping[str, Iterable[str]]) -> str:
    """The Chinese problem text for a county the region table does not have."""
    found = suggest_county(county, regions)
    hints = []
    if found.similar:
        hints.append(f"是否为{_quoted(found.similar)}？")
    if found.elsewhere:
        hints.append(f"{county}是{_counties(found.elsewhere)}的乡镇，此列应填县市区名称")
    if not hints:
        hints.append("请检查名称，或先在行政区划表中登记该县市区")
    return f"{label}“{county}”不在行政区划表中，" + "".join(hints)
