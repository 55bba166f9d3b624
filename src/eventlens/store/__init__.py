"""store stage: the event store (SQLite by default, PostgreSQL by URL), merging across sources."""

from .engine import HEAD_REVISION, database_url, store_revision, upgrade_store
from .queries import EventQuery
from .repository import AddOutcome, EventStore

__all__ = ["AddOutcome", "EventQuery", "EventStore", "HEAD_REVISION", "database_url",
           "store_revision", "upgrade_store"]
