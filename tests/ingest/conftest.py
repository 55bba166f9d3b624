"""Shared fixtures of the ingest tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def fixtures() -> Path:
    """The directory of small ingest fixture files."""
    return Path(__file__).parent.parent / "fixtures" / "ingest"
