"""store stage: the event store (SQLite by default, PostgreSQL by URL)."""

from .repository import AddOutcome, EventQuery, EventStore, database_url

__all__ = ["AddOutcome", "EventQuery", "EventStore", "database_url"]
