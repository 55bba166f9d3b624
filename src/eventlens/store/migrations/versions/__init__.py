"""Alembic revisions of the event store, oldest first; never edit one that has shipped."""
