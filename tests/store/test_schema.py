"""Schema migrations, the knowledge-base copy, SQLite specifics and concurrent writers."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from store_factories import make_doc, make_event

from eventlens.errors import StoreError
from eventlens.models import Actor
from eventlens.resolve.actor_kb import ActorKB, GenericLexicon
from eventlens.store import (
    HEAD_REVISION,
    EventQuery,
    EventStore,
    database_url,
    store_revision,
    upgrade_store,
)
from eventlens.store.engine import make_engine, write_transaction


def test_head_revision_is_the_newest_migration():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from eventlens.store import engine

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(engine.__file__).with_name("migrations")))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD_REVISION


def test_migrations_create_exactly_the_declared_schema(store: EventStore):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from eventlens.store.schema import metadata

    assert store.revision() == HEAD_REVISION
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_store_revision_and_upgrade_functions(store_url: str):
    if store_url.endswith(".db"):
        with pytest.raises(StoreError, match="no event store at"):
            store_revision(store_url)
        Path(store_url).touch()
    assert store_revision(store_url) is None
    assert upgrade_store(store_url) is None
    assert store_revision(store_url) == HEAD_REVISION
    assert upgrade_store(store_url) == HEAD_REVISION


def test_store_opens_database_of_a_newer_eventlens_with_clear_error(store_url: str):
    EventStore.open(store_url).close()
    engine = make_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="revision '9999'.*newer version"):
        EventStore.open(store_url)


def test_store_refuses_pre_migration_sqlite_file_with_advice(tmp_path: Path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:  # the tables eventlens 0.1.0 created, without Alembic
        conn.executescript("""
            CREATE TABLE documents (id VARCHAR(200) PRIMARY KEY, content_hash VARCHAR(64),
                                    text TEXT NOT NULL);
            CREATE TABLE events (event_id VARCHAR(40) PRIMARY KEY, doc_id VARCHAR(200),
                                 payload TEXT NOT NULL);
            CREATE TABLE evidence (event_id VARCHAR(40), doc_id VARCHAR(200), start INTEGER,
                                   "end" INTEGER, sentence TEXT);
            INSERT INTO documents VALUES ('d1', 'abc', 'Some text.');
        """)
    with pytest.raises(StoreError, match="without schema migrations.*ingest your documents "
                                         "again"):
        EventStore.open(str(path))
    with sqlite3.connect(path) as conn:  # and it was left as it was
        assert conn.execute("SELECT count(*) FROM documents").fetchone() == (1,)


def test_database_url_maps_paths_and_postgres_driver():
    assert database_url("x.db") == f"sqlite:///{Path('x.db')}"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_store_copies_knowledge_base_and_replaces_it_when_it_changes(store_url: str, kb):
    doc = make_doc("d1")
    store = EventStore.open(store_url, kb=kb)
    store.add(doc, [make_event(doc, "ev-1", actors=(("Islamic State Khorasan Province", "iskp",
                                                       "group"),))])
    assert len(store.events(EventQuery(actor="ISIS"))) == 1
    store.close()
    # A knowledge base where ISKP has no parent: asking for ISIS no longer finds ISIS-K events.
    small = ActorKB([Actor(id="isis", name="Islamic State", kind="group"),
                     Actor(id="iskp", name="Islamic State Khorasan Province", kind="group",
                           aliases=("ISIS-K",))], GenericLexicon((), ()))
    store = EventStore.open(store_url, kb=small)
    other = make_doc("d2")
    store.add(other, [])
    try:
        assert store.counts()["actors"] == 2
        assert store.events(EventQuery(actor="ISIS")) == []
        assert len(store.events(EventQuery(actor="ISIS-K"))) == 1
    finally:
        store.close()


def test_store_sqlite_uses_wal_journal(tmp_path: Path):
    path = tmp_path / "wal.db"
    EventStore.open(str(path)).close()
    with sqlite3.connect(path) as conn:  # WAL is a property of the file, seen by any client
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_write_transaction_rolls_back_on_error(store_url: str):
    EventStore.open(store_url).close()
    engine = make_engine(store_url)
    with pytest.raises(RuntimeError):
        with write_transaction(engine) as conn:
            conn.execute(text("INSERT INTO store_meta (key, value) VALUES ('k', 'v')"))
            raise RuntimeError("crash mid-transaction")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM store_meta WHERE key = 'k'")).scalar() == 0
    engine.dispose()


_WRITER = textwrap.dedent("""
    import datetime as dt, hashlib, os, sys, time
    from eventlens.models import Document, Event, EventDate, Evidence, Location
    from eventlens.resolve.actor_kb import ActorKB, GenericLexicon
    from eventlens.store import EventStore

    db, prefix, go, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = EventStore.open(db, kb=ActorKB([], GenericLexicon((), ())))
    deadline = time.monotonic() + 20
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.005)
    kunduz = Location(text="Kunduz", name="Kunduz", country="AF", lat=36.73, lon=68.86,
                      precision="city")
    for i in range(n):
        text = f"Document {prefix}-{i}: clashes were reported in Kunduz."
        doc = Document(id=f"{prefix}-{i}", text=text,
                       content_hash=hashlib.sha256(text.encode()).hexdigest())
        day = dt.date(2024, 1, 1) + dt.timedelta(days=i)
        events = [Event(doc_id=doc.id, event_id=f"ev-{prefix}-{i}-{k}", type="ASSAULT",
                        date=EventDate(start=day, end=day, precision="day"), location=kunduz,
                        killed=k, evidence=[Evidence(sentence=text[:8], start=0, end=8)],
                        confidence=0.5) for k in range(3)]
        assert store.add(doc, events) == "added"
    store.close()
