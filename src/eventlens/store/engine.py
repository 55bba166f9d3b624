"""Engines, write transactions and schema migrations for SQLite and PostgreSQL.

One code path serves both databases; the differences live here:

* SQLite runs in WAL mode with a busy timeout, and a write transaction takes the write lock up
  front (``BEGIN IMMEDIATE``), so two processes writing one file wait for each other instead of
  failing or corrupting it.
* PostgreSQL write transactions take one transaction-scoped advisory lock, so concurrent writers
  are serialised the same way (merging reads candidate incidents and then writes: two writers
  must not both found the same incident).

The schema is created and upgraded by the Alembic revisions shipped in ``migrations/``; opening a
store upgrades it to :data:`HEAD_REVISION`.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..errors import StoreError

__all__ = ["HEAD_REVISION", "current_revision", "database_url", "driver_message", "make_engine",
           "store_revision", "upgrade", "upgrade_store", "write_transaction"]

# The newest revision in migrations/versions (a test checks that they agree). Opening a store at
# this revision needs no Alembic at all, which keeps `eventlens events` quick.
HEAD_REVISION = "0001"

_MIGRATIONS = Path(__file__).with_name("migrations")
_BUSY_TIMEOUT_MS = 30_000
_CACHE_KIB = 32 * 1024
_MMAP_BYTES = 256 * 1024 * 1024
# Any fixed 64-bit key: every eventlens writer of a PostgreSQL database takes this one lock.
_PG_WRITE_LOCK = 0x6576656E746C656E  # "eventlen"
# Tables of a store written by eventlens before it had migrations (0.1.0 development builds).
_LEGACY_MARKERS = ("evidence", "documents")


def database_url(db: str) -> str:
    """Turn the ``db`` setting into an SQLAlchemy URL (a bare path means a SQLite file).

    ``postgresql://`` and ``postgres://`` URLs get the psycopg (version 3) driver that eventlens
    installs; URLs naming a driver are kept as they are.

    db (str): ``eventlens.db``, ``sqlite:///x.db`` or ``postgresql://user@host/name``.
    RETURNS (str): an SQLAlchemy URL.
    """
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser()}"
    for prefix in ("postgresql://", "postgres://"):
        if db.startswith(prefix):
            return "postgresql+psycopg://" + db[len(prefix):]
    return db


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # busy_timeout first: switching a fresh file to WAL needs a lock that another process
    # opening the same file may hold for a moment. WAL lets readers work while one writer
    # writes; busy_timeout makes a second writer wait instead of failing at once.
    cur.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL still never corrupts the file; a power cut may lose the last commits.
    cur.execute("PRAGMA synchronous=NORMAL")
    # Reads through a memory map and a larger page cache: a query returning thousands of
    # incidents from a 100,000-event store takes half the time.
    cur.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
    cur.execute(f"PRAGMA mmap_size={_MMAP_BYTES}")
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


def make_engine(db: str) -> Engine:
    """Create the engine for the ``db`` setting, with eventlens's SQLite settings.

    db (str): a SQLite path or an SQLAlchemy URL.
    RETURNS (Engine): the engine (no connection is made yet).
    RAISES StoreError: when the URL is malformed or names a database eventlens cannot use.
    """
    try:
        engine = create_engine(database_url(db))
    except (ArgumentError, ImportError, SQLAlchemyError) as exc:
        raise StoreError(f"cannot use the event store {db!r}: {exc}. Give a SQLite path or a "
                         f"URL such as postgresql://user@host/dbname") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    elif engine.dialect.name != "postgresql":
        raise StoreError(f"the event store {db!r} uses {engine.dialect.name}; eventlens "
                         f"supports SQLite and PostgreSQL")
    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the store's write lock until it commits or rolls back.

    engine (Engine): the store's engine.
    YIELDS (Connection): the connection, inside the transaction.
    """
    with engine.execution_options(eventlens_write=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK})
        yield conn


