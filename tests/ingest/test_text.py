"""Tests of eventlens.ingest.text: safe file reading, decoding and plain-text articles."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from eventlens.errors import IngestError
from eventlens.ingest import decode_bytes, read_text
from eventlens.models import Document, DocumentFailure


def _one(path: Path, **options) -> Document | DocumentFailure:
    items = list(read_text(path, **options))
    assert len(items) == 1
    return items[0]


def test_read_text_keeps_whole_file_as_text_without_title(fixtures):
    doc = _one(fixtures / "article.txt")
    assert isinstance(doc, Document)
    assert doc.title is None
    assert doc.text.startswith("Suicide bomber kills 12 at market in Kabul\n\nKABUL")
    assert doc.text.endswith("claimed responsibility for the attack.")
    assert doc.origin == str(fixtures / "article.txt")


def test_read_text_decodes_latin1(fixtures):
    doc = _one(fixtures / "latin1.txt")
    assert isinstance(doc, Document)
    assert "Café owners in São Paulo" in doc.text
    assert "décision" in doc.text


def test_read_text_decodes_cp1252_quotes(tmp_path):
    path = tmp_path / "quotes.txt"
    path.write_bytes("“We will not retreat,” the général said – twice.".encode("cp1252"))
    doc = _one(path)
    assert isinstance(doc, Document)
    assert doc.text == "“We will not retreat,” the général said – twice."


def test_read_text_decodes_utf16_with_bom(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("Rebels shelled Goma.".encode("utf-16"))
    doc = _one(path)
    assert isinstance(doc, Document) and doc.text == "Rebels shelled Goma."


def test_read_text_passes_published_and_source(fixtures):
    import datetime as dt

    doc = _one(fixtures / "article.txt", published=dt.date(2024, 6, 5), source="Wire")
    assert isinstance(doc, Document)
    assert (doc.published, doc.source) == (dt.date(2024, 6, 5), "Wire")


def test_read_text_empty_file_fails(fixtures):
    failure = _one(fixtures / "empty.txt")
    assert isinstance(failure, DocumentFailure)
    assert "empty.txt: the file is empty" in failure.error


def test_read_text_whitespace_only_fails(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\r\n ")
    failure = _one(path)
    assert isinstance(failure, DocumentFailure)
    assert "no text" in failure.error and "blank.txt" in failure.error


def test_read_text_binary_with_nul_fails(fixtures):
    failure = _one(fixtures / "random.bin")
    assert isinstance(failure, DocumentFailure)
    assert "random.bin" in failure.error and "binary" in failure.error


def test_read_text_random_bytes_without_nul_fails(tmp_path):
    rng = random.Random(7)
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(rng.randrange(1, 256) for _ in range(4096)))
    failure = _one(path)
    assert isinstance(failure, DocumentFailure)
    assert "noise.txt" in failure.error
    assert "encoding" in failure.error or "mis-encoded" in failure.error


def test_read_text_oversized_file_fails_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB, sparse: fast to make
    def refuse(self):
        raise AssertionError("the oversized file was read")
    monkeypatch.setattr(Path, "read_bytes", refuse)
    failure = _one(path)
    assert isinstance(failure, DocumentFailure)
    assert "too large" in failure.error and "huge.txt" in failure.error


def test_read_text_more_chars_than_limit_fails(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("word " * 30)
    failure = _one(path, max_chars=100)
    assert isinstance(failure, DocumentFailure)
    assert "too long" in failure.error and "150" in failure.error


def test_read_text_missing_file_fails(tmp_path):
    failure = _one(tmp_path / "missing.txt")
    assert isinstance(failure, DocumentFailure)
    assert "missing.txt: no such file" in failure.error


def test_read_text_unreadable_file_fails(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("Some text.")
    def deny(self):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(Path, "read_bytes", deny)
    failure = _one(path)
    assert isinstance(failure, DocumentFailure)
    assert "cannot read" in failure.error and "Permission denied" in failure.error


def test_decode_bytes_mostly_control_characters_fails():
    with pytest.raises(IngestError, match="mis-encoded"):
        decode_bytes(b"ab\x01\x02\x03\x04\x05cd\x06\x07", origin="junk.txt")


def test_decode_bytes_keeps_utf8_with_a_corrupt_byte():
    data = ("Le général a parlé à Besançon. " * 20).encode("utf-8") + b"\xff end"
    text = decode_bytes(data, origin="mixed.txt")
    assert "Le général a parlé à Besançon." in text
    assert text.endswith("\ufffd end")
