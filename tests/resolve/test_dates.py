"""Tests for eventlens.resolve.dates: finding and resolving date expressions."""

from __future__ import annotations

import datetime as dt

import pytest

from eventlens.models import DateSpan, EventDate
from eventlens.resolve.dates import find_dates, to_event_date

D = dt.date
FRI = D(2024, 12, 13)  # a Friday: the published date of most cases below


def _one(text: str, published: dt.date | None = FRI) -> DateSpan:
    spans = find_dates(text, published)
    assert len(spans) == 1, spans
    return spans[0]


@pytest.mark.parametrize(
    "text,surface,start,end,precision",
    [
        ("Gunmen attacked on 9 May 2020.", "9 May 2020", D(2020, 5, 9), D(2020, 5, 9), "day"),
        ("On May 9, 2020, a bomb exploded.", "May 9, 2020", D(2020, 5, 9), D(2020, 5, 9), "day"),
        ("It happened on 2020-05-09.", "2020-05-09", D(2020, 5, 9), D(2020, 5, 9), "day"),
        ("Reported on December 11, 2024.", "December 11, 2024", D(2024, 12, 11), D(2024, 12, 11), "day"),
        ("the 3rd of March 2019 raid", "3rd of March 2019", D(2019, 3, 3), D(2019, 3, 3), "day"),
        ("on Sept. 4, 2021", "Sept. 4, 2021", D(2021, 9, 4), D(2021, 9, 4), "day"),
        ("on 25/12/2020", "25/12/2020", D(2020, 12, 25), D(2020, 12, 25), "day"),
        ("in May 2024", "May 2024", D(2024, 5, 1), D(2024, 5, 31), "month"),
        ("early April 2024", "early April 2024", D(2024, 4, 1), D(2024, 4, 10), "week"),
        ("by the end of June 2023", "the end of June 2023", D(2023, 6, 21), D(2023, 6, 30), "week"),
        ("1-3 May 2020", "1-3 May 2020", D(2020, 5, 1), D(2020, 5, 3), "week"),
        ("from 30 April to 2 May 2021", "30 April to 2 May 2021", D(2021, 4, 30), D(2021, 5, 2), "week"),
        ("between 1 and 20 June 2022", "1 and 20 June 2022", D(2022, 6, 1), D(2022, 6, 20), "month"),
        ("fighting in 2022 displaced", "2022", D(2022, 1, 1), D(2022, 12, 31), "year"),
        ("attacks since 2019", "2019", D(2019, 1, 1), D(2019, 12, 31), "year"),
        ("the summer of 2024", "2024", D(2024, 1, 1), D(2024, 12, 31), "year"),
        ("in early 2023", "early 2023", D(2023, 1, 1), D(2023, 4, 30), "year"),
        ("amid May 2020 clashes", "May 2020", D(2020, 5, 1), D(2020, 5, 31), "month"),
    ],
)
def test_find_dates_explicit_anchor_text(text, surface, start, end, precision):
    span = _one(text)
    assert (span.text, span.start, span.end, span.precision, span.anchor) == (
        surface, start, end, precision, "text",
    )


@pytest.mark.parametrize(
    "text,start,end,precision",
    [
        ("11 December", D(2024, 12, 11), D(2024, 12, 11), "day"),
        ("December 11", D(2024, 12, 11), D(2024, 12, 11), "day"),
        ("on Wednesday, December 11, police", D(2024, 12, 11), D(2024, 12, 11), "day"),
        ("on Wednesday", D(2024, 12, 11), D(2024, 12, 11), "day"),
        ("on Friday", D(2024, 12, 13), D(2024, 12, 13), "day"),
        ("last Friday", D(2024, 12, 6), D(2024, 12, 6), "day"),
        ("on Saturday night", D(2024, 12, 7), D(2024, 12, 7), "day"),
        ("yesterday", D(2024, 12, 12), D(2024, 12, 12), "day"),
        ("Today", D(2024, 12, 13), D(2024, 12, 13), "day"),
        ("this morning", D(2024, 12, 13), D(2024, 12, 13), "day"),
        ("last night", D(2024, 12, 12), D(2024, 12, 12), "day"),
        ("the day before yesterday", D(2024, 12, 11), D(2024, 12, 11), "day"),
        ("two days ago", D(2024, 12, 11), D(2024, 12, 11), "day"),
        ("in May", D(2024, 5, 1), D(2024, 5, 31), "month"),
        ("early May", D(2024, 5, 1), D(2024, 5, 10), "week"),
        ("mid-June", D(2024, 6, 11), D(2024, 6, 20), "week"),
        ("late last month", D(2024, 11, 21), D(2024, 11, 30), "week"),
        ("last month", D(2024, 11, 1), D(2024, 11, 30), "month"),
        ("earlier this month", D(2024, 12, 1), D(2024, 12, 31), "month"),
        ("last week", D(2024, 12, 2), D(2024, 12, 8), "week"),
        ("this week", D(2024, 12, 9), D(2024, 12, 15), "week"),
        ("last year", D(2023, 1, 1), D(2023, 12, 31), "year"),
        ("May 1-3", D(2024, 5, 1), D(2024, 5, 3), "week"),
        ("last May", D(2024, 5, 1), D(2024, 5, 31), "month"),
        ("Tuesday's blast", D(2024, 12, 10), D(2024, 12, 10), "day"),
    ],
)
def test_find_dates_relative_anchor_published(text, start, end, precision):
    span = _one(text)
    assert (span.start, span.end, span.precision, span.anchor) == (start, end, precision, "published")


