"""The first migrated schema: documents, reports, mentions, incidents, actors, places.

Revision ID: 0001
Revises:
Create Date: 2025-01-20
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = 1000
_EVENT_ID = 64
_ACTOR_ID = 120
_CC = 8


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(_ID), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.Text()), sa.Column("url", sa.Text()),
        sa.Column("source", sa.Text()), sa.Column("published", sa.Date()),
        sa.Column("language", sa.String(35)), sa.Column("origin", sa.Text()),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "places",
        sa.Column("place_id", sa.String(80), primary_key=True),
        sa.Column("geonames_id", sa.Integer()),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(_CC)), sa.Column("admin1", sa.Text()),
        sa.Column("lat", sa.Float()), sa.Column("lon", sa.Float()),
        sa.Column("precision", sa.String(10), nullable=False),
    )
    op.create_index("ix_places_geonames", "places", ["geonames_id"])
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(_EVENT_ID), primary_key=True),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("modality", sa.String(20), nullable=False),
        sa.Column("date_start", sa.Date()), sa.Column("date_end", sa.Date()),
        sa.Column("date_precision", sa.String(10)),
        sa.Column("country", sa.String(_CC)), sa.Column("admin1", sa.Text()),
        sa.Column("place", sa.Text()),
        sa.Column("place_id", sa.String(80), sa.ForeignKey("places.place_id")),
        sa.Column("lat", sa.Float()), sa.Column("lon", sa.Float()),
        sa.Column("killed", sa.Integer()), sa.Column("killed_low", sa.Integer()),
        sa.Column("killed_high", sa.Integer()),
        sa.Column("injured", sa.Integer()), sa.Column("arrested", sa.Integer()),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("n_sources", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
    )
    op.create_index("ix_events_country_date", "events", ["country", "date_start"])
    op.create_index("ix_events_country_admin1", "events", ["country", "admin1"])
    op.create_index("ix_events_date", "events", ["date_start"])
    op.create_index("ix_events_type_date", "events", ["type", "date_start"])
    op.create_index("ix_events_lat_lon", "events", ["lat", "lon"])
    op.create_index("ix_events_seq", "events", ["seq"], unique=True)
    op.create_table(
        "reports",
        sa.Column("report_id", sa.String(_EVENT_ID), primary_key=True),
        sa.Column("event_id", sa.String(_EVENT_ID), sa.ForeignKey("events.event_id"),
                  nullable=False),
        sa.Column("doc_id", sa.String(_ID),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("merge_reasons", sa.Text(), nullable=False),
        sa.Column("merge_conflicts", sa.Text(), nullable=False),
        sa.Column("merge_score", sa.Float()),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("split_from", sa.String(_EVENT_ID)),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("date_start", sa.Date()), sa.Column("date_end", sa.Date()),
        sa.Column("country", sa.String(_CC), nullable=False),
        sa.Column("lat", sa.Float()), sa.Column("lon", sa.Float()),
        sa.Column("specific", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_reports_event", "reports", ["event_id"])
    op.create_index("ix_reports_doc", "reports", ["doc_id"])
    op.create_index("ix_reports_country_date", "reports", ["country", "date_start"])
    op.create_index("ix_reports_date", "reports", ["date_start"])
    op.create_table(
        "mentions",
        sa.Column("report_id", sa.String(_EVENT_ID),
                  sa.ForeignKey("reports.report_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("ordinal", sa.Integer(), primary_key=True),
        sa.Column("doc_id", sa.String(_ID),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
    )
    op.create_index("ix_mentions_doc", "mentions", ["doc_id"])
    op.create_table(
        "event_actors",
        sa.Column("event_id", sa.String(_EVENT_ID),
                  sa.ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("ordinal", sa.Integer(), primary_key=True),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.String(_ACTOR_ID)), sa.Column("kind", sa.String(12)),
        sa.Column("country", sa.String(_CC)),
    )
    op.create_index("ix_event_actors_actor", "event_actors", ["actor_id"])
    op.create_index("ix_event_actors_name_key", "event_actors", ["name_key"])
    op.create_table(
        "event_modes",
        sa.Column("event_id", sa.String(_EVENT_ID),
                  sa.ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("mode", sa.String(40), primary_key=True),
    )
    op.create_index("ix_event_modes_mode", "event_modes", ["mode"])
    op.create_table(
        "actors",
        sa.Column("actor_id", sa.String(_ACTOR_ID), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("country", sa.String(_CC)),
        sa.Column("parent_id", sa.String(_ACTOR_ID)),
        sa.Column("generic", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text()),
    )
    op.create_index("ix_actors_parent", "actors", ["parent_id"])
    op.create_table(
        "actor_aliases",
        sa.Column("actor_id", sa.String(_ACTOR_ID),
                  sa.ForeignKey("actors.actor_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("alias", sa.Text(), primary_key=True),
        sa.Column("alias_key", sa.Text(), nullable=False),
    )
    op.create_index("ix_actor_aliases_key", "actor_aliases", ["alias_key"])
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(60), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "failures",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("doc_id", sa.String(_ID), nullable=False),
        sa.Column("origin", sa.Text()),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("error_hash", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("doc_id", "error_hash", name="uq_failures_doc_error"),
    )


def downgrade() -> None:
    for table in ("failures", "store_meta", "actor_aliases", "actors", "event_modes",
                  "event_actors", "mentions", "reports", "events", "places", "documents"):
        op.drop_table(table)
