"""The event store: documents, their reports merged into incidents, in SQLite or PostgreSQL.

Writes are one transaction per document, so an interrupted batch never leaves half a document.
Re-adding a document whose text is unchanged is a no-op that says so. Each extracted event is
stored as a *report* and merged across documents into an *incident* (``incidents.py``); queries
return incidents.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import logging
from typing import Iterable, Literal, Optional, Sequence

from sqlalchemy import Engine, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..errors import StoreError
from ..models import Document, DocumentFailure, Event, Evidence, Incident, Source
from ..resolve.actor_kb import ActorKB
from . import queries
from .actors import actor_labels, kb_version, sync_kb
from .engine import current_revision, driver_message, make_engine, upgrade, write_transaction
from .incidents import IncidentWriter
from .queries import EventQuery, Group
from .schema import documents, events, failures, mentions, metadata, reports

__all__ = ["AddOutcome", "EventStore"]

AddOutcome = Literal["added", "unchanged", "updated", "duplicate"]

log = logging.getLogger(__name__)

_DOCUMENT_FIELDS = ("id", "text", "title", "published", "url", "source", "language",
                    "content_hash", "origin")
_LOOKUP = select(documents.c.id, documents.c.content_hash).where(or_(
    documents.c.content_hash == bindparam("content_hash"), documents.c.id == bindparam("id")))
# A bug in a merge rule must cost one document (recorded as a failure), not the batch.
_RULE_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, ArithmeticError)


class EventStore:
    """Repository over the store's tables.

    engine (Engine): an SQLAlchemy engine with an up-to-date schema; use :meth:`open`.
    kb (ActorKB | None): the actor knowledge base used for merging and copied into the store;
        the packaged one is loaded on the first write when None.
    """

    def __init__(self, engine: Engine, kb: Optional[ActorKB] = None) -> None:
        self.engine = engine
        self._kb = kb
        self._kb_version: Optional[str] = None
        self._kb_synced = False

    @classmethod
    def open(cls, db: str, kb: Optional[ActorKB] = None) -> "EventStore":
        """Open the store named by the ``db`` setting, creating or upgrading its schema.

        db (str): a SQLite path or an SQLAlchemy URL.
        kb (ActorKB | None): the actor knowledge base (see the class).
        RETURNS (EventStore): the opened store.
        RAISES StoreError: when the database cannot be opened or created, or holds a store this
            eventlens cannot upgrade.
        """
        engine = make_engine(db)
        try:
            upgrade(engine)
        except StoreError:
            engine.dispose()
            raise
        return cls(engine, kb)

    def with_kb(self, kb: ActorKB) -> "EventStore":
        """The same store (sharing its engine) merging with another knowledge base.

        kb (ActorKB): e.g. the pipeline's, so extraction and merging agree.
        RETURNS (EventStore): a new store object; close either one to release the engine.
        """
        return EventStore(self.engine, kb)

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def revision(self) -> Optional[str]:
        """RETURNS (str | None): the schema revision of the store (see ``engine.HEAD_REVISION``)."""
        return current_revision(self.engine)

    # -- writing ----------------------------------------------------------------------------

    def _writer(self) -> IncidentWriter:
        if self._kb is None:
            self._kb = ActorKB.load()
        if self._kb_version is None:
            self._kb_version = kb_version(self._kb)
        return IncidentWriter(self._kb)

    def _sync_kb(self, conn) -> None:
        if not self._kb_synced:
            sync_kb(conn, self._kb, self._kb_version)

    def add(self, document: Document, doc_events: Iterable[Event]) -> AddOutcome:
        """Store a document and its events in one transaction, merging each into an incident.

        document (Document): the document.
        doc_events (Iterable[Event]): its extracted events (each becomes a report).
        RETURNS (AddOutcome): "added"; "unchanged" when the same id and text are stored already;
            "duplicate" when the same text is stored under another id (nothing is written);
            "updated" when the id is known with a different text (its old reports are removed
            from their incidents and the new ones merged).
        RAISES StoreError: when the write fails; nothing of the document is kept then.
        """
        doc_events = list(doc_events)
        for ev in doc_events:
            if ev.doc_id != document.id:
                raise StoreError(f"event {ev.event_id!r} belongs to document {ev.doc_id!r}, "
                                 f"not {document.id!r}; store it with its own document")
        writer = self._writer()
        try:
            with write_transaction(self.engine) as conn:
                self._sync_kb(conn)
                outcome = self._add(conn, writer, document, doc_events)
        except SQLAlchemyError as exc:
            raise StoreError(f"could not store document {document.id!r} (nothing of it was "
                             f"kept): {driver_message(exc)}") from exc
        except _RULE_ERRORS as exc:
            log.exception("merging failed on %s", document.id)
            raise StoreError(f"could not merge the events of document {document.id!r} (nothing "
                             f"of it was kept): internal error {exc!r}") from exc
        self._kb_synced = True
        return outcome

    def _add(self, conn, writer: IncidentWriter, document: Document,
             doc_events: Sequence[Event]) -> AddOutcome:
        known, stale = self._lookup(conn, document)
        if known is not None:
            return known
        if stale:
            writer.remove_document(conn, document.id)
            conn.execute(documents.delete().where(documents.c.id == document.id))
        conn.execute(documents.insert(), dict(
            id=document.id, content_hash=document.content_hash, title=document.title,
            url=document.url, source=document.source, published=document.published,
            language=document.language, origin=document.origin, text=document.text,
            ingested_at=dt.datetime.now(dt.timezone.utc)))
        for ev in doc_events:
            writer.add_report(conn, ev)
        return "updated" if stale else "added"

    def known(self, document: Document) -> Optional[AddOutcome]:
        """Tell whether adding ``document`` would change nothing, without writing.

        document (Document): the document.
        RETURNS (AddOutcome | None): "unchanged" or "duplicate" as :meth:`add` would answer;
            None when :meth:`add` would write it.
        RAISES StoreError: when the store cannot be read.
        """
        try:
            with self.engine.connect() as conn:
                return self._lookup(conn, document)[0]
        except SQLAlchemyError as exc:
            raise StoreError(f"could not look up document {document.id!r}: {exc}") from exc

    @staticmethod
    def _lookup(conn, document: Document) -> tuple[Optional[AddOutcome], bool]:
        """What :meth:`add` would answer without writing, and whether the id is stored."""
        rows = conn.execute(_LOOKUP, {"content_hash": document.content_hash,
                                      "id": document.id}).all()
        stale = any(r.id == document.id for r in rows)
        # The text decides first: the same text under another id is a duplicate even when
        # this id is stored too (with another text), so the unique content hash holds.
        same_text = [r for r in rows if r.content_hash == document.content_hash]
        if not same_text:
            return None, stale
        return ("unchanged" if same_text[0].id == document.id else "duplicate"), stale

    def split(self, event_id: str, *, report_ids: Sequence[str] = (),
              doc_id: Optional[str] = None) -> str:
        """Undo a merge: detach reports from an incident into a new incident.

        The detached reports are pinned (``Source.pinned``) and remember where they came from.

        event_id (str): the incident.
        report_ids (Sequence[str]): reports to detach.
        doc_id (str | None): detach this document's reports (added to ``report_ids``).
        RETURNS (str): the new incident's id.
        RAISES StoreError: when the incident is unknown, a report or document is not part of
            it, every report would leave, or the write fails.
        """
        writer = self._writer()
        try:
            with write_transaction(self.engine) as conn:
                self._sync_kb(conn)
                wanted = list(report_ids)
                if doc_id is not None:
                    of_doc = conn.execute(select(reports.c.report_id).where(
                        reports.c.event_id == event_id,
                        reports.c.doc_id == doc_id)).scalars().all()
                    if not of_doc:
                        raise StoreError(f"document {doc_id!r} is not a source of {event_id!r}; "
                                         f"'eventlens show {event_id}' lists its sources")
                    wanted.extend(of_doc)
                new_id = writer.split(conn, event_id, wanted)
        except SQLAlchemyError as exc:
            raise StoreError(f"could not split {event_id!r}: {driver_message(exc)}") from exc
        except _RULE_ERRORS as exc:
            log.exception("split failed on %s", event_id)
            raise StoreError(f"could not split {event_id!r}: internal error {exc!r}") from exc
        self._kb_synced = True
        return new_id

    def add_failure(self, failure: DocumentFailure) -> None:
        """Record a document that could not be processed (once per document and error).

        failure (DocumentFailure): the failure.
        RAISES StoreError: when the write fails.
        """
        error_hash = hashlib.sha256(failure.error.encode("utf-8")).hexdigest()
        try:
            with write_transaction(self.engine) as conn:
                known = conn.execute(select(failures.c.id).where(
                    failures.c.doc_id == failure.doc_id,
                    failures.c.error_hash == error_hash)).first()
                if known is None:
                    conn.execute(failures.insert().values(
                        doc_id=failure.doc_id, origin=failure.origin, error=failure.error,
                        error_hash=error_hash, at=dt.datetime.now(dt.timezone.utc)))
        except IntegrityError:
            return  # another process recorded the same failure in the meantime
        except SQLAlchemyError as exc:
            raise StoreError(f"could not record the failure of {failure.doc_id!r}: "
                             f"{driver_message(exc)}") from exc

    # -- reading ----------------------------------------------------------------------------

    def _read(self, what: str, fn, *args):
        try:
            with self.engine.connect() as conn:
                return fn(conn, *args)
        except SQLAlchemyError as exc:
            raise StoreError(f"could not read {what}: {driver_message(exc)}") from exc

    def events(self, query: EventQuery = EventQuery()) -> list[Event]:
        """Return the incidents matching ``query`` (their merged events), newest first.

        query (EventQuery): filters.
        RETURNS (list[Event]): one merged event per incident; undated incidents come last.
        RAISES StoreError: when the query fails.
        """
        return _parse_events(self._read("events", queries.select_payloads, query))

    def count(self, query: EventQuery = EventQuery()) -> int:
        """Count the incidents matching ``query`` (its ``limit`` is ignored).

        query (EventQuery): filters.
        RETURNS (int): the number of incidents.
        RAISES StoreError: when the query fails.
        """
        return self._read("events", queries.count_events, query)

    def date_counts(self, query: EventQuery = EventQuery(), group: Optional[Group] = None
                    ) -> list[tuple[Optional[dt.date], Optional[str], int]]:
        """Incidents per start day, optionally per country or actor (see ``analyze.trends``).

        query (EventQuery): filters.
        group (str | None): ``"country"``, ``"actor"`` or None.
        RETURNS (list[tuple[date | None, str | None, int]]): (day, key, count) rows.
        RAISES StoreError: when the query fails.
        """
        return self._read("event counts", queries.date_counts, query, group)

    def actor_names(self, actor_ids: Iterable[str]) -> dict[str, str]:
        """Canonical names of actors in the store's copy of the knowledge base.

        actor_ids (Iterable[str]): actor ids.
        RETURNS (dict[str, str]): id -> name for the ids it knows.
        RAISES StoreError: when the query fails.
        """
        return self._read("actors", actor_labels, actor_ids)

    def source_counts(self, event_ids: Iterable[str]) -> dict[str, int]:
        """Number of distinct documents reporting each incident.

        event_ids (Iterable[str]): incident ids.
        RETURNS (dict[str, int]): id -> number of sources, for the ids that exist.
        RAISES StoreError: when the query fails.
        """
        wanted = sorted(set(event_ids))

        def read(conn) -> dict[str, int]:
            found: dict[str, int] = {}
            for chunk in range(0, len(wanted), 500):
                found.update(conn.execute(select(events.c.event_id, events.c.n_sources).where(
                    events.c.event_id.in_(wanted[chunk:chunk + 500]))).all())
            return found
        return self._read("source counts", read)

    def event(self, event_id: str) -> Optional[Event]:
        """Return one incident's merged event.

        event_id (str): the incident's id.
        RETURNS (Event | None): the merged event, or None when the id is unknown.
        RAISES StoreError: when the query fails.
        """
        row = self._read(f"event {event_id!r}", lambda conn: conn.execute(
            select(events.c.payload).where(events.c.event_id == event_id)).scalar())
        return Event.model_validate_json(row) if row else None

    def report(self, report_id: str) -> Optional[Event]:
        """Return one report: an event as the extractor produced it from its document.

        report_id (str): the extractor's ``event_id``.
        RETURNS (Event | None): the event, or None when the id is unknown.
        RAISES StoreError: when the query fails.
        """
        row = self._read(f"report {report_id!r}", lambda conn: conn.execute(
            select(reports.c.payload).where(reports.c.report_id == report_id)).scalar())
        return Event.model_validate_json(row) if row else None

    def incident_id(self, any_id: str) -> Optional[str]:
        """The incident an id names: an incident id itself, or the incident a report is in.

        any_id (str): an incident id (``in-...``) or a report id (``ev-...``).
        RETURNS (str | None): the incident id, or None when the id is unknown.
        RAISES StoreError: when the query fails.
        """
        def find(conn) -> Optional[str]:
            if conn.execute(select(events.c.event_id).where(
                    events.c.event_id == any_id)).first() is not None:
                return any_id
            return conn.execute(select(reports.c.event_id).where(
                reports.c.report_id == any_id)).scalar()
        return self._read(f"id {any_id!r}", find)

    def sources(self, event_id: str) -> list[Source]:
        """Every report of an incident with its document and why it was merged.

        event_id (str): the incident's id.
        RETURNS (list[Source]): in the order the reports joined; empty for an unknown id.
        RAISES StoreError: when the query fails.
        """
        return self._read(f"the sources of {event_id!r}", _sources, event_id)

    def incident(self, event_id: str) -> Optional[Incident]:
        """One incident: merged event, reconciled toll and sources.

        event_id (str): the incident's id.
        RETURNS (Incident | None): the incident, or None when the id is unknown.
        RAISES StoreError: when the query fails.
        """
        def read(conn) -> Optional[Incident]:
            row = conn.execute(select(events.c.payload, events.c.killed_low,
                                      events.c.killed_high, events.c.n_sources).where(
                events.c.event_id == event_id)).first()
            if row is None:
                return None
            return Incident(event=Event.model_validate_json(row.payload),
                            killed_low=row.killed_low, killed_high=row.killed_high,
                            n_sources=row.n_sources, sources=_sources(conn, event_id))
        return self._read(f"event {event_id!r}", read)

    def document(self, doc_id: str) -> Optional[Document]:
        """Return one stored document.

        doc_id (str): the document's id.
        RETURNS (Document | None): the document as stored, or None when the id is unknown.
        RAISES StoreError: when the query fails.
        """
        row = self._read(f"document {doc_id!r}", lambda conn: conn.execute(
            select(documents).where(documents.c.id == doc_id)).mappings().first())
        if row is None:
            return None
        return Document(**{k: row[k] for k in _DOCUMENT_FIELDS})

    def failures(self) -> list[DocumentFailure]:
        """Return the recorded failures, oldest first.

        RETURNS (list[DocumentFailure]): one per (document, error).
        RAISES StoreError: when the query fails.
        """
        rows = self._read("the failures", lambda conn: conn.execute(
            select(failures.c.doc_id, failures.c.error, failures.c.origin).order_by(
                failures.c.id)).all())
        return [DocumentFailure(doc_id=r.doc_id, error=r.error, origin=r.origin) for r in rows]

    def counts(self) -> dict[str, int]:
        """Return row counts per table.

        RETURNS (dict[str, int]): table name -> rows, for every table of the store.
        RAISES StoreError: when the query fails.
        """
        return self._read("the stored rows", lambda conn: {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables})


def _parse_events(payloads: list[str]) -> list[Event]:
    """Validate stored contract JSON into events, many at a time.

    Building thousands of objects sets the cyclic garbage collector off again and again, each
    time scanning the whole heap; events hold no reference cycles, so it is paused meanwhile
    (three to four times faster for a result of 5,000 incidents).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return [Event.model_validate_json(p) for p in payloads]
    finally:
        if paused:
            gc.enable()


