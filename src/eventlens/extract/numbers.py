"""Casualty and arrest counts from a sentence: "killing at least 12", "two policemen and a
civilian were killed", "the death toll rose to 30" (regex only, no spaCy).

Counts follow the contract: the lowest figure the text supports, None when it gives none.
Conventions for vague and hedged figures:

* exact: digits ("1,200"), words ("twenty-one", "two hundred"), a/an/one -> 1;
* floors: "at least N" -> N; "more than / over / upwards of N" -> N + 1;
* approximations: "about / around / approximately / roughly / some / nearly / almost N" -> N
  (the only figure stated; coders record it as given);
* ceilings: "up to / fewer than / less than / under / as many as / at most N" -> None (no floor);
* ranges: "5-7", "five to seven", "between 5 and 7", "5 or 6" -> the lower end;
* vague quantities: a couple / a few / several / a handful / multiple -> 2 (plural, nothing more),
  a dozen -> 12, dozens -> 24, a score -> 20, scores -> 40, hundreds -> 200, thousands -> 2000,
  tens of thousands -> 20000; "some", "many", "few", "numerous" -> None;
* none: "no one", "nobody", "none", "no" -> 0.

Within a sentence, conjoined subjects are summed ("two policemen and a civilian were killed" ->
3) while separate mentions of one kind take the maximum, so restatements ("killing 12 ... the
toll rose to 12") and sub-groups ("including five children") are not double counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Literal, Optional

__all__ = ["CountKind", "CountMatch", "Counts", "find_counts", "parse_count"]

CountKind = Literal["killed", "injured", "arrested"]

_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_VAGUE = {
    "hundreds of thousands": 200_000, "tens of thousands": 20_000, "a couple of": 2, "a couple": 2,
    "couple": 2, "a few": 2, "several": 2, "a handful of": 2, "a handful": 2, "multiple": 2,
    "a dozen": 12, "dozen": 12, "dozens": 24, "a score of": 20, "scores": 40, "hundreds": 200,
    "thousands": 2000, "no one": 0, "no-one": 0, "nobody": 0, "none": 0, "no": 0,
}
_FLOOR_PLUS_ONE = ("more than", "over", "upwards of", "in excess of")
_CEILINGS = ("up to", "fewer than", "less than", "under", "as many as", "at most", "no more than")
_QUALIFIERS = _FLOOR_PLUS_ONE + _CEILINGS + (
    "at least", "a minimum of", "about", "around", "approximately", "roughly", "some",
    "nearly", "almost", "close to", "an estimated", "a total of", "a further", "another",
)


def _alt(words: Iterable[str]) -> str:
    return "|".join(w.replace(" ", r"\s+") for w in sorted(words, key=len, reverse=True))


_WORD = rf"(?:{_alt([*_UNITS, *_TENS, *_SCALES])})"
_AFTER_SCALE = r"(?:(?<=hundred)|(?<=thousand)|(?<=million))\s+and\s+"  # "two hundred and five"
_WORDNUM = rf"(?:(?:an?\s+(?=hundred|thousand|million))?{_WORD}(?:(?:{_AFTER_SCALE}|[\s-]+){_WORD}\b){{0,4}})"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:hundred|thousand|million))?"
_ONE = r"an?(?!\s+(?:number|lot|total|further|host|series|group|string|few|couple|dozen|handful|score)\b)"
_NUM = rf"(?<![\w-])(?:{_DIGITS}|{_alt(_VAGUE)}|{_WORDNUM}|{_ONE})(?!\w)"
# Numbers that measure time, distance or age are not counts: "2 days later", "a 25-year-old".
_NOT_COUNT = (
    r"(?!\s*-?\s*(?:days?|weeks?|months?|years?|hours?|minutes?|seconds?|km|kilomet(?:re|er)s?"
    r"|miles?|met(?:re|er)s?|percent|per\s+cent|%|am|pm|a\.m|p\.m|o'clock|times|year-old)\b)"
)
_PHRASE = (
    rf"(?:(?:{_alt(_QUALIFIERS)})\s+)?(?:between\s+{_NUM}\s+and\s+{_NUM}"
    rf"|{_NUM}(?:\s*(?:-|–|to|or)\s*{_NUM})?){_NOT_COUNT}"
)
_PHRASE_RE = re.compile(_PHRASE, re.IGNORECASE)
_NUM_RE = re.compile(_NUM, re.IGNORECASE)

_KILL = (
    r"(?:shot\s+dead|(?:stabbed|beaten|burned|burnt|hacked|crushed)\s+to\s+death|killed|slain"
    r"|murdered|assassinated|beheaded|massacred|dead|died|perished|lost\s+their\s+lives)"
)
_INJURE = r"(?:injured|wounded|hurt|harmed|hospitali[sz]ed|maimed)"
_ARREST = r"(?:arrested|detained|apprehended|taken\s+into\s+(?:police\s+)?custody|rounded\s+up|nabbed)"
_INTRANSITIVE = re.compile(r"died|perished|lost", re.IGNORECASE)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|monday|tuesday|wednesday|thursday|friday"
    "|saturday|sunday"
)
# A word that may sit between a number and its verb ("two Afghan police officers were killed").
_NOUNW = (
    rf"(?!(?:{_KILL}|{_INJURE}|{_ARREST}|{_MONTHS}|were|was|are|is|have|has|had|been|being|got"
    r"|and|or|but|in|on|at|after|when|while|who|which|that|as|by|during|with|from|the\s+(?:attack"
    r"|blast|bomb))\b)[a-z][\w'’-]*"
)
_AUX = (
    r"(?:(?:\s+(?:were|was|are|is|have|has|had|been|being|got|reportedly|also|later|allegedly"
    r"|subsequently|all|both|confirmed|left|found|[a-z]+ly))*)"
)
_ITEM_N = rf"{_PHRASE}(?:\s+{_NOUNW}){{1,4}}"
_SUBJECT = rf"(?:(?:{_ITEM_N}\s*,\s*){{0,5}}{_ITEM_N}\s*,?\s+and\s+)?{_PHRASE}(?:\s+{_NOUNW}){{0,4}}"
_VERBS = rf"(?:(?P<killed>{_KILL})|(?P<injured>{_INJURE})|(?P<arrested>{_ARREST}))"

_FLAGS = re.IGNORECASE
# Sub-groups and asides: "12 people, including five children, were killed" counts 12.
_ASIDE_RE = re.compile(
    r",?\s*\b(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them|most\s+of\s+them"
    r"|many\s+of\s+them|all\s+of\s+them|mostly)\b[^,;:.()]*?(?:,|\)|(?=\s+(?:were|was|are|had|have)\b)|$)",
    _FLAGS,
)
_ACTIVE_RE = re.compile(
    r"\b(?:(?P<killed>killing|killed|kills|kill|slaying|slew|claimed\s+the\s+lives\s+of"
    r"|shot\s+dead|(?:stabbed|beat|beaten|hacked|burned|burnt)\s+to\s+death)"
    r"|(?P<injured>wounding|wounded|wounds|injuring|injured|injures|hurting)"
    r"|(?P<arrested>arresting|arrested|arrests|detaining|detained|detains|apprehended|apprehending"
    r"|rounded\s+up|nabbed|the\s+arrests?\s+of|the\s+detention\s+of))"
    rf"\s+(?P<n>{_PHRASE})",
    _FLAGS,
)
_TOLL_RE = re.compile(
    r"\b(?:death\s+toll|toll|number\s+of\s+(?:dead|deaths|fatalities|people\s+killed))"
    r"(?:\s+(?:has|had|have|now|later|also|from\s+the\s+\w+))*\s+(?:rose|risen|climbed|jumped|reached"
    r"|stood|stands|hit|increased|is|was|of|at|to)(?:\s+(?:to|at))?"
    rf"\s+(?P<n>{_PHRASE})",
    _FLAGS,
)
_NOUN_RE = re.compile(
    rf"\b(?P<n>{_PHRASE})\s+(?:(?P<killed>fatalities|deaths)|(?P<injured>injuries)|(?P<arrested>arrests))\b",
    _FLAGS,
)
# No comma before the verb: "Smith, 45, was detained" gives an age, not a count.
_SUBJECT_RE = re.compile(rf"\b(?P<subj>{_SUBJECT})(?P<aux>{_AUX})\s+{_VERBS}\b", _FLAGS)
# "killing a minister, Khalil Haqqani, and five others": the others add to the first figure.
_OTHERS_RE = re.compile(
    rf"[^.;]*?\band\s+(?P<n>{_PHRASE})\s+others\b(?!{_AUX}\s+(?:{_INJURE}|{_ARREST}))", _FLAGS
)
_SINGULAR_RE = re.compile(
    rf"\b(?:was|has\s+been|had\s+been|is)(?:\s+(?:reportedly|also|later|allegedly|[a-z]+ly))*\s+{_VERBS}\b",
    _FLAGS,
)
_ZERO_RE = re.compile(
    r"\b(?:no|without|zero)\s+(?:\w+\s+)?(?:(?P<both>casualties|injuries)|(?P<killed>fatalities|deaths)"
    r"|(?P<arrested>arrests))\b",
    _FLAGS,
)
_OBJECT_RE = re.compile(rf"\s+(?:{_PHRASE}|the|his|her|their|its)\b", _FLAGS)
_NEGATED_RE = re.compile(r"\b(?:no(?:\s+one|-one)?|nobody|none|not)\b(?:\s+\w+){0,4}\s*$", _FLAGS)


@dataclass(frozen=True, slots=True)
class CountMatch:
    """One figure found in a sentence, with character offsets into that sentence."""

    kind: CountKind
    value: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Counts:
    """Killed, injured and arrested counts of one sentence (None: the text gives no figure)."""

    killed: Optional[int] = None
    injured: Optional[int] = None
    arrested: Optional[int] = None
    matches: tuple[CountMatch, ...] = ()


def _words_value(text: str) -> Optional[int]:
    total = current = 0
    for token in re.split(r"[\s-]+", text):
        if token in ("a", "an", "and"):
            current = current or (1 if token != "and" else 0)
        elif token in _UNITS or token in _TENS:
            current += _UNITS.get(token, 0) + _TENS.get(token, 0)
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in _SCALES:
            total += (current or 1) * _SCALES[token]
            current = 0
        else:
            return None
    return total + current


def _number_value(text: str) -> Optional[int]:
    text = re.sub(r"\s+", " ", text.strip().lower())
    if text in _VAGUE:
        return _VAGUE[text]
    if text in ("a", "an"):
        return 1
    m = re.fullmatch(r"([\d,.]+)\s*(hundred|thousand|million)?", text)
    if m:
        try:
            value = float(m.group(1).replace(",", ""))
        except ValueError:
            return None
        return int(value * _SCALES.get(m.group(2) or "", 1))
    return _words_value(text)


def parse_count(text: str) -> Optional[int]:
    """Return the lowest figure a number phrase supports (see the module docstring).

    text (str): a phrase that starts with the number, e.g. "at least 12 people", "dozens",
        "between five and seven", "more than 20"; trailing words are ignored.
    RETURNS (Optional[int]): the figure, 0 for "no one"/"none", or None when the phrase gives no
        floor ("up to 30", "many") or is not a number.
    """
    m = _PHRASE_RE.match(text.strip())
    if m is None:
        return None
    phrase = re.sub(r"\s+", " ", m.group(0).lower())
    qualifier = next((q for q in sorted(_QUALIFIERS, key=len, reverse=True) if phrase.startswith(q + " ")), "")
    body = phrase[len(qualifier) :].strip()
    if qualifier in _CEILINGS:
        return None
    first = _NUM_RE.search(body)  # the lower end of a range: "between five and seven" -> 5
    value = _number_value(first.group(0)) if first else None
    if value is None:
        return None
    return value + 1 if qualifier in _FLOOR_PLUS_ONE else value


def _kind(m: re.Match[str]) -> Optional[CountKind]:
    for kind in ("killed", "injured", "arrested"):
        if m.groupdict().get(kind):
            return kind  # type: ignore[return-value]
    return None


def _subject_matches(text: str) -> list[CountMatch]:
    found = []
    for m in _SUBJECT_RE.finditer(text):
        kind = _kind(m)
        items = [parse_count(p.group(0)) for p in _PHRASE_RE.finditer(m.group("subj"))]
        if kind is None or not items or any(v is None for v in items):
            continue
        if not m.group("aux").strip() and not _INTRANSITIVE.match(m.group(kind)):
            # Bare "five killed" is a headline count; "a bomb killed" / "two gunmen killed a
            # policeman" are active sentences whose subject is not the victim.
            first = m.group("subj").split()[0].lower()
            if first in ("a", "an") or _OBJECT_RE.match(text, m.end()):
                continue
        found.append(CountMatch(kind, sum(v or 0 for v in items), m.start(), m.end()))
    return found


def _figure_matches(text: str) -> list[CountMatch]:
    """Active verbs ("killing 12"), tolls ("the toll rose to 30") and nouns ("15 deaths")."""
    found = []
    for regex in (_ACTIVE_RE, _TOLL_RE, _NOUN_RE):
        for m in regex.finditer(text):
            kind = _kind(m) if regex is not _TOLL_RE else "killed"
            value = parse_count(m.group("n"))
            others = _OTHERS_RE.match(text, m.end()) if regex is _ACTIVE_RE else None
            extra = parse_count(others.group("n")) if others else None
            if kind and value is not None:
                found.append(CountMatch(kind, value + (extra or 0), m.start(), m.end()))
    return found


def _singular_and_zero_matches(text: str) -> list[CountMatch]:
    """"Haqqani was killed" / "a man was arrested" -> 1; "no casualties" -> 0."""
    found = []
    for m in _SINGULAR_RE.finditer(text):
        kind = _kind(m)
        if kind and not _NEGATED_RE.search(text[max(0, m.start() - 30) : m.start()]):
            found.append(CountMatch(kind, 1, m.start(), m.end()))
    for m in _ZERO_RE.finditer(text):
        kinds: tuple[Optional[CountKind], ...] = ("killed", "injured") if m.group("both") else (_kind(m),)
        found += [CountMatch(k, 0, m.start(), m.end()) for k in kinds if k]
    return found


def find_counts(text: str) -> Counts:
    """Find killed, injured and arrested counts in one sentence.

    text (str): one sentence; the caller splits the document.
    RETURNS (Counts): the lowest figure per kind (conjoined subjects summed, separate mentions
        maximised), None where the sentence gives none; ``matches`` lists the figures found.
    """
    masked = _ASIDE_RE.sub(lambda m: " " * len(m.group(0)), text)
    matches = _figure_matches(masked)
    for m in _ACTIVE_RE.finditer(masked):  # "killed 3 people and 5 were injured": not 8 injured
        masked = masked[: m.start()] + ";" * (m.end() - m.start()) + masked[m.end() :]
    matches += _subject_matches(masked) + _singular_and_zero_matches(masked)
    best: dict[str, int] = {}
    for match in matches:
        best[match.kind] = max(best.get(match.kind, 0), match.value)
    if best.get("injured") == 0 and "killed" not in best:
        best["killed"] = 0  # "no one was hurt" also says no one died
    ordered = tuple(sorted(matches, key=lambda c: c.start))
    return Counts(best.get("killed"), best.get("injured"), best.get("arrested"), ordered)
