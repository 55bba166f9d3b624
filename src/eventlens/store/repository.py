"""The event store: documents, their events and evidence, in SQLite (default) or PostgreSQL.

Writes are one transaction per document, so an interrupted batch never leaves half a document.
Re-adding a document whose text is unchanged is a no-op that says so.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal, Optional

from sqlalchemy import Engine, create_engine, delete, event, func, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from ..errors import StoreError
from ..models import Document, DocumentFailure, Event
from .schema import documents, event_actors, events, evidence, failures, metadata

__all__ = ["AddOutcome", "EventQuery", "EventStore", "database_url"]

AddOutcome = Literal["added", "unchanged", "updated", "duplicate"]

_DOCUMENT_FIELDS = ("id", "text", "title", "published", "url", "source", "language",
                    "content_hash", "origin")


def database_url(db: str) -> str:
    """Turn the ``db`` setting into an SQLAlchemy URL (a bare path means a SQLite file).

    db (str): ``eventlens.db``, ``sqlite:///x.db`` or ``postgresql://user@host/name``.
    RETURNS (str): an SQLAlchemy URL.
    """
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser()}"


@dataclass(frozen=True)
class EventQuery:
    """Filters for :meth:`EventStore.events`; None means no filter."""

    actor_names: Optional[tuple[str, ...]] = None
    country: Optional[str] = None
    type: Optional[str] = None
    since: Optional[dt.date] = None
    until: Optional[dt.date] = None
    doc_id: Optional[str] = None
    doc_ids: Optional[tuple[str, ...]] = None
    limit: Optional[int] = None


_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # busy_timeout first: switching a fresh file to WAL needs a lock that another process
    # opening the same file may hold for a moment. WAL lets readers work while one writer
    # writes; busy_timeout makes a second writer wait instead of failing at once.
    cur.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
    # Let SQLAlchemy, not the driver, decide where transactions begin (see _sqlite_begin).
    dbapi_conn.isolation_level = None


def _sqlite_begin(conn) -> None:
    # A write transaction takes the write lock up front (BEGIN IMMEDIATE): a deferred one that
    # reads and then writes can fail at once with "database is locked" (SQLITE_BUSY_SNAPSHOT)
    # when another process committed in between, whatever busy_timeout says.
    write = conn.get_execution_options().get("eventlens_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _create_tables(engine: Engine) -> None:
    writer = engine.execution_options(eventlens_write=True)
    try:
        metadata.create_all(writer)
    except OperationalError:
        # Two processes opening a new store at once can both find a table missing; the
        # loser's CREATE TABLE fails with "already exists". Its second look finds every table.
        metadata.create_all(writer)


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's own message (without the SQL statement and its parameters)."""
    orig = getattr(exc, "orig", None)
    return f"{type(orig or exc).__name__}: {orig or exc}"