def _sources(conn, event_id: str) -> list[Source]:
    rows = conn.execute(
        select(reports.c.report_id, reports.c.doc_id, reports.c.payload,
               reports.c.merge_reasons, reports.c.merge_conflicts, reports.c.merge_score,
               reports.c.pinned, reports.c.split_from, documents.c.title, documents.c.source,
               documents.c.url, documents.c.published)
        .join(documents, documents.c.id == reports.c.doc_id)
        .where(reports.c.event_id == event_id)
        .order_by(reports.c.position, reports.c.report_id)).all()
    evidence: dict[str, list[Evidence]] = {}
    if rows:
        for m in conn.execute(select(mentions).where(mentions.c.report_id.in_(
                [r.report_id for r in rows])).order_by(mentions.c.report_id, mentions.c.ordinal)):
            evidence.setdefault(m.report_id, []).append(
                Evidence(sentence=m.sentence, start=m.start, end=m.end))
    return [Source(report_id=r.report_id, doc_id=r.doc_id, title=r.title, source=r.source,
                   url=r.url, published=r.published, evidence=evidence.get(r.report_id, []),
                   merge_reasons=json.loads(r.merge_reasons),
                   merge_conflicts=json.loads(r.merge_conflicts), merge_score=r.merge_score,
                   killed=Event.model_validate_json(r.payload).killed, pinned=r.pinned,
                   split_from=r.split_from) for r in rows]
