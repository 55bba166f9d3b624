"""Alembic migrations of the event store (run by :func:`eventlens.store.engine.upgrade`)."""
