"""A small gazetteer index (cities of 15,000+) shared by the resolve tests, built once."""

from pathlib import Path

import pytest

from eventlens.resolve.gazetteer import INDEX_NAME, build_gazetteer

SMALL = 15_000


@pytest.fixture(scope="session")
def gazetteer_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.getbasetemp() / "gazetteer-small"
    if not (folder / INDEX_NAME).exists():
        build_gazetteer(folder / INDEX_NAME, min_population=SMALL)
    return folder


@pytest.fixture(scope="session")
def open_small(gazetteer_dir):
    """Open the small index (a fresh instance per call)."""
    from eventlens.resolve.gazetteer import Gazetteer

    return lambda: Gazetteer.open(gazetteer_dir, build=False, min_population=SMALL)
