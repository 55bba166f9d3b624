"""Tables of the event store (SQLAlchemy Core; one code path for SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = ["documents", "event_actors", "events", "evidence", "failures", "metadata"]

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text), Column("url", Text), Column("source", String(300)),
    Column("published", Date), Column("language", String(20)), Column("origin", Text),
    Column("text", Text, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

events = Table(
    "events", metadata,
    Column("event_id", String(40), primary_key=True),
    Column("doc_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(20), nullable=False), Column("modality", String(20), nullable=False),
    Column("date_start", Date), Column("date_end", Date), Column("date_precision", String(10)),
    Column("country", String(2)), Column("admin1", String(200)), Column("place", String(300)),
    Column("lat", Float), Column("lon", Float),
    Column("killed", Integer), Column("injured", Integer), Column("arrested", Integer),
    Column("confidence", Float, nullable=False),
    Column("payload", Text, nullable=False),  # the contract JSON, the source of truth for reads
    Index("ix_events_country_date", "country", "date_start"),
    Index("ix_events_type", "type"),
    Index("ix_events_doc", "doc_id"),
)

event_actors = Table(
    "event_actors", metadata,
    Column("event_id", String(40), ForeignKey("events.event_id", ondelete="CASCADE"),
           nullable=False),
    Column("role", String(12), nullable=False), Column("name", String(300), nullable=False),
    Column("actor_id", String(120)), Column("kind", String(12)), Column("country", String(2)),
    Index("ix_event_actors_name", "name"), Index("ix_event_actors_actor", "actor_id"),
    Index("ix_event_actors_event", "event_id"),
)

evidence = Table(
    "evidence", metadata,
    Column("event_id", String(40), ForeignKey("events.event_id", ondelete="CASCADE"),
           nullable=False),
    Column("doc_id", String(200), nullable=False),
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False),
    Column("sentence", Text, nullable=False),
    Index("ix_evidence_event", "event_id"),
)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(200), nullable=False), Column("origin", Text),
    Column("error", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("doc_id", "error", name="uq_failures_doc_error"),
)
