"""Alembic environment of the event store, configured in code (no ``alembic.ini``).

:func:`eventlens.store.engine.upgrade` passes an open connection, inside the store's write
transaction, as ``config.attributes["connection"]``. To write a new revision against a scratch
database, the same configuration works with Alembic's API::

    from alembic import command
    from eventlens.store.engine import _alembic_config, make_engine
    with make_engine("scratch.db").begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
        command.revision(_alembic_config(conn), "what changes", autogenerate=True)

then rename the file to the next number (``0002_...``), set ``revision = "0002"`` and move
``HEAD_REVISION`` in ``engine.py`` along.
"""

from alembic import context

from eventlens.store.schema import metadata

connection = context.config.attributes["connection"]
# Batch mode lets later revisions alter tables on SQLite (copy-and-move).
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
