"""Fixtures for extractor tests: the real pipeline, built once per session."""

from __future__ import annotations

import datetime as dt
from typing import Callable

import pytest

from eventlens.config import load_settings
from eventlens.ingest import make_document
from eventlens.models import Event
from eventlens.pipeline import DocumentResult, Pipeline


@pytest.fixture(scope="session")
def extraction_pipeline() -> Pipeline:
    return Pipeline(load_settings())


@pytest.fixture(scope="session")
def extract_text(extraction_pipeline: Pipeline) -> Callable[..., list[Event]]:
    """Run the pipeline over one text and return its events."""

    def run(text: str, published: str | None = "2024-06-12") -> list[Event]:
        doc = make_document(text, id="t", published=dt.date.fromisoformat(published)
                            if published else None)
        (result,) = list(extraction_pipeline.run([doc]))
        assert isinstance(result, DocumentResult), result
        return result.events

    return run