""")


def test_store_two_processes_write_same_store_concurrently(store_url: str, kb):
    go = Path(os.environ.get("TMPDIR", "/tmp")) / f"go-{os.getpid()}-{time.monotonic_ns()}"
    n = 30
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, store_url, prefix, str(go),
                               str(n)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for prefix in ("a", "b")]
    try:
        time.sleep(0.5)  # let both open the (new) store, then release them together
        go.touch()
        results = [p.communicate(timeout=120) for p in procs]
    finally:
        go.unlink(missing_ok=True)
    for proc, (_out, err) in zip(procs, results):
        assert proc.returncode == 0, err.decode()
    store = EventStore.open(store_url, kb=kb)
    try:
        counts = store.counts()
        assert counts["documents"] == 2 * n
        assert counts["reports"] == counts["mentions"] == 2 * n * 3
        assert store.document("a-0") is not None and store.document(f"b-{n - 1}") is not None
        with store.engine.connect() as conn:
            orphans = conn.execute(text("SELECT count(*) FROM reports WHERE event_id NOT IN "
                                        "(SELECT event_id FROM events)")).scalar()
            seqs = conn.execute(text("SELECT count(DISTINCT seq), count(*) FROM events")).one()
            # Every incident's view was written with all of its reports (no lost update).
            stale = conn.execute(text(
                "SELECT count(*) FROM events e WHERE n_sources <> (SELECT count(DISTINCT doc_id) "
                "FROM reports r WHERE r.event_id = e.event_id)")).scalar()
        assert orphans == 0 and stale == 0 and seqs[0] == seqs[1]
        assert counts["events"] < 2 * n * 3  # reports of the two writers were merged
    finally:
        store.close()


_ENDLESS_WRITER = textwrap.dedent("""
    import hashlib, sys
    from eventlens.models import Document, Event, Evidence
    from eventlens.resolve.actor_kb import ActorKB, GenericLexicon
    from eventlens.store import EventStore

    store = EventStore.open(sys.argv[1], kb=ActorKB([], GenericLexicon((), ())))
    for i in range(100000):
        text = f"Document {i}: " + "fighting was reported. " * 50
        doc = Document(id=f"d-{i}", text=text,
                       content_hash=hashlib.sha256(text.encode()).hexdigest())
        store.add(doc, [Event(doc_id=doc.id, event_id=f"ev-{i}-{k}", type="ASSAULT",
                              evidence=[Evidence(sentence=text[:8], start=0, end=8)] * 5,
                              confidence=0.5) for k in range(4)])
        if i == 5:
            print("writing", flush=True)
""")


def test_store_killed_writer_leaves_no_half_written_document(store_url: str, kb):
    proc = subprocess.Popen([sys.executable, "-c", _ENDLESS_WRITER, store_url],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline() == b"writing\n", proc.stderr.read().decode()
        time.sleep(0.3)
    finally:
        proc.kill()  # SIGKILL: no cleanup, possibly in the middle of a transaction
        proc.wait(timeout=30)
    store = EventStore.open(store_url, kb=kb)
    try:
        counts = store.counts()
        assert counts["documents"] > 5
        assert counts["reports"] == counts["events"] == 4 * counts["documents"]
        assert counts["mentions"] == 5 * counts["reports"]
    finally:
        store.close()
