"""Tests of eventlens.ingest.documents: normalisation, ids, published dates."""

from __future__ import annotations

import datetime as dt

import pytest

from eventlens.errors import IngestError
from eventlens.ingest import content_hash, make_document, normalize_text, parse_published

TODAY = dt.date(2024, 6, 10)


def test_normalize_text_applies_nfc_newlines_and_strips_controls():
    raw = "  Cafe\u0301\r\nline\rtwo\x00\x07\tend\ufeff \n"
    assert normalize_text(raw) == "Caf\u00e9\nline\ntwo\tend"


def test_make_document_derives_id_from_content_hash():
    doc = make_document("  Troops fired on protesters.\r\n")
    assert doc.text == "Troops fired on protesters."
    assert doc.content_hash == content_hash("Troops fired on protesters.")
    assert doc.id == "doc-" + doc.content_hash[:16]


def test_make_document_keeps_given_id_and_cleans_fields():
    doc = make_document("Text.", id="x-1", title="  A\n headline ", source="", url=" u ")
    assert (doc.id, doc.title, doc.source, doc.url) == ("x-1", "A headline", None, "u")


def test_make_document_same_text_gives_equal_documents():
    assert make_document("Same text.", origin="a") == make_document("Same text.", origin="a")


def test_make_document_empty_text_raises():
    with pytest.raises(IngestError, match="no text"):
        make_document(" \x00\n\t ", origin="empty.txt")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-06-05", dt.date(2024, 6, 5)),
        ("2024-06-05T10:00:00Z", dt.date(2024, 6, 5)),
        ("2024-06-05T23:30:00-04:00", dt.date(2024, 6, 5)),
        ("Wed, 05 Jun 2024 23:30:00 -0400", dt.date(2024, 6, 5)),
        ("Tue, 04 Jun 2024 08:15:00 GMT", dt.date(2024, 6, 4)),
        ("June 5, 2024", dt.date(2024, 6, 5)),
        ("5 June 2024", dt.date(2024, 6, 5)),
        ("Jun 5 2024", dt.date(2024, 6, 5)),
    ],
)
def test_parse_published_reads_supported_formats(value, expected):
    assert parse_published(value, today=TODAY) == expected


def test_parse_published_accepts_date_and_datetime_objects():
    assert parse_published(dt.date(2024, 6, 5), today=TODAY) == dt.date(2024, 6, 5)
    assert parse_published(dt.datetime(2024, 6, 5, 22, 0), today=TODAY) == dt.date(2024, 6, 5)


def test_parse_published_none_and_blank_mean_no_date():
    assert parse_published(None) is None
    assert parse_published("   ") is None


@pytest.mark.parametrize(
    "value", ["yesterday", "not a date", "June 2024", "05/06/2024", "2024-13-45"]
)
def test_parse_published_unreadable_raises_naming_value(value):
    with pytest.raises(IngestError) as info:
        parse_published(value, origin="docs.jsonl, line 3", today=TODAY)
    assert repr(value) in str(info.value)
    assert "docs.jsonl, line 3" in str(info.value)


def test_parse_published_before_1900_raises():
    with pytest.raises(IngestError, match="implausible"):
        parse_published("1899-12-31", today=TODAY)


def test_parse_published_far_future_raises_but_two_days_ahead_passes():
    assert parse_published("2024-06-12", today=TODAY) == dt.date(2024, 6, 12)
    with pytest.raises(IngestError, match="implausible"):
        parse_published("2024-06-13", today=TODAY)


def test_parse_published_non_string_raises():
    with pytest.raises(IngestError, match="int"):
        parse_published(20240605, today=TODAY)  # type: ignore[arg-type]
