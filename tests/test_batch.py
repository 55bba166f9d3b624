"""Batch jobs with the real pipeline: ingest a messy directory, extract to contract JSONL."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from eventlens.batch import BatchSummary, extract_to_jsonl, ingest_into_store, places_to_jsonl
from eventlens.store import EventStore

CONTRACT_FIELDS = {"doc_id", "event_id", "type", "mode", "modality", "actors", "date",
                   "location", "killed", "injured", "arrested", "claimed_by", "acled", "gtd",
                   "evidence", "confidence"}
PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "INVESTIGATE", "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "CRIME",
                "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "ACCUSE", "REQUEST"}
HUGE_BYTES = 50 * 1024 * 1024


@dataclass
class Ingested:
    inputs: Path
    db: Path
    summary: BatchSummary
    huge_seconds: float


def _messy_inputs(root: Path, examples: Path, fixtures: Path) -> Path:
    inputs = root / "inputs"
    inputs.mkdir()
    shutil.copy(examples, inputs / "articles.jsonl")
    for name in ("empty.txt", "random.bin", "latin1.txt", "broken.html", "feed.rss"):
        shutil.copy(fixtures / name, inputs / name)
    (inputs / "baddate.jsonl").write_text(json.dumps(
        {"id": "baddate", "text": "Troops clashed with rebels in Goma on Monday.",
         "published": "next Tuesday-ish"}) + "\n", encoding="utf-8")
    with open(inputs / "huge.txt", "wb") as fh:
        fh.write(b"Fighting continued in the city. " * (HUGE_BYTES // 32))
    return inputs


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, settings, pipeline, examples_jsonl, ingest_fixtures) -> Ingested:
    root = tmp_path_factory.mktemp("batch")
    inputs = _messy_inputs(root, examples_jsonl, ingest_fixtures)
    started = time.perf_counter()
    huge_store = EventStore.open(str(root / "huge.db"), kb=pipeline.kb)
    ingest_into_store(settings, [inputs / "huge.txt"], store=huge_store, pipeline=pipeline)
    huge_store.close()
    huge_seconds = time.perf_counter() - started
    db = root / "events.db"
    store = EventStore.open(str(db), kb=pipeline.kb)
    summary = ingest_into_store(settings, [inputs], store=store, pipeline=pipeline)
    store.close()
    return Ingested(inputs, db, summary, huge_seconds)


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_ingest_into_store_records_each_bad_input_as_failure(ingested: Ingested):
    rows = _rows(ingested.db, "SELECT doc_id, error FROM failures")
    errors = {doc_id: error for doc_id, error in rows}
    inputs = ingested.inputs
    expected = {
        str(inputs / "empty.txt"): "the file is empty",
        str(inputs / "random.bin"): "binary file",
        str(inputs / "huge.txt"): "too large",
        "https://wire.example.org/id/1002": "no text",
        "baddate": "cannot read published date",
    }
    assert set(errors) == set(expected)
    for doc_id, phrase in expected.items():
        assert phrase in errors[doc_id], errors[doc_id]
    assert ingested.summary.failures == len(expected)
    assert len(ingested.summary.failure_messages) == len(expected)


def test_ingest_into_store_refuses_huge_file_quickly(ingested: Ingested, capsys):
    with capsys.disabled():
        print(f"\n50 MB text file refused in {ingested.huge_seconds:.2f} s")
    message = _rows(ingested.db, "SELECT error FROM failures WHERE doc_id LIKE '%huge.txt'")
    assert "max_document_chars" in message[0][0]


def test_ingest_into_store_stores_good_documents_and_events(ingested: Ingested):
    docs = dict(_rows(ingested.db, "SELECT id, text FROM documents"))
    assert {"000_539a479ea003e1b3", "003_567b487a4ae20170"} <= set(docs)
    assert len(docs) == 6  # 2 JSONL articles, latin-1 text, broken HTML, 2 RSS entries
    texts = "\n".join(docs.values())
    assert "Café owners in São Paulo" in texts
    assert "Rapid Support Forces" in texts  # recovered from the broken HTML
    assert "Rubaya" in texts and "Nairobi" in texts
    per_doc = dict(_rows(ingested.db, "SELECT doc_id, count(*) FROM reports GROUP BY doc_id"))
    assert per_doc.get("000_539a479ea003e1b3", 0) > 0
    assert per_doc.get("003_567b487a4ae20170", 0) > 0
    assert ingested.summary.documents == 6
    assert ingested.summary.events == sum(per_doc.values())


def test_ingest_into_store_keeps_store_consistent(ingested: Ingested):
    db = ingested.db
    assert _rows(db, "SELECT count(*) FROM reports WHERE doc_id NOT IN "
                     "(SELECT id FROM documents)") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM reports WHERE event_id NOT IN "
                     "(SELECT event_id FROM events)") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM events WHERE event_id NOT IN "
                     "(SELECT event_id FROM reports)") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM event_actors WHERE event_id NOT IN "
                     "(SELECT event_id FROM events)") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM mentions WHERE report_id NOT IN "
                     "(SELECT report_id FROM reports)") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM reports WHERE report_id NOT IN "
                     "(SELECT report_id FROM mentions)") == [(0,)]
    rows = _rows(db, "SELECT d.text, m.start, m.\"end\", m.sentence FROM mentions m "
                     "JOIN documents d ON d.id = m.doc_id")
    assert rows
    for text, start, end, sentence in rows:
        assert text[start:end] == sentence


def _dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: two equal dumps are two identical stores."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables}


def test_ingest_into_store_second_run_changes_nothing(ingested: Ingested, settings, pipeline):
    before = _dump(ingested.db)
    store = EventStore.open(str(ingested.db), kb=pipeline.kb)
    summary = ingest_into_store(settings, [ingested.inputs], store=store, pipeline=pipeline)
    store.close()
    assert _dump(ingested.db) == before
    assert summary.unchanged == 6
    assert summary.events == 0 and summary.updated == 0
    assert "6 unchanged" in summary.line()


def _extract(settings, pipeline, path: Path) -> list[dict]:
    out = io.StringIO()
    extract_to_jsonl(settings, path, out, pipeline=pipeline)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture(scope="module")
def docs_with_bad_record(tmp_path_factory, examples_jsonl) -> Path:
    path = tmp_path_factory.mktemp("extract") / "docs.jsonl"
    path.write_text(examples_jsonl.read_text(encoding="utf-8").rstrip("\n")
                    + '\n{"id": "broken", "text": 42}\n', encoding="utf-8")
    return path


def test_extract_to_jsonl_writes_contract_lines(settings, pipeline, docs_with_bad_record):
    lines = _extract(settings, pipeline, docs_with_bad_record)
    texts = {json.loads(l)["id"]: json.loads(l)["text"]
             for l in docs_with_bad_record.read_text(encoding="utf-8").splitlines()}
    events = [line for line in lines if "event_id" in line]
    assert events
    for ev in events:
        assert set(ev) >= CONTRACT_FIELDS
        assert ev["type"] in PLOVER_TYPES
        assert 0.0 <= ev["confidence"] <= 1.0
        assert set(ev["date"]) >= {"text", "start", "end", "precision", "anchor"}
        assert ev["evidence"]
        for item in ev["evidence"]:
            assert texts[ev["doc_id"]][item["start"]:item["end"]] == item["sentence"]
    assert {ev["doc_id"] for ev in events} == {"000_539a479ea003e1b3", "003_567b487a4ae20170"}


def test_extract_to_jsonl_writes_error_line_for_bad_record(settings, pipeline,
                                                          docs_with_bad_record):
    errors = [line for line in _extract(settings, pipeline, docs_with_bad_record)
              if "error" in line]
    assert len(errors) == 1
    assert set(errors[0]) == {"doc_id", "error"}
    assert errors[0]["doc_id"] == "broken"
    assert "'text' must be a string" in errors[0]["error"]


def test_extract_to_jsonl_event_ids_stable_and_unique(settings, pipeline, examples_jsonl):
    first = [ev["event_id"] for ev in _extract(settings, pipeline, examples_jsonl)]
    second = [ev["event_id"] for ev in _extract(settings, pipeline, examples_jsonl)]
    assert first == second
    assert len(set(first)) == len(first)


def test_places_to_jsonl_writes_contract_lines(settings, pipeline, examples_jsonl):
    out = io.StringIO()
    summary = places_to_jsonl(settings, examples_jsonl, out, pipeline=pipeline)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    texts = {json.loads(l)["id"]: json.loads(l)["text"]
             for l in examples_jsonl.read_text(encoding="utf-8").splitlines()}
    assert lines and summary.places == len(lines)
    keys = {"doc_id", "start", "end", "text", "name", "country", "admin1", "lat", "lon",
            "feature", "geonames_id"}
    for place in lines:
        assert set(place) == keys
        assert texts[place["doc_id"]][place["start"]:place["end"]] == place["text"]
    assert "AF" in {place["country"] for place in lines}


def test_ingest_into_store_records_unwritable_document_and_goes_on(tmp_path: Path, settings,
                                                                   pipeline, examples_jsonl):
    from eventlens.errors import StoreError

    store = EventStore.open(str(tmp_path / "events.db"), kb=pipeline.kb)
    real_add = store.add

    def add(document, doc_events):
        if document.id == "000_539a479ea003e1b3":
            raise StoreError(f"could not store document {document.id!r}: disk I/O error")
        return real_add(document, doc_events)

    store.add = add
    summary = ingest_into_store(settings, [examples_jsonl], store=store, pipeline=pipeline)
    failures = store.failures()
    stored = store.document("003_567b487a4ae20170")
    store.close()
    assert summary.failures == 1 and summary.documents == 1
    assert [f.doc_id for f in failures] == ["000_539a479ea003e1b3"]
    assert "disk I/O error" in failures[0].error
    assert stored is not None
