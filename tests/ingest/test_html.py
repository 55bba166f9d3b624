"""Tests of eventlens.ingest.html: pages, broken pages and fragments."""

from __future__ import annotations

import datetime as dt

from eventlens.ingest import html_to_text, read_html
from eventlens.models import Document, DocumentFailure


def test_read_html_drops_boilerplate(fixtures):
    (doc,) = read_html(fixtures / "page.html")
    assert isinstance(doc, Document)
    assert "Thousands of students marched through central Dhaka" in doc.text
    assert "arrested 40 protesters" in doc.text
    for boilerplate in ("Subscribe now", "Privacy policy", "Most read", "window.tracking"):
        assert boilerplate not in doc.text


def test_read_html_takes_page_metadata(fixtures):
    (doc,) = read_html(fixtures / "page.html")
    assert isinstance(doc, Document)
    assert doc.title == "Protesters clash with police in Dhaka"
    assert doc.published == dt.date(2024, 7, 18)
    assert doc.source == "Example News"
    assert doc.url == "https://news.example.org/world/dhaka-protest"
    assert doc.language == "en"


def test_read_html_overrides_replace_page_metadata(fixtures):
    (doc,) = read_html(fixtures / "page.html", published=dt.date(2024, 1, 2), source="Mine")
    assert isinstance(doc, Document)
    assert (doc.published, doc.source) == (dt.date(2024, 1, 2), "Mine")


def test_read_html_recovers_text_of_broken_page(fixtures):
    (doc,) = read_html(fixtures / "broken.html")
    assert isinstance(doc, Document)
    assert doc.title == "Ceasefire talks collapse in Khartoum"
    assert "violating a truce" in doc.text
    assert "sent families fleeing" in doc.text


def test_read_html_short_page_falls_back_to_visible_text(tmp_path):
    path = tmp_path / "short.html"
    path.write_text("<html><body><p>Curfew declared in Lima.</p><script>x()</script></body>")
    (doc,) = read_html(path)
    assert isinstance(doc, Document)
    assert doc.text == "Curfew declared in Lima."


def test_read_html_markup_only_fails(tmp_path):
    path = tmp_path / "nothing.html"
    path.write_text("<html><head><script>track()</script></head><body><div></div></body></html>")
    (failure,) = read_html(path)
    assert isinstance(failure, DocumentFailure)
    assert "nothing.html" in failure.error and "no text" in failure.error


def test_read_html_uses_declared_charset(tmp_path):
    path = tmp_path / "latin.html"
    body = "<p>Les manifestants ont défilé à Besançon contre la réforme.</p>"
    page = f'<html><head><meta charset="iso-8859-1"></head><body>{body}</body></html>'
    path.write_bytes(page.encode("latin-1"))
    (doc,) = read_html(path)
    assert isinstance(doc, Document)
    assert "défilé à Besançon" in doc.text


def test_read_html_binary_fails(tmp_path):
    path = tmp_path / "image.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (failure,) = read_html(path)
    assert isinstance(failure, DocumentFailure)
    assert "binary" in failure.error and "image.html" in failure.error


def test_html_to_text_breaks_blocks_and_drops_scripts():
    fragment = "<p>One <b>two</b></p><script>bad()</script><ul><li>three</li></ul>"
    assert html_to_text(fragment) == "One two\nthree"


def test_html_to_text_keeps_plain_text():
    assert html_to_text("  Plain   text, no markup. ") == "Plain text, no markup."


def test_read_html_reads_latin1_label_as_windows_1252(tmp_path):
    path = tmp_path / "quotes.html"
    page = '<html><head><meta charset="ISO-8859-1"></head><body><p>“Stop,” he said.</p></body>'
    path.write_bytes(page.encode("cp1252"))
    (doc,) = read_html(path)
    assert isinstance(doc, Document) and doc.text == "“Stop,” he said."