class EventStore:
    """Repository over the store's tables.

    engine (Engine): an SQLAlchemy engine; use :meth:`open` to build one from a setting.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Connections of this engine begin write transactions (BEGIN IMMEDIATE on SQLite).
        self._writer = engine.execution_options(eventlens_write=True)

    @classmethod
    def open(cls, db: str) -> "EventStore":
        """Open (and create if needed) the store named by the ``db`` setting.

        db (str): a SQLite path or an SQLAlchemy URL.
        RETURNS (EventStore): the opened store.
        RAISES StoreError: when the database cannot be opened or created.
        """
        url = database_url(db)
        try:
            engine = create_engine(url)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
                event.listen(engine, "begin", _sqlite_begin)
            _create_tables(engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the event store {db!r}: {exc.__class__.__name__}: "
                             f"{exc}. Check the path or URL and permissions") from exc
        return cls(engine)

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    # -- writing ----------------------------------------------------------------------------

    def add(self, document: Document, doc_events: Iterable[Event]) -> AddOutcome:
        """Store a document and its events in one transaction.

        document (Document): the document.
        doc_events (Iterable[Event]): its extracted events.
        RETURNS (AddOutcome): "added"; "unchanged" when the same id and text are stored already;
            "duplicate" when the same text is stored under another id (nothing is written);
            "updated" when the id is known with a different text (its old events are replaced).
        RAISES StoreError: when the write fails; nothing of the document is kept then.
        """
        try:
            with self._writer.begin() as conn:
                known = self._known(conn, document)
                if known is not None:
                    return known
                stale = conn.execute(select(documents.c.id).where(
                    documents.c.id == document.id)).first()
                if stale is not None:
                    conn.execute(delete(events).where(events.c.doc_id == document.id))
                    conn.execute(delete(documents).where(documents.c.id == document.id))
                conn.execute(documents.insert().values(
                    id=document.id, content_hash=document.content_hash, title=document.title,
                    url=document.url, source=document.source, published=document.published,
                    language=document.language, origin=document.origin, text=document.text,
                    ingested_at=dt.datetime.now(dt.timezone.utc)))
                for ev in doc_events:
                    self._insert_event(conn, ev)
                return "updated" if stale is not None else "added"
        except SQLAlchemyError as exc:
            raise StoreError(f"could not store document {document.id!r} (nothing of it was "
                             f"kept): {_reason(exc)}") from exc

    def known(self, document: Document) -> Optional[AddOutcome]:
        """Tell whether adding ``document`` would change nothing, without writing.

        document (Document): the document.
        RETURNS (AddOutcome | None): "unchanged" or "duplicate" as :meth:`add` would answer;
            None when :meth:`add` would write it.
        RAISES StoreError: when the store cannot be read.
        """
        try:
            with self.engine.connect() as conn:
                return self._known(conn, document)
        except SQLAlchemyError as exc:
            raise StoreError(f"could not look up document {document.id!r}: {exc}") from exc

    @staticmethod
    def _known(conn, document: Document) -> Optional[AddOutcome]:
        # The text decides first: the same text under another id is a duplicate even when
        # this id is stored too (with another text), so the unique content hash holds.
        row = conn.execute(select(documents.c.id).where(
            documents.c.content_hash == document.content_hash)).first()
        if row is None:
            return None
        return "unchanged" if row.id == document.id else "duplicate"

    @staticmethod
    def _insert_event(conn, ev: Event) -> None:
        loc = ev.location
        conn.execute(events.insert().values(
            event_id=ev.event_id, doc_id=ev.doc_id, type=ev.type, modality=ev.modality,
            date_start=ev.date.start, date_end=ev.date.end, date_precision=ev.date.precision,
            country=loc.country if loc else None, admin1=loc.admin1 if loc else None,
            place=loc.name if loc else None, lat=loc.lat if loc else None,
            lon=loc.lon if loc else None, killed=ev.killed, injured=ev.injured,
            arrested=ev.arrested, confidence=ev.confidence,
            payload=json.dumps(ev.to_contract(), ensure_ascii=False)))
        if ev.actors:
            conn.execute(event_actors.insert(), [
                {"event_id": ev.event_id, "role": a.role, "name": a.name, "actor_id": a.id,
                 "kind": a.kind, "country": a.country} for a in ev.actors])
        conn.execute(evidence.insert(), [
            {"event_id": ev.event_id, "doc_id": ev.doc_id, "start": e.start, "end": e.end,
             "sentence": e.sentence} for e in ev.evidence])

    def add_failure(self, failure: DocumentFailure) -> None:
        """Record a document that could not be processed (once per document and error).

        failure (DocumentFailure): the failure.
        RAISES StoreError: when the write fails.
        """
        try:
            with self._writer.begin() as conn:
                known = conn.execute(select(failures.c.id).where(
                    failures.c.doc_id == failure.doc_id,
                    failures.c.error == failure.error)).first()
                if known is None:
                    conn.execute(failures.insert().values(
                        doc_id=failure.doc_id, origin=failure.origin, error=failure.error,
                        at=dt.datetime.now(dt.timezone.utc)))
        except IntegrityError:
            return  # another process recorded the same failure in the meantime
        except SQLAlchemyError as exc:
            raise StoreError(f"could not record the failure of {failure.doc_id!r}: {exc}") from exc

    # -- reading ----------------------------------------------------------------------------

    def events(self, query: EventQuery = EventQuery()) -> list[Event]:
        """Return stored events matching ``query``, newest first.

        query (EventQuery): filters.
        RETURNS (list[Event]): the events.
        RAISES StoreError: when the query fails.
        """
        stmt = select(events.c.payload).order_by(events.c.date_start.desc().nulls_last(),
                                                 events.c.event_id)
        if query.country:
            stmt = stmt.where(events.c.country == query.country.upper())
        if query.type:
            stmt = stmt.where(events.c.type == query.type.upper())
        if query.since:
            stmt = stmt.where(events.c.date_end >= query.since)
        if query.until:
            stmt = stmt.where(events.c.date_start <= query.until)
        if query.doc_id:
            stmt = stmt.where(events.c.doc_id == query.doc_id)
        if query.doc_ids is not None:
            stmt = stmt.where(events.c.doc_id.in_(query.doc_ids))
        if query.actor_names:
            names = [n.lower() for n in query.actor_names]
            sub = select(event_actors.c.event_id).where(or_(
                func.lower(event_actors.c.name).in_(names),
                func.lower(event_actors.c.actor_id).in_(names)))
            stmt = stmt.where(events.c.event_id.in_(sub))
        if query.limit:
            stmt = stmt.limit(query.limit)
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).scalars().all()
        except SQLAlchemyError as exc:
            raise StoreError(f"event query failed: {exc}") from exc
        return [Event.model_validate(json.loads(r)) for r in rows]

    def event(self, event_id: str) -> Optional[Event]:
        """Return one event by id.

        event_id (str): the event's id.
        RETURNS (Event | None): the event as stored, or None when the id is unknown.
        RAISES StoreError: when the query fails.
        """
        try:
            with self.engine.connect() as conn:
                row = conn.execute(select(events.c.payload).where(
                    events.c.event_id == event_id)).scalar()
        except SQLAlchemyError as exc:
            raise StoreError(f"could not read event {event_id!r}: {exc}") from exc
        return Event.model_validate(json.loads(row)) if row else None

    def document(self, doc_id: str) -> Optional[Document]:
        """Return one stored document.

        doc_id (str): the document's id.
        RETURNS (Document | None): the document as stored, or None when the id is unknown.
        RAISES StoreError: when the query fails.
        """
        try:
            with self.engine.connect() as conn:
                row = conn.execute(select(documents).where(
                    documents.c.id == doc_id)).mappings().first()
        except SQLAlchemyError as exc:
            raise StoreError(f"could not read document {doc_id!r}: {exc}") from exc
        if row is None:
            return None
        return Document(**{k: row[k] for k in _DOCUMENT_FIELDS})

    def failures(self) -> list[DocumentFailure]:
        """Return the recorded failures, oldest first.

        RETURNS (list[DocumentFailure]): one per (document, error).
        RAISES StoreError: when the query fails.
        """
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(select(failures.c.doc_id, failures.c.error,
                                           failures.c.origin).order_by(failures.c.id)).all()
        except SQLAlchemyError as exc:
            raise StoreError(f"could not read the failures: {exc}") from exc
        return [DocumentFailure(doc_id=r.doc_id, error=r.error, origin=r.origin) for r in rows]

    def counts(self) -> dict[str, int]:
        """Return row counts per table.

        RETURNS (dict[str, int]): documents, events, event_actors, evidence and failures.
        RAISES StoreError: when the query fails.
        """
        try:
            with self.engine.connect() as conn:
                return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                        for t in (documents, events, event_actors, evidence, failures)}
        except SQLAlchemyError as exc:
            raise StoreError(f"could not count the stored rows: {exc}") from exc
