"""Shared fixtures: settings, the real pipeline (built once per session) and example data."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventlens.config import Settings, load_settings

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Default settings, ignoring ``EVENTLENS_*`` variables of the caller's shell.

    The data directory is the default cache (``~/.cache/eventlens``), so the gazetteer index is
    built once per machine (about 16 s the first time) and reused by every later session.
    """
    return load_settings(environ={})


@pytest.fixture(scope="session")
def pipeline(settings: Settings):
    """The full pipeline with the configured spaCy model; built once per test session."""
    from eventlens.pipeline import Pipeline

    return Pipeline(settings)


@pytest.fixture(scope="session")
def examples_jsonl() -> Path:
    """The two bundled Khaama Press articles in contract JSONL."""
    return FIXTURES / "examples" / "articles.jsonl"


@pytest.fixture(scope="session")
def ingest_fixtures() -> Path:
    """The directory of small ingest fixture files (text, HTML, feeds, binary)."""
    return FIXTURES / "ingest"
