"""Writing documents and reading them back, on SQLite and PostgreSQL (see conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from store_factories import KABUL, PESHAWAR, dump, make_doc, make_event

from eventlens.errors import StoreError
from eventlens.models import DocumentFailure
from eventlens.store import EventQuery, EventStore


def _rows(store: EventStore, *tables: str) -> tuple[int, ...]:
    counts = store.counts()
    return tuple(counts[t] for t in tables)


ROWS = ("documents", "reports", "events", "event_actors", "mentions")


def test_store_add_new_document_is_added(store: EventStore):
    doc = make_doc("d1")
    assert store.add(doc, [make_event(doc, "ev-1")]) == "added"
    assert _rows(store, *ROWS) == (1, 1, 1, 1, 1)
    assert store.counts()["actors"] > 600  # the knowledge base was copied in


def test_store_add_same_document_again_changes_nothing(store: EventStore):
    doc = make_doc("d1")
    store.add(doc, [make_event(doc, "ev-1")])
    before = dump(store)
    assert store.add(doc, [make_event(doc, "ev-1")]) == "unchanged"
    assert store.known(doc) == "unchanged"
    assert dump(store) == before


def test_store_add_batch_twice_leaves_identical_tables(store: EventStore):
    docs = [make_doc(f"d{i}") for i in range(4)]
    batch = [(d, [make_event(d, f"ev-{d.id}", killed=3 + i, location=[KABUL, PESHAWAR][i % 2])])
             for i, d in enumerate(docs)]
    for doc, evs in batch:
        store.add(doc, evs)
    before = dump(store)
    assert [store.add(doc, evs) for doc, evs in batch] == ["unchanged"] * 4
    assert dump(store) == before
    assert len(before["reports"]) == 4 and len(before["events"]) == 2  # two merged incidents


def test_store_add_same_text_other_id_is_duplicate(store: EventStore):
    doc = make_doc("d1")
    store.add(doc, [make_event(doc, "ev-1")])
    before = store.counts()
    copy = make_doc("d2", doc.text)
    assert store.known(copy) == "duplicate"
    assert store.add(copy, [make_event(copy, "ev-2")]) == "duplicate"
    assert store.counts() == before
    assert store.document("d2") is None


def test_store_add_same_id_new_text_is_updated_and_old_reports_gone(store: EventStore):
    old = make_doc("d1")
    store.add(old, [make_event(old, "ev-old-1"),
                    make_event(old, "ev-old-2", location=PESHAWAR)])
    new = make_doc("d1", "Police arrested five suspects in Herat on Tuesday.")
    assert store.known(new) is None
    assert store.add(new, [make_event(new, "ev-new", type="COERCE")]) == "updated"
    assert store.report("ev-old-1") is None and store.report("ev-old-2") is None
    assert store.incident_id("ev-old-1") is None
    [only] = store.events()
    assert only.type == "COERCE" and store.incident_id("ev-new") == only.event_id
    assert store.document("d1").text == new.text
    assert _rows(store, *ROWS) == (1, 1, 1, 1, 1)


def test_store_add_id_updated_to_text_stored_elsewhere_is_duplicate(store: EventStore):
    a, b = make_doc("a", "First text about Kabul."), make_doc("b", "Second text about Herat.")
    store.add(a, [])
    store.add(b, [])
    assert store.add(make_doc("a", b.text), []) == "duplicate"
    assert store.document("a").text == a.text


def test_store_add_event_of_another_document_is_refused(store: EventStore):
    a, b = make_doc("a"), make_doc("b")
    with pytest.raises(StoreError, match="belongs to document 'b'"):
        store.add(a, [make_event(b, "ev-b")])
    assert store.document("a") is None


def test_store_add_failure_recorded_once_per_document_and_error(store: EventStore):
    failure = DocumentFailure(doc_id="bad", error="bad.txt: the file is empty", origin="bad.txt")
    store.add_failure(failure)
    store.add_failure(failure)
    assert store.counts()["failures"] == 1
    store.add_failure(DocumentFailure(doc_id="bad", error="another problem " * 400))
    assert store.counts()["failures"] == 2  # a long message fits (PostgreSQL unique index)
    assert store.failures()[0] == failure


def test_store_report_event_and_document_round_trip(store: EventStore):
    doc = make_doc("d1", title="Attack in Kandahar", published=dt.date(2024, 6, 11),
                   url="https://example.org/a", source="Example", language="en",
                   origin="docs.jsonl:1")
    ev = make_event(doc, "ev-1")
    store.add(doc, [ev])
    incident_id = store.incident_id("ev-1")
    assert incident_id.startswith("in-") and store.incident_id(incident_id) == incident_id
    assert store.report("ev-1") == ev
    merged = store.event(incident_id)
    assert merged == ev.model_copy(update={"event_id": incident_id})
    assert store.document("d1") == doc
    assert store.events(EventQuery(doc_id="d1")) == [merged]
    assert store.event("in-unknown") is None and store.report("ev-unknown") is None
    assert store.incident_id("nothing") is None and store.document("unknown") is None


def test_store_incident_ids_are_stable_across_stores(store: EventStore, tmp_path, kb):
    doc = make_doc("d1")
    other = EventStore.open(str(tmp_path / "other.db"), kb=kb)
    try:
        for s in (store, other):
            s.add(doc, [make_event(doc, "ev-1")])
        assert other.incident_id("ev-1") == store.incident_id("ev-1")
    finally:
        other.close()


def test_store_add_failing_mid_document_leaves_no_trace(store: EventStore):
    kept = make_doc("kept", "Text of another document.")
    store.add(kept, [make_event(kept, "ev-kept", location=PESHAWAR)])
    before = dump(store)
    doc = make_doc("d1")
    with pytest.raises(StoreError, match="d1"):
        store.add(doc, [make_event(doc, "ev-same"), make_event(doc, "ev-same")])
    assert store.document("d1") is None
    assert store.known(doc) is None
    assert dump(store) == before
    # The same document with valid events can be stored afterwards.
    assert store.add(doc, [make_event(doc, "ev-same")]) == "added"


def test_store_update_failing_mid_document_keeps_old_version(store: EventStore):
    old = make_doc("d1")
    store.add(old, [make_event(old, "ev-old")])
    before = dump(store)
    new = make_doc("d1", "A new text of the same document.")
    with pytest.raises(StoreError):
        store.add(new, [make_event(new, "ev-x"), make_event(new, "ev-x")])
    assert store.document("d1") == old
    assert dump(store) == before


def test_store_open_unusable_path_raises_store_error(tmp_path):
    with pytest.raises(StoreError, match="cannot open the event store .*unable to open"):
        EventStore.open(str(tmp_path / "missing-dir" / "sub" / "x.db"))


def test_store_open_unsupported_url_raises_store_error():
    with pytest.raises(StoreError, match="SQLite and PostgreSQL|cannot use the event store"):
        EventStore.open("mysql://user@localhost/db")