def _revision(conn: Connection) -> Optional[str]:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _alembic_config(conn: Connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["connection"] = conn  # migrations/env.py runs on this connection
    return cfg


def current_revision(engine: Engine) -> Optional[str]:
    """The schema revision a store is at.

    engine (Engine): the store's engine.
    RETURNS (str | None): e.g. ``"0001"``; None for an empty database.
    RAISES StoreError: when the database cannot be read.
    """
    try:
        with engine.connect() as conn:
            return _revision(conn)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open the event store {_where(engine)}: "
                         f"{driver_message(exc)}. Check the path or URL, that the server runs, "
                         f"and permissions") from exc


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def driver_message(exc: Exception) -> str:
    """The driver's own message of a database error, without the SQL and its parameters.

    exc (Exception): usually an ``SQLAlchemyError`` wrapping the driver's exception.
    RETURNS (str): e.g. ``"IntegrityError: UNIQUE constraint failed: reports.report_id"``.
    """
    orig = getattr(exc, "orig", None)
    return f"{type(orig or exc).__name__}: {str(orig or exc).strip()}"


def upgrade(engine: Engine) -> Optional[str]:
    """Create the schema in an empty database or upgrade an older one to :data:`HEAD_REVISION`.

    Two processes opening the same new store at once are serialised by the write lock; the
    second finds the schema in place.

    engine (Engine): the store's engine.
    RETURNS (str | None): the revision the store was at before (None: it was empty).
    RAISES StoreError: when the database is a pre-migration eventlens store, was written by a
        newer eventlens, or cannot be read or changed.
    """
    where = _where(engine)
    before = current_revision(engine)
    if before == HEAD_REVISION:
        return before
    from alembic import command
    from alembic.script import ScriptDirectory

    try:
        with write_transaction(engine) as conn:
            before = _revision(conn)
            if before == HEAD_REVISION:
                return before
            cfg = _alembic_config(conn)
            known = {s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()}
            if before is None:
                _refuse_legacy(conn, where)
            elif before not in known:
                raise StoreError(f"the event store {where} is at schema revision {before!r}, "
                                 f"which this eventlens does not know: it was written by a "
                                 f"newer version; upgrade eventlens")
            command.upgrade(cfg, "head")
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot create or upgrade the schema of the event store {where}: "
                         f"{driver_message(exc)}. Check the path or URL and permissions") from exc
    return before


def _refuse_legacy(conn: Connection, where: str) -> None:
    tables = set(inspect(conn).get_table_names())
    if "documents" in tables:
        legacy = all(t in tables for t in _LEGACY_MARKERS)
        raise StoreError(
            f"the event store {where} was written by an eventlens without schema migrations"
            + (" (it has the old 'evidence' table)" if legacy else "")
            + "; it cannot be upgraded in place. Move it aside (or pass another --db) and "
              "ingest your documents again; re-ingesting is idempotent and merges reports "
              "across documents")


def store_revision(db: str) -> Optional[str]:
    """The schema revision of the store named by the ``db`` setting, without changing it.

    db (str): a SQLite path or an SQLAlchemy URL.
    RETURNS (str | None): the revision; None for an empty database.
    RAISES StoreError: when there is no such SQLite file or the database cannot be read.
    """
    engine = make_engine(db)
    try:
        path = engine.url.database if engine.dialect.name == "sqlite" else None
        if path and path != ":memory:" and not Path(path).exists():
            raise StoreError(f"there is no event store at {path}; 'eventlens ingest' creates one")
        return current_revision(engine)
    finally:
        engine.dispose()


def upgrade_store(db: str) -> Optional[str]:
    """Create or upgrade the schema of the store named by the ``db`` setting (see :func:`upgrade`).

    db (str): a SQLite path or an SQLAlchemy URL.
    RETURNS (str | None): the revision it was at before (None: it was empty).
    RAISES StoreError: as :func:`upgrade` does.
    """
    engine = make_engine(db)
    try:
        return upgrade(engine)
    finally:
        engine.dispose()