@pytest.mark.parametrize(
    "text,start,end,precision",
    [
        ("talks next Monday", D(2024, 12, 16), D(2024, 12, 16), "day"),
        ("talks next week", D(2024, 12, 16), D(2024, 12, 22), "week"),
        ("talks next month", D(2025, 1, 1), D(2025, 1, 31), "month"),
        ("The court will rule on December 20.", D(2024, 12, 20), D(2024, 12, 20), "day"),
    ],
)
def test_find_dates_future_expressions(text, start, end, precision):
    span = _one(text)
    assert (span.start, span.end, span.precision) == (start, end, precision)


def test_find_dates_month_after_published_goes_to_previous_year():
    span = _one("The raid took place on 20 November.", D(2024, 3, 10))
    assert span.start == D(2023, 11, 20)


def test_find_dates_bare_month_after_published_goes_to_previous_year():
    span = _one("Clashes erupted in November.", D(2024, 3, 10))
    assert (span.start, span.end) == (D(2023, 11, 1), D(2023, 11, 30))


def test_find_dates_future_cue_keeps_nearest_past_date():
    span = _one("Police will investigate the killing on 3 May.", D(2024, 5, 10))
    assert span.start == D(2024, 5, 3)


def test_find_dates_weekday_picks_consistent_year():
    # 11 December 2024 was a Wednesday; 11 December 2023 a Monday.
    span = _one("on Monday, December 11", FRI)
    assert span.start == D(2023, 12, 11)


def test_find_dates_range_across_new_year():
    span = _one("Dec 30 - Jan 2", D(2024, 1, 10))
    assert (span.start, span.end) == (D(2023, 12, 30), D(2024, 1, 2))


def test_find_dates_on_weekday_same_day_as_published():
    assert _one("on Wednesday", D(2024, 12, 11)).start == D(2024, 12, 11)


def test_find_dates_last_weekday_on_published_weekday_is_week_before():
    assert _one("last Wednesday", D(2024, 12, 11)).start == D(2024, 12, 4)


@pytest.mark.parametrize("text", ["on Wednesday", "11 December", "in May", "yesterday", "last week"])
def test_find_dates_relative_without_published_is_unresolved(text):
    span = _one(text, None)
    assert (span.start, span.end, span.precision, span.anchor) == (None, None, "unknown", "none")


def test_find_dates_explicit_without_published_is_resolved():
    span = _one("on 9 May 2020", None)
    assert (span.start, span.anchor) == (D(2020, 5, 9), "text")


@pytest.mark.parametrize(
    "text",
    [
        "They may attack again.",
        "May be it was them.",
        "a protest march through the city",
        "the Sunday Times reported",
        "Sunday Times editors said",
        "a 56-minute video",
        "the 40th meeting of the council",
        "fans at Euro 2024 and Vision 2030 plans",
        "in the 1990s",
        "a crowd of 2000 people",
        "the toll rose to 2000",
        "on 9/5/2020",
        "on 2020-13-01",
        "on 32 May 2020",
        "on 30 February 2021",
        "Feb 30",
        "in 1850",
        "Jan Smith said",
        "Theresa May's government",
    ],
)
def test_find_dates_rejects_false_positives_and_absurd_values(text):
    assert find_dates(text, FRI) == []


def test_find_dates_offsets_are_shifted_and_sorted():
    text = "Yesterday police said the attack on 9 May 2020 killed two."
    spans = find_dates(text, FRI, offset=100)
    assert [s.text for s in spans] == ["Yesterday", "9 May 2020"]
    assert [(s.start_char, s.end_char) for s in spans] == [(100, 109), (136, 146)]
    assert text[spans[1].start_char - 100 : spans[1].end_char - 100] == "9 May 2020"


def test_find_dates_longest_match_wins():
    spans = find_dates("On Wednesday, December 11, 2024 gunmen struck.", FRI)
    assert [s.text for s in spans] == ["Wednesday, December 11, 2024"]


def test_find_dates_no_dates_returns_empty():
    assert find_dates("Gunmen attacked a checkpoint.", FRI) == []


def test_to_event_date_none_is_unknown():
    assert to_event_date(None, FRI) == EventDate(
        text=None, start=None, end=None, precision="unknown", anchor="none"
    )


def test_to_event_date_copies_span():
    event_date = to_event_date(_one("last week"), FRI)
    assert (event_date.text, event_date.start, event_date.end) == ("last week", D(2024, 12, 2), D(2024, 12, 8))
    assert (event_date.precision, event_date.anchor) == ("week", "published")


def test_to_event_date_unresolved_span_is_unknown():
    event_date = to_event_date(_one("yesterday", None), None)
    assert (event_date.text, event_date.start, event_date.precision) == ("yesterday", None, "unknown")
