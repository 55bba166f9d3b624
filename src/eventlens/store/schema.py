"""Tables of the event store (SQLAlchemy Core; one code path for SQLite and PostgreSQL).

    documents      one row per ingested article (content hash, url, source, published, text)
    reports        one row per event the extractor found in a document (its contract JSON),
                   attached to exactly one incident, with why it was merged there
    mentions       the evidence of a report: sentence and character offsets into the document
    events         the incidents: reports of the same happening merged across documents, with
                   the indexed columns queries filter on and the merged contract JSON
    event_actors   actors of an incident (recomputed whenever its reports change)
    event_modes    modes of an incident ("explosives", "suicide-attack", ...)
    places         the resolved places incidents refer to
    actors         the actor knowledge base the store was last written with ...
    actor_aliases  ... and its names and aliases, so actor queries are plain SQL
    store_meta     key/value facts about the store (the knowledge base's version)
    failures       documents that could not be processed

The schema changes only through Alembic revisions in ``migrations/versions``; a test checks that
the revisions produce exactly these tables.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
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

__all__ = [
    "actor_aliases",
    "actors",
    "documents",
    "event_actors",
    "event_modes",
    "events",
    "failures",
    "mentions",
    "metadata",
    "places",
    "reports",
    "store_meta",
]

metadata = MetaData()

# PostgreSQL enforces these lengths (SQLite does not): generous for ids that may be paths/URLs.
_ID = 1000
_EVENT_ID = 64
_ACTOR_ID = 120
_CC = 8  # ISO 3166-1 alpha-2 in practice

documents = Table(
    "documents", metadata,
    Column("id", String(_ID), primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text), Column("url", Text), Column("source", Text),
    Column("published", Date), Column("language", String(35)), Column("origin", Text),
    Column("text", Text, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

places = Table(
    "places", metadata,
    # "gn:<geonames id>", or "loc:<hash of name, country, admin1, precision>" without one.
    Column("place_id", String(80), primary_key=True),
    Column("geonames_id", Integer),
    Column("name", Text, nullable=False),
    Column("country", String(_CC)), Column("admin1", Text),
    Column("lat", Float), Column("lon", Float),
    Column("precision", String(10), nullable=False),
    Index("ix_places_geonames", "geonames_id"),
)

events = Table(
    "events", metadata,
    Column("event_id", String(_EVENT_ID), primary_key=True),
    Column("type", String(20), nullable=False), Column("modality", String(20), nullable=False),
    Column("date_start", Date), Column("date_end", Date), Column("date_precision", String(10)),
    Column("country", String(_CC)), Column("admin1", Text), Column("place", Text),
    Column("place_id", String(80), ForeignKey("places.place_id")),
    Column("lat", Float), Column("lon", Float),
    Column("killed", Integer), Column("killed_low", Integer), Column("killed_high", Integer),
    Column("injured", Integer), Column("arrested", Integer),
    Column("confidence", Float, nullable=False),
    Column("n_sources", Integer, nullable=False),
    Column("seq", Integer, nullable=False),  # creation order: on a tie the older incident wins
    Column("payload", Text, nullable=False),  # merged contract JSON, the source of truth for reads
    Index("ix_events_country_date", "country", "date_start"),
    Index("ix_events_country_admin1", "country", "admin1"),
    Index("ix_events_date", "date_start"),
    Index("ix_events_type_date", "type", "date_start"),
    Index("ix_events_lat_lon", "lat", "lon"),
    Index("ix_events_seq", "seq", unique=True),
)

reports = Table(
    "reports", metadata,
    Column("report_id", String(_EVENT_ID), primary_key=True),  # the extractor's event_id
    Column("event_id", String(_EVENT_ID), ForeignKey("events.event_id"), nullable=False),
    Column("doc_id", String(_ID), ForeignKey("documents.id", ondelete="CASCADE"),
           nullable=False),
    Column("position", Integer, nullable=False),  # order within the incident, founder 0
    Column("payload", Text, nullable=False),  # the report's own contract JSON, never changed
    Column("merge_reasons", Text, nullable=False),  # JSON list; [] for a founding report
    Column("merge_conflicts", Text, nullable=False),  # JSON list of disagreements seen
    Column("merge_score", Float),  # None for a founding report
    Column("pinned", Boolean, nullable=False),  # split off by a user: never merged again
    Column("split_from", String(_EVENT_ID)),  # the incident it was split off from
    # Blocking columns of the report itself (merging.in_block): a new report is compared only
    # with reports of a compatible type whose dates meet its window, in its country or none.
    Column("type", String(20), nullable=False),
    Column("date_start", Date), Column("date_end", Date),  # None: no usable date, never a candidate
    # "" when unknown (not NULL): "country IN (:cc, '')" searches the (country, date) index.
    Column("country", String(_CC), nullable=False),
    Column("lat", Float), Column("lon", Float),
    Column("specific", Boolean, nullable=False),  # place of admin1 precision or finer
    Index("ix_reports_event", "event_id"),
    Index("ix_reports_doc", "doc_id"),
    Index("ix_reports_country_date", "country", "date_start"),
    Index("ix_reports_date", "date_start"),
)

mentions = Table(
    "mentions", metadata,
    Column("report_id", String(_EVENT_ID), ForeignKey("reports.report_id", ondelete="CASCADE"),
           primary_key=True),
    Column("ordinal", Integer, primary_key=True),
    Column("doc_id", String(_ID), ForeignKey("documents.id", ondelete="CASCADE"),
           nullable=False),
    Column("sentence", Text, nullable=False),
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False),
    Index("ix_mentions_doc", "doc_id"),
)

event_actors = Table(
    "event_actors", metadata,
    Column("event_id", String(_EVENT_ID), ForeignKey("events.event_id", ondelete="CASCADE"),
           primary_key=True),
    Column("ordinal", Integer, primary_key=True),
    Column("role", String(12), nullable=False), Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),  # actor_kb.name_key(name)
    Column("actor_id", String(_ACTOR_ID)), Column("kind", String(12)),
    Column("country", String(_CC)),
    Index("ix_event_actors_actor", "actor_id"),
    Index("ix_event_actors_name_key", "name_key"),
)

event_modes = Table(
    "event_modes", metadata,
    Column("event_id", String(_EVENT_ID), ForeignKey("events.event_id", ondelete="CASCADE"),
           primary_key=True),
    Column("mode", String(40), primary_key=True),
    Index("ix_event_modes_mode", "mode"),
)

actors = Table(
    "actors", metadata,
    Column("actor_id", String(_ACTOR_ID), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(12), nullable=False),
    Column("country", String(_CC)),
    Column("parent_id", String(_ACTOR_ID)),  # no foreign key: the KB is loaded as one batch
    Column("generic", Boolean, nullable=False),
    Column("description", Text),
    Index("ix_actors_parent", "parent_id"),
)

actor_aliases = Table(
    "actor_aliases", metadata,
    Column("actor_id", String(_ACTOR_ID), ForeignKey("actors.actor_id", ondelete="CASCADE"),
           primary_key=True),
    Column("alias", Text, primary_key=True),  # the canonical name is one of them
    Column("alias_key", Text, nullable=False),  # actor_kb.name_key(alias)
    Index("ix_actor_aliases_key", "alias_key"),
)

store_meta = Table(
    "store_meta", metadata,
    Column("key", String(60), primary_key=True),
    Column("value", Text, nullable=False),
)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(_ID), nullable=False), Column("origin", Text),
    Column("error", Text, nullable=False),
    # sha256 of the error: PostgreSQL cannot put a long text into a unique index.
    Column("error_hash", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("doc_id", "error_hash", name="uq_failures_doc_error"),
)
