"""The event store on a temporary SQLite file, with hand-built documents and events."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from eventlens.errors import StoreError
from eventlens.models import (
    ActorRef,
    Document,
    DocumentFailure,
    Event,
    EventDate,
    Evidence,
    Location,
)
from eventlens.store import EventQuery, EventStore

SENTENCE = "Gunmen attacked a police post in Kandahar on Monday."


def make_doc(doc_id: str, text: str = SENTENCE, **meta) -> Document:
    return Document(id=doc_id, text=text, content_hash=hashlib.sha256(text.encode()).hexdigest(),
                    **meta)


def make_event(doc: Document, event_id: str, *, type: str = "ASSAULT", country: str | None = "AF",
               day: dt.date | None = dt.date(2024, 6, 10),
               actors: tuple[tuple[str, str | None], ...] = (("Taliban", "taliban"),)) -> Event:
    location = None
    if country:
        location = Location(text="Kandahar", name="Kandahar", country=country, admin1="Kandahar",
                            lat=31.61, lon=65.71, precision="city", geonames_id=1138336)
    return Event(
        doc_id=doc.id, event_id=event_id, type=type, mode=["armed-attack"],
        actors=[ActorRef(role="source", text=name, name=name, id=actor_id, kind="group",
                         aliases=["T"]) for name, actor_id in actors],
        date=EventDate(text="on Monday", start=day, end=day,
                       precision="day" if day else "unknown",
                       anchor="published" if day else "none"),
        location=location, killed=3, claimed_by=[a[0] for a in actors],
        evidence=[Evidence(sentence=doc.text[:20], start=0, end=20)], confidence=0.8)


@pytest.fixture
def store(tmp_path: Path):
    opened = EventStore.open(str(tmp_path / "events.db"))
    yield opened
    opened.close()


def test_store_add_new_document_is_added(store: EventStore):
    doc = make_doc("d1")
    assert store.add(doc, [make_event(doc, "ev-1")]) == "added"
    counts = store.counts()
    assert (counts["documents"], counts["events"], counts["event_actors"],
            counts["evidence"]) == (1, 1, 1, 1)


def test_store_add_same_document_again_is_unchanged(store: EventStore):
    doc = make_doc("d1")
    store.add(doc, [make_event(doc, "ev-1")])
    before = store.counts()
    assert store.add(doc, [make_event(doc, "ev-1")]) == "unchanged"
    assert store.known(doc) == "unchanged"
    assert store.counts() == before


def test_store_add_same_text_other_id_is_duplicate(store: EventStore):
    doc = make_doc("d1")
    store.add(doc, [make_event(doc, "ev-1")])
    before = store.counts()
    copy = make_doc("d2")
    assert store.known(copy) == "duplicate"
    assert store.add(copy, [make_event(copy, "ev-2")]) == "duplicate"
    assert store.counts() == before
    assert store.document("d2") is None


def test_store_add_same_id_new_text_is_updated_and_old_events_gone(store: EventStore):
    old = make_doc("d1")
    store.add(old, [make_event(old, "ev-old-1"), make_event(old, "ev-old-2")])
    new = make_doc("d1", "Police arrested five suspects in Herat on Tuesday.")
    assert store.known(new) is None
    assert store.add(new, [make_event(new, "ev-new", type="COERCE")]) == "updated"
    assert store.event("ev-old-1") is None and store.event("ev-old-2") is None
    assert [e.event_id for e in store.events()] == ["ev-new"]
    assert store.document("d1").text == new.text
    counts = store.counts()
    assert (counts["documents"], counts["events"], counts["event_actors"],
            counts["evidence"]) == (1, 1, 1, 1)


def test_store_add_id_updated_to_text_stored_elsewhere_is_duplicate(store: EventStore):
    a, b = make_doc("a", "First text about Kabul."), make_doc("b", "Second text about Herat.")
    store.add(a, [])
    store.add(b, [])
    assert store.add(make_doc("a", b.text), []) == "duplicate"
    assert store.document("a").text == a.text


def test_store_add_failure_recorded_once_per_document_and_error(store: EventStore):
    failure = DocumentFailure(doc_id="bad", error="bad.txt: the file is empty", origin="bad.txt")
    store.add_failure(failure)
    store.add_failure(failure)
    assert store.counts()["failures"] == 1
    store.add_failure(DocumentFailure(doc_id="bad", error="another problem"))
    assert store.counts()["failures"] == 2
    assert store.failures()[0] == failure


def test_store_events_filters_by_country_type_dates_and_actors(store: EventStore):
    doc = make_doc("d1")
    store.add(doc, [
        make_event(doc, "ev-af", country="AF", day=dt.date(2024, 6, 10)),
        make_event(doc, "ev-pk", country="PK", type="COERCE", day=dt.date(2024, 5, 1),
                   actors=(("Pakistan", "state-pk"),)),
        make_event(doc, "ev-none", country=None, day=None,
                   actors=(("Islamic State Khorasan Province", "iskp"),)),
    ])

    def ids(**filters) -> set[str]:
        return {e.event_id for e in store.events(EventQuery(**filters))}

    assert ids() == {"ev-af", "ev-pk", "ev-none"}
    assert ids(country="af") == {"ev-af"}
    assert ids(type="coerce") == {"ev-pk"}
    assert ids(since=dt.date(2024, 6, 1)) == {"ev-af"}
    assert ids(until=dt.date(2024, 5, 31)) == {"ev-pk"}
    assert ids(since=dt.date(2024, 5, 1), until=dt.date(2024, 6, 10)) == {"ev-af", "ev-pk"}
    assert ids(actor_names=("taliban",)) == {"ev-af"}
    assert ids(actor_names=("ISKP",)) == {"ev-none"}  # by KB id, any case
    assert ids(actor_names=("Islamic State Khorasan Province", "Pakistan")) == {"ev-none",
                                                                                 "ev-pk"}
    assert ids(actor_names=("Nobody",)) == set()
    assert ids(doc_id="other") == set()
    assert len(store.events(EventQuery(limit=2))) == 2


def test_store_events_orders_newest_first_undated_last(store: EventStore):
    doc = make_doc("d1")
    store.add(doc, [make_event(doc, "ev-old", day=dt.date(2023, 1, 1)),
                    make_event(doc, "ev-none", day=None),
                    make_event(doc, "ev-new", day=dt.date(2024, 1, 1))])
    assert [e.event_id for e in store.events()] == ["ev-new", "ev-old", "ev-none"]


def test_store_event_and_document_round_trip(store: EventStore):
    doc = make_doc("d1", title="Attack in Kandahar", published=dt.date(2024, 6, 11),
                   url="https://example.org/a", source="Example", language="en",
                   origin="docs.jsonl:1")
    ev = make_event(doc, "ev-1")
    store.add(doc, [ev])
    assert store.event("ev-1") == ev
    assert store.document("d1") == doc
    assert store.events(EventQuery(doc_id="d1")) == [ev]
    assert store.event("ev-unknown") is None
    assert store.document("unknown") is None


def test_store_add_failing_mid_document_leaves_no_trace(store: EventStore):
    kept = make_doc("kept", "Text of another document.")
    store.add(kept, [make_event(kept, "ev-kept")])
    before = store.counts()
    doc = make_doc("d1")
    with pytest.raises(StoreError, match="d1"):
        store.add(doc, [make_event(doc, "ev-same"), make_event(doc, "ev-same")])
    assert store.document("d1") is None
    assert store.known(doc) is None
    assert store.counts() == before
    # The same document with valid events can be stored afterwards.
    assert store.add(doc, [make_event(doc, "ev-same")]) == "added"


def test_store_update_failing_mid_document_keeps_old_version(store: EventStore):
    old = make_doc("d1")
    store.add(old, [make_event(old, "ev-old")])
    new = make_doc("d1", "A new text of the same document.")
    with pytest.raises(StoreError):
        store.add(new, [make_event(new, "ev-x"), make_event(new, "ev-x")])
    assert store.document("d1") == old
    assert [e.event_id for e in store.events()] == ["ev-old"]


def test_store_sqlite_uses_wal_journal(tmp_path: Path):
    path = tmp_path / "wal.db"
    EventStore.open(str(path)).close()
    with sqlite3.connect(path) as conn:  # WAL is a property of the file, seen by any client
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_open_unusable_path_raises_store_error(tmp_path: Path):
    with pytest.raises(StoreError, match="cannot open the event store"):
        EventStore.open(str(tmp_path / "missing-dir" / "sub" / "x.db"))


_WRITER = textwrap.dedent("""
    import hashlib, os, sys, time
    from eventlens.models import Document, Event, Evidence
    from eventlens.store import EventStore

    db, prefix, go, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = EventStore.open(db)
    deadline = time.monotonic() + 20
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.005)
    for i in range(n):
        text = f"Document {prefix}-{i}: clashes were reported in Kunduz."
        doc = Document(id=f"{prefix}-{i}", text=text,
                       content_hash=hashlib.sha256(text.encode()).hexdigest())
        events = [Event(doc_id=doc.id, event_id=f"ev-{prefix}-{i}-{k}", type="ASSAULT",
                        evidence=[Evidence(sentence=text[:8], start=0, end=8)],
                        confidence=0.5) for k in range(3)]
        assert store.add(doc, events) == "added"
    store.close()
""")


def test_store_two_processes_write_same_file_concurrently(tmp_path: Path):
    db, go = tmp_path / "shared.db", tmp_path / "go"
    n = 40
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(db), prefix, str(go), str(n)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for prefix in ("a", "b")]
    time.sleep(0.5)  # let both open the (new) store, then release them together
    go.touch()
    results = [p.communicate(timeout=60) for p in procs]
    for proc, (_out, err) in zip(procs, results):
        assert proc.returncode == 0, err.decode()
    store = EventStore.open(str(db))
    counts = store.counts()
    assert counts["documents"] == 2 * n
    assert counts["events"] == counts["evidence"] == 2 * n * 3
    assert store.document("a-0") is not None and store.document(f"b-{n - 1}") is not None
    store.close()
