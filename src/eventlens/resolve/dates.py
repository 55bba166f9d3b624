"""Find date expressions in a sentence and resolve them to intervals (regex only, no spaCy).

``find_dates`` turns "9 May 2020", "Wednesday, December 11", "early April", "last week" or
"yesterday" into :class:`~eventlens.models.DateSpan` objects with a start/end interval, a
precision and an anchor: ``"text"`` when the expression carries its own year, ``"published"``
when it was resolved against the article's publication date, ``"none"`` when that date is
missing (start/end are then None). Words come from ``data/date_words.yaml``.

Conventions: a yearless date takes the latest year that puts it on or before the published date
(news reports the past), unless the sentence has a future cue ("will", "next", "upcoming"), in
which case the occurrence nearest the published date wins. Weeks run Monday to Sunday. Early /
mid / late split a month into days 1-10, 11-20 and 21-end (precision "week").
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Callable, Optional

import yaml

from ..errors import ResolutionError
from ..models import DatePrecision, DateSpan, EventDate

__all__ = ["find_dates", "to_event_date"]

_Interval = tuple[Optional[dt.date], Optional[dt.date], DatePrecision, str]
_Handler = Callable[[re.Match[str], "_Context"], Optional[_Interval]]

_ORD = r"(?:st|nd|rd|th)?"
_DASH = r"\s*(?:-|–|—|to|until|and)\s*"
_YEAR_AFTER = r"(?:,?\s+(?P<year>\d{4})(?!\d|,\d))?"


@dataclass(frozen=True, slots=True)
class _Words:
    months: dict[str, int]  # every spelling -> 1..12
    weekdays: dict[str, int]  # name -> 0..6
    parts: dict[str, str]  # lower-case part phrase -> early/mid/late
    future: re.Pattern[str]
    small_numbers: dict[str, int]
    month_re: str  # any month spelling (abbreviations included)
    full_month_re: str  # full month names only
    weekday_re: str
    part_re: str
    prep_re: str


@dataclass(frozen=True, slots=True)
class _Context:
    published: Optional[dt.date]
    future: bool


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.cache
def _words() -> _Words:
    try:
        raw = yaml.safe_load(
            resources.files("eventlens").joinpath("data/date_words.yaml").read_text("utf-8")
        )
    except (OSError, yaml.YAMLError) as exc:
        raise ResolutionError(f"cannot read data/date_words.yaml: {exc}; reinstall eventlens") from exc
    months = {name: i for i, names in enumerate(raw["months"], 1) for name in names}
    full = [names[0] for names in raw["months"]]
    abbrevs = [name for names in raw["months"] for name in names[1:]]
    parts = {p.lower(): key for key, phrases in raw["parts"].items() for p in phrases}
    cues = r"\b(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in raw["future_cues"]) + r")\b"
    part_words = [p.replace(" ", "\\s+") for p in sorted(parts, key=len, reverse=True)]
    return _Words(
        months=months,
        weekdays={name: i for i, name in enumerate(raw["weekdays"])},
        parts=parts,
        future=re.compile(cues, re.IGNORECASE),
        small_numbers={str(k).lower(): int(v) for k, v in raw["small_numbers"].items()},
        month_re=rf"\b(?:(?:{_alt(full)})\b|(?:{_alt(abbrevs)})\b\.?)",
        full_month_re=rf"\b(?:{_alt(full)})\b",
        weekday_re=rf"\b(?:{_alt(raw['weekdays'])})\b",
        part_re=r"(?i:\b(?:" + "|".join(part_words) + r"))",
        prep_re=r"(?i:\b(?:" + _alt(raw["prepositions"]) + r"))",
    )


# --- calendar helpers ---------------------------------------------------------------------------


def _safe_date(year: int, month: int, day: int) -> Optional[dt.date]:
    if not 1900 <= year <= 2100 or not 1 <= month <= 12:
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return dt.date(year, month, day)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _precision(start: dt.date, end: dt.date) -> DatePrecision:
    days = (end - start).days + 1
    return "day" if days == 1 else "week" if days <= 7 else "month" if days <= 31 else "year"


def _pick_year(month: int, day: int, ctx: _Context, weekday: Optional[int] = None) -> Optional[int]:
    """Choose the year of a yearless date (see the module docstring); None if none is valid."""
    pub = ctx.published
    if pub is None:
        return None
    options = [y for y in (pub.year - 1, pub.year, pub.year + 1) if _safe_date(y, month, day)]
    if not options:
        return None
    if ctx.future:
        options.sort(key=lambda y: abs((dt.date(y, month, day) - pub).days))
    else:
        past = [y for y in options if dt.date(y, month, day) <= pub]
        options = sorted(past, reverse=True) + [y for y in options if y not in past]
    if weekday is not None:
        # The written weekday breaks ties: "Wednesday, December 11" is the year it was a Wednesday.
        for year in options:
            if dt.date(year, month, day).weekday() == weekday:
                return year
    return options[0]


def _resolve_day(m: re.Match[str], ctx: _Context, month: int, day: int) -> Optional[_Interval]:
    wd = m.groupdict().get("wd")
    weekday = _words().weekdays[wd] if wd else None
    if m.group("year"):
        date = _safe_date(int(m.group("year")), month, day)
        return (date, date, "day", "text") if date else None
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:  # 2000 is a leap year
        return None
    year = _pick_year(month, day, ctx, weekday)
    if year is None:
        return (None, None, "unknown", "none") if ctx.published is None else None
    date = dt.date(year, month, day)
    return date, date, "day", "published"


def _month_interval(year: int, month: int, part: Optional[str]) -> tuple[dt.date, dt.date]:
    key = _words().parts.get(re.sub(r"\s+", " ", part.lower())) if part else None
    if key == "early":
        return dt.date(year, month, 1), dt.date(year, month, 10)
    if key == "mid":
        return dt.date(year, month, 11), dt.date(year, month, 20)
    if key == "late":
        return dt.date(year, month, 21), _month_end(year, month)
    return dt.date(year, month, 1), _month_end(year, month)


# --- handlers: each returns (start, end, precision, anchor) or None to reject the match ---------


def _h_iso(m: re.Match[str], ctx: _Context) -> Optional[_Interval]:
    date = _safe_date(int(m.group("year")), int(m.group("mon")), int(m.group("day")))
    return (date, date, "day", "text") if date else None


def _h_numeric(m: re.Match[str], ctx: _Context) -> Optional[_Interval]:
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("year"))
    if a == b or (a > 12 >= b):
        date = _safe_date(year, b, a)  # day/month
    elif b > 12 >= a:
        date = _safe_date(year, a, b)  # month/day (US)
    else:
        return None  # ambiguous: 9/5/2020 could be 9 May or 5 September
    return (date, date, "day", "text") if date else None


def _h_day(m: re.Match[str], ctx: _Context) -> Optional[_Interval]:
    return _resolve_day(m, ctx, _words().months[m.group("mon").rstrip(".")], int(m.group("day")))


def _h_range(m: re.Match[str], ctx: _Context) -> Optional[_Interval]:
    months = _words().months
    mon2 = months[(m.group("mon") or m.group("mon1")).rstrip(".")]
    mon1 = months[(m.group("mon1") or m.group("mon")).rstrip(".")]
    last = _resolve_day(m, ctx, mon2, int(m.group("day2")))
    if last is None or last[0] is None:
        return last
    year = last[0].year - (1 if mon1 > mon2 else 0)
    first = _safe_date(year, mon1, int(m.group("day")))
    if first is None or first >= last[0] or (last[0] - first).days > 92:
        return None
    return first, last[0], _precision(first, last[0]), last[3]


def _h_month(m: re.Match[str], ctx: _Context) -> Optional[_Interval]:
    month = _words().months[m.group("mon").rstrip(".")]
    rel = (m.groupdict().get("rel") or "").lower()
    part = m.groupdict().get("part")
    precision: DatePrecision = "week" if part else "month"
    if m.groupdict().get("year"):
        year = int(m.group("year"))
        if not 1900 <= year <= 2100:
            return None
        return (*_month_interval(year, month, part), precision, "text")
    pub = ctx.published
    if pub is None:
        return None, None, "unknown", "none"
    if rel == "last":
        year = pub.year if month < pub.month else pub.year - 1
    elif rel == "next":
        year = pub.year if month > pub.month else pub.year + 1
    elif rel == "this":
        year = pub.year
    else:
        year = _pick_year(month, 1, ctx) or pub.year
    return (*_month_interval(year, month, part), precision, "published")


def _h_relative_day(m: re.Match[str], ctx: _Context) -> Optional[_Interval]:
    if ctx.published is None:
        return None, None, "unknown", "none"
    word = re.sub(r"\s+", " ", m.group("rel").lower())
    back = 2 if "before" in word else 1 if word in ("yesterday", "last night") else 0
    day = ctx.published - dt.timedelta(days=back)
    return day, day, "day", "published"


def _h_weekday(m: re.Match[str], ctx: _Context) -> Optional[_Interval]:
    rel = (m.group("rel") or "").lower()
    before = m.string[max(0, m.start() - 6) : m.start()].lower()
    if not rel and not re.search(r"\b(?:on|by|since|until|from)\s+$", before):
        # "the Sunday Times", "Sunday Times reported": a name, not a day.
        after = m.string[m.end() :]
        nxt = re.match(r"\s+([A-Z][a-z]+)", after)
        if before.endswith("the ") or (nxt and nxt.group(1) not in _words().months):
            return None
    if ctx.published is None:
        return None, None, "unknown", "none"
    target = _words().weekdays[m.group("wd")]
    diff = (ctx.published.weekday() - target) % 7
    if rel == "next":
        day = ctx.published + dt.timedelta(days=(target - ctx.published.weekday()) % 7 or 7)
    else:
        day = ctx.published - dt.timedelta(days=diff or (7 if rel in ("last", "past") else 0))
    return day, day, "day", "published"


def _h_period(m: re.Match[str], ctx: _Context) -> Optional[_Interval]:
    pub = ctx.published
    if pub is None:
        return None, None, "unknown", "none"
    rel, unit = m.group("rel").lower(), m.group("unit").lower()
    step = {"last": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}.get(rel)
    part = m.groupdict().get("part")
    if rel == "past":  # "the past week": a rolling window ending on the published date
        days = {"week": 7, "month": 30, "year": 365}[unit]
        return pub - dt.timedelta(days=days - 1), pub, "week" if unit == "week" else unit, "published"
    if unit == "week":
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=step)
        return monday, monday + dt.timedelta(days=6), "week", "published"
    if unit == "month":
        year, month = _shift_month(pub, step)
        return (*_month_interval(year, month, part), "week" if part else "month", "published")
    year = pub.year + step
    return dt.date(year, 1, 1), dt.date(year, 12, 31), "year", "published"


def _h_ago(m: re.Match[str], ctx: _Context) -> Optional[_Interval]:
    pub = ctx.published
    if pub is None:
        return None, None, "unknown", "none"
    raw = m.group("n").lower()
    n = int(raw) if raw.isdigit() else _words().small_numbers[raw]
    unit = m.group("unit").lower()
    if unit == "day":
        day = pub - dt.timedelta(days=n)
        return day, day, "day", "published"
    if unit == "week":
        monday = pub - dt.timedelta(days=pub.weekday(), weeks=n)
        return monday, monday + dt.timedelta(days=6), "week", "published"
    if unit == "month":
        year, month = _shift_month(pub, -n)
        return dt.date(year, month, 1), _month_end(year, month), "month", "published"
    return dt.date(pub.year - n, 1, 1), dt.date(pub.year - n, 12, 31), "year", "published"


def _h_year(m: re.Match[str], ctx: _Context) -> Optional[_Interval]:
    year = int(m.group("year"))
    if not 1900 <= year <= 2100 or not (m.group("prep") or m.group("part")):
        return None  # a bare number, or a name such as "Euro 2024" / "Vision 2030"
    if (m.group("prep") or "").lower() == "of" and re.match(r"\s+[a-z]", m.string[m.end():]):
        return None  # "a crowd of 2000 people" is a count, "the summer of 2024" is a year
    key = _words().parts.get(re.sub(r"\s+", " ", (m.group("part") or "").lower()))
    # Thirds of a year for "early/mid/late 2023"; coarser than a month, so precision "year".
    first, last = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}.get(key, (1, 12))
    return dt.date(year, first, 1), _month_end(year, last), "year", "text"


# --- rules --------------------------------------------------------------------------------------


@functools.cache
def _rules() -> tuple[tuple[re.Pattern[str], _Handler], ...]:
    w = _words()
    mon, full, wd, part, prep = w.month_re, w.full_month_re, w.weekday_re, w.part_re, w.prep_re
    lead_wd = rf"(?:(?P<wd>{wd}),?\s+(?:the\s+)?)?"
    day, day2 = rf"(?P<day>\d{{1,2}}){_ORD}", rf"(?P<day2>\d{{1,2}}){_ORD}"
    small = _alt(list(w.small_numbers))
    # A bare year needs a preposition; "to"/"and" are left out ("rose to 2000").
    yprep = r"(?i:\b(?:in|since|during|until|till|by|before|after|throughout|from|of))"
    table: list[tuple[str, _Handler]] = [
        (r"(?<![\d-])(?P<d>(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2}))(?![\d-])", _h_iso),
        (r"(?<![\d/.])(?P<d>(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}))(?![\d/])", _h_numeric),
        (rf"(?P<d>{lead_wd}{day}(?:\s+of)?\s+(?P<mon>{mon}){_YEAR_AFTER})(?!\d)", _h_day),
        (rf"(?P<d>{lead_wd}(?P<mon>{mon})\s+{day}(?![\d:]){_YEAR_AFTER})", _h_day),
        (rf"(?P<d>{day}(?:\s+(?P<mon1>{mon}))?{_DASH}{day2}(?:\s+of)?\s+(?P<mon>{mon}){_YEAR_AFTER})", _h_range),
        (rf"(?P<d>(?P<mon1>{mon})\s+{day}{_DASH}(?:(?P<mon>{mon})\s+)?{day2}(?![\d:]){_YEAR_AFTER})", _h_range),
        (rf"(?P<d>(?:(?P<part>{part})\s*-?\s*)?(?P<mon>{mon}),?\s+(?P<year>\d{{4}}))(?!\d|,\d)", _h_month),
        (rf"(?P<d>(?P<part>{part})\s*-?\s*(?P<mon>{full}))(?!\s*\d)", _h_month),
        (rf"(?P<d>(?P<rel>(?i:\b(?:last|this|next)))\s+(?P<mon>{full}))(?!\s*\d)", _h_month),
        (rf"{prep}\s+(?P<d>(?P<mon>{full}))(?!\s*\d|['’]s)", _h_month),
        (rf"(?P<d>(?:(?P<rel>(?i:\b(?:last|this|next|past)))\s+)?(?P<wd>{wd})"
         r"(?:\s+(?i:morning|afternoon|evening|night))?)\b", _h_weekday),
        (r"(?i)\b(?P<d>(?P<rel>the\s+day\s+before\s+yesterday|yesterday|today|tonight"
         r"|this\s+(?:morning|afternoon|evening)|last\s+night|earlier\s+today)"
         r"(?:\s+(?:morning|afternoon|evening))?)\b", _h_relative_day),
        (rf"(?P<d>(?:(?P<part>{part})\s*-?\s*)?(?P<rel>(?i:\b(?:last|previous|this|current|next|coming|past)))"
         r"\s+(?P<unit>(?i:week|month|year)))\b", _h_period),
        (rf"(?i)\b(?P<d>(?P<n>\d{{1,2}}|{small})\s+(?P<unit>day|week|month|year)s?\s+ago)\b", _h_ago),
        (rf"(?:(?P<prep>{yprep})\s+)?(?P<d>(?:(?P<part>{part})\s*-?\s*)?(?P<year>\d{{4}}))"
         r"(?![\d\w%]|,\d|\s*(?:-|–)\s*\d)", _h_year),
    ]
    return tuple((re.compile(pattern), handler) for pattern, handler in table)


def find_dates(text: str, published: Optional[dt.date], *, offset: int = 0) -> list[DateSpan]:
    """Find and resolve every date expression in ``text``.

    text (str): usually one sentence.
    published (Optional[date]): the article's publication date, the anchor of relative dates;
        None leaves relative and yearless expressions unresolved (anchor "none").
    offset (int): added to character offsets so they point into the whole document.
    RETURNS (list[DateSpan]): sorted by position, non-overlapping (the longest match wins).
        Absurd values (month 13, 30 February, year 1850) are skipped.
    RAISES ResolutionError: when the packaged word list cannot be read.
    """
    ctx = _Context(published, bool(_words().future.search(text)))
    found: list[tuple[int, int, Optional[_Interval]]] = []
    for pattern, handler in _rules():
        for m in pattern.finditer(text):
            found.append((m.start("d"), m.end("d"), handler(m, ctx)))
    # Longest first, so "Wednesday, December 11" beats "Wednesday"; a rejected long match still
    # blocks its pieces ("32 May 2020" must not become "May 2020").
    found.sort(key=lambda f: (f[0] - f[1], f[0]))
    taken: list[tuple[int, int, Optional[_Interval]]] = []
    for item in found:
        if all(item[1] <= s or item[0] >= e for s, e, _ in taken):
            taken.append(item)
    spans = []
    for start, end, interval in sorted(taken, key=lambda f: f[0]):
        if interval is None:
            continue
        first, last, precision, anchor = interval
        spans.append(
            DateSpan(
                start_char=start + offset,
                end_char=end + offset,
                text=text[start:end],
                start=first,
                end=last,
                precision=precision,
                anchor=anchor,  # type: ignore[arg-type]
            )
        )
    return spans


def to_event_date(span: Optional[DateSpan], published: Optional[dt.date] = None) -> EventDate:
    """Convert a resolved date span to the contract's ``date`` object.

    span (Optional[DateSpan]): the span chosen for an event, or None when the text gave none.
    published (Optional[date]): the publication date; accepted so callers pass the same context
        as to ``find_dates``; the span already carries everything resolved against it.
    RETURNS (EventDate): null start/end, precision "unknown", anchor "none" when unresolved.
    """
    if span is None:
        return EventDate(text=None, start=None, end=None, precision="unknown", anchor="none")
    if span.start is None or span.end is None:
        return EventDate(text=span.text, start=None, end=None, precision="unknown", anchor="none")
    return EventDate(
        text=span.text, start=span.start, end=span.end, precision=span.precision, anchor=span.anchor
    )
