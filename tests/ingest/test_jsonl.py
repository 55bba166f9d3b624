"""Tests of eventlens.ingest.jsonl: contract records and one failure per bad line."""

from __future__ import annotations

import datetime as dt
import json

from eventlens.ingest import read_jsonl
from eventlens.models import Document, DocumentFailure


def _write(tmp_path, *lines: str | bytes):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b"\n".join(l if isinstance(l, bytes) else l.encode() for l in lines) + b"\n")
    return path


def _line(**record) -> str:
    return json.dumps(record)


def test_read_jsonl_reads_contract_records_and_reports_bad_json(fixtures):
    items = list(read_jsonl(fixtures / "docs.jsonl"))
    assert [type(item) for item in items] == [Document, DocumentFailure, Document]
    first, bad, third = items
    assert first.id == "a1" and first.published == dt.date(2024, 5, 12)
    assert (first.title, first.url, first.source, first.language) == (
        "Police station attacked", "https://example.org/a1", "Example Post", "en")
    assert first.origin == f"{fixtures / 'docs.jsonl'}:1"
    assert "line 2" in bad.error and "invalid JSON" in bad.error
    assert third.id == "a3" and third.published is None


def test_read_jsonl_each_bad_line_fails_and_the_rest_go_on(tmp_path):
    path = _write(
        tmp_path,
        _line(text="no id"),
        _line(id="t1"),
        _line(id="t2", text=42),
        _line(id="t3", text="Bad date.", published="next Tuesday"),
        _line(id="t4", text="Old.", published="1066-10-14"),
        "[1, 2]",
        _line(id="t5", text="Title is a number.", title=7),
        b'{"id": "t6", "text": "caf\xe9"}',
        _line(id="ok", text="Good record."),
        _line(id="ok", text="Same id again."),
    )
    items = list(read_jsonl(path))
    assert isinstance(items[8], Document) and items[8].id == "ok"
    failures = items[:8] + items[9:]
    assert all(isinstance(item, DocumentFailure) for item in failures)
    for number, failure in enumerate(failures, start=1):
        expected_line = number if number <= 8 else 10
        assert f"line {expected_line}" in failure.error
    assert "'id' is required" in failures[0].error
    assert "'text' is required" in failures[1].error
    assert "got int" in failures[2].error and failures[2].doc_id == "t2"
    assert "'next Tuesday'" in failures[3].error
    assert "implausible" in failures[4].error
    assert "expected a JSON object" in failures[5].error
    assert "'title' must be a string" in failures[6].error
    assert "UTF-8" in failures[7].error
    assert "duplicate id 'ok'" in failures[8].error


def test_read_jsonl_skips_blank_lines_and_counts_them(tmp_path):
    path = _write(tmp_path, _line(id="a", text="A."), "", "   ", "{broken")
    doc, failure = read_jsonl(path)
    assert isinstance(doc, Document) and doc.id == "a"
    assert isinstance(failure, DocumentFailure) and "line 4" in failure.error


def test_read_jsonl_strips_utf8_bom(tmp_path):
    path = _write(tmp_path, b"\xef\xbb\xbf" + _line(id="a", text="A.").encode())
    (doc,) = read_jsonl(path)
    assert isinstance(doc, Document) and doc.id == "a"


def test_read_jsonl_published_and_source_override(tmp_path):
    path = _write(tmp_path, _line(id="a", text="A.", published="garbage", source="Own"))
    (doc,) = read_jsonl(path, published=dt.date(2024, 6, 1), source="Cli")
    assert isinstance(doc, Document)
    assert (doc.published, doc.source) == (dt.date(2024, 6, 1), "Cli")


def test_read_jsonl_text_over_limit_fails(tmp_path):
    path = _write(tmp_path, _line(id="big", text="x" * 200), _line(id="small", text="ok"))
    big, small = read_jsonl(path, max_chars=100)
    assert isinstance(big, DocumentFailure) and "too long" in big.error and big.doc_id == "big"
    assert isinstance(small, Document)


def test_read_jsonl_overlong_line_fails_without_keeping_it(tmp_path):
    path = _write(tmp_path, _line(id="big", text="y" * 5000), _line(id="next", text="ok"))
    big, nxt = read_jsonl(path, max_chars=100)
    assert isinstance(big, DocumentFailure) and "line 1" in big.error and "too long" in big.error
    assert isinstance(nxt, Document) and nxt.origin.endswith(":2")


def test_read_jsonl_empty_file_fails(fixtures):
    (failure,) = read_jsonl(fixtures / "empty.txt")
    assert isinstance(failure, DocumentFailure) and "empty" in failure.error


def test_read_jsonl_missing_file_fails(tmp_path):
    (failure,) = read_jsonl(tmp_path / "absent.jsonl")
    assert isinstance(failure, DocumentFailure) and "absent.jsonl: no such file" in failure.error


def test_read_jsonl_binary_file_fails(fixtures):
    (failure,) = read_jsonl(fixtures / "random.bin")
    assert isinstance(failure, DocumentFailure) and "binary" in failure.error
