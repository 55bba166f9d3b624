"""The store suite runs on SQLite always and on PostgreSQL when a server is given.

``EVENTLENS_TEST_PG_URL`` names a PostgreSQL database the tests may create schemas in (``.ci/run``
starts a throwaway server and sets it). Each test gets a schema of its own, dropped afterwards.
Without the variable the PostgreSQL cases are skipped with that reason, unless
``EVENTLENS_REQUIRE_PG=1`` (set by ``.ci/run``): then they fail, so a CI run cannot lose them.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from eventlens.resolve.actor_kb import ActorKB
from eventlens.store import EventStore

PG_URL_VARIABLE = "EVENTLENS_TEST_PG_URL"


@pytest.fixture(scope="session")
def kb() -> ActorKB:
    """The packaged actor knowledge base, loaded once (about 0.5 s)."""
    return ActorKB.load()


@pytest.fixture(scope="session")
def pg_admin():
    """An engine on the test PostgreSQL database, or a skip (a failure in CI) without one."""
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        message = f"PostgreSQL tests need {PG_URL_VARIABLE}=postgresql://user@host:port/db"
        if os.environ.get("EVENTLENS_REQUIRE_PG") == "1":
            pytest.fail(f"EVENTLENS_REQUIRE_PG=1 but {PG_URL_VARIABLE} is not set: {message}")
        pytest.skip(message)
    from eventlens.store.engine import make_engine

    engine = make_engine(url)
    yield url, engine
    engine.dispose()


def _pg_schema_url(pg_admin):
    from sqlalchemy import text

    url, engine = pg_admin
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}", schema


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "events.db")
        return
    from sqlalchemy import text

    pg_admin = request.getfixturevalue("pg_admin")
    url, schema = _pg_schema_url(pg_admin)
    yield url
    with pg_admin[1].begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


@pytest.fixture
def store(store_url: str, kb: ActorKB):
    """An opened store on a fresh database, merging with the packaged knowledge base."""
    opened = EventStore.open(store_url, kb=kb)
    yield opened
    opened.close()
