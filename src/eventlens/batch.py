"""Batch jobs behind the CLI verbs: ingest into the store, extract and places to JSONL."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence, TextIO, Union

from .config import Settings
from .errors import StoreError
from .ingest import read_paths
from .models import Document, DocumentFailure
from .pipeline import DocumentResult, Pipeline
from .store import EventStore

__all__ = ["BatchSummary", "extract_to_jsonl", "ingest_into_store", "places_to_jsonl"]

Progress = Callable[[int], None]


@dataclass
class BatchSummary:
    """Counts of one batch run, for the end-of-run summary line."""

    documents: int = 0
    events: int = 0
    places: int = 0
    failures: int = 0
    unchanged: int = 0
    duplicates: int = 0
    updated: int = 0
    seconds: float = 0.0
    failure_messages: list[str] = field(default_factory=list)
    stored_ids: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One human-readable summary line."""
        parts = [f"{self.documents} documents", f"{self.events} events",
                 f"{self.failures} failures"]
        if self.places:
            parts.insert(2, f"{self.places} places")
        if self.unchanged or self.duplicates:
            parts.append(f"{self.unchanged} unchanged (already stored)")
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicates of stored documents")
        if self.updated:
            parts.append(f"{self.updated} updated")
        return ", ".join(parts) + f" in {self.seconds:.1f} s"


def _results(pipeline: Pipeline, items: Iterable[Union[Document, DocumentFailure]],
             with_events: bool, progress: Optional[Progress]):
    for result in pipeline.run(items, with_events=with_events):
        if progress is not None:
            progress(1)
        yield result


def _new_only(items: Iterable[Union[Document, DocumentFailure]], store: EventStore,
              summary: BatchSummary, progress: Optional[Progress]):
    """Pass on failures and documents the store would change; count the others."""
    for item in items:
        if isinstance(item, Document):
            known = store.known(item)
            if known is not None:
                # Already stored: skip the NLP work that add() would throw away.
                summary.documents += 1
                summary.unchanged += known == "unchanged"
                summary.duplicates += known == "duplicate"
                if progress is not None:
                    progress(1)
                continue
        yield item


def _record_failure(store: EventStore, summary: BatchSummary, failure: DocumentFailure) -> None:
    store.add_failure(failure)
    summary.failures += 1
    summary.failure_messages.append(f"{failure.doc_id}: {failure.error}")


def ingest_into_store(settings: Settings, paths: Sequence[Union[str, Path]], *,
                      published: Optional[dt.date] = None, source: Optional[str] = None,
                      store: EventStore, pipeline: Pipeline,
                      progress: Optional[Progress] = None) -> BatchSummary:
    """Read files, extract events and store each document with its events.

    Documents whose text is stored already are counted as unchanged (or duplicates) without
    being processed again. A document that cannot be written (say, a constraint violation) is
    recorded as a failure and the batch goes on.

    settings (Settings): limits.
    paths (Sequence[str | Path]): files and directories.
    published (date | None): publication date for documents that lack one (or override).
    source (str | None): source name override.
    store (EventStore): where to write.
    pipeline (Pipeline): the extraction pipeline.
    progress (Callable[[int], None] | None): called once per document done.
    RETURNS (BatchSummary): what happened.
    RAISES StoreError: when the store cannot be written at all (not even a failure record).
    """
    summary, started = BatchSummary(), time.perf_counter()
    items = read_paths(paths, published=published, source=source,
                       max_chars=settings.max_document_chars)
    fresh = _new_only(items, store, summary, progress)
    for result in _results(pipeline, fresh, True, progress):
        if isinstance(result, DocumentFailure):
            _record_failure(store, summary, result)
            continue
        try:
            outcome = store.add(result.document, result.events)
        except StoreError as exc:
            # add_failure raises in turn when the store cannot be written at all.
            _record_failure(store, summary, DocumentFailure(
                doc_id=result.document.id, error=str(exc), origin=result.document.origin))
            continue
        summary.documents += 1
        if outcome == "unchanged":
            summary.unchanged += 1
        elif outcome == "duplicate":
            summary.duplicates += 1
        else:
            summary.updated += outcome == "updated"
            summary.events += len(result.events)
            summary.stored_ids.append(result.document.id)
    summary.seconds = time.perf_counter() - started
    return summary


def _write(out: TextIO, record: dict) -> None:
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _contract_lines(settings: Settings, input_path: Union[str, Path], out: TextIO,
                    pipeline: Pipeline, progress: Optional[Progress], with_events: bool,
                    records: Callable[[DocumentResult], list[dict]]) -> tuple[BatchSummary, int]:
    """Shared loop of the contract commands: one error line per failed document, else the
    document's records; returns the summary and the number of records written."""
    summary, started, written = BatchSummary(), time.perf_counter(), 0
    items = read_paths([input_path], max_chars=settings.max_document_chars)
    for result in _results(pipeline, items, with_events, progress):
        if isinstance(result, DocumentFailure):
            _write(out, {"doc_id": result.doc_id, "error": result.error})
            summary.failures += 1
            continue
        summary.documents += 1
        for record in records(result):
            _write(out, record)
            written += 1
    summary.seconds = time.perf_counter() - started
    return summary, written


def extract_to_jsonl(settings: Settings, input_path: Union[str, Path], out: TextIO, *,
                     pipeline: Pipeline, progress: Optional[Progress] = None) -> BatchSummary:
    """The ``extract`` contract: documents JSONL in, one event per line out.

    settings (Settings): limits.
    input_path (str | Path): contract JSONL (other supported formats work too).
    out (TextIO): where event lines (and per-document error lines) are written.
    pipeline (Pipeline): the extraction pipeline.
    progress (Callable[[int], None] | None): called once per document.
    RETURNS (BatchSummary): counts.
    """
    summary, written = _contract_lines(
        settings, input_path, out, pipeline, progress, True,
        lambda result: [ev.to_contract() for ev in result.events])
    summary.events = written
    return summary


_PLACE_FIELDS = {"doc_id", "start", "end", "text", "name", "country", "admin1", "lat", "lon",
                 "feature", "geonames_id"}


def places_to_jsonl(settings: Settings, input_path: Union[str, Path], out: TextIO, *,
                    pipeline: Pipeline, progress: Optional[Progress] = None) -> BatchSummary:
    """The ``places`` contract: one resolved place mention per line.

    settings (Settings): limits.
    input_path (str | Path): contract JSONL.
    out (TextIO): output stream.
    pipeline (Pipeline): the pipeline (only the geoparser part runs).
    progress (Callable[[int], None] | None): called once per document.
    RETURNS (BatchSummary): counts.
    """
    summary, written = _contract_lines(
        settings, input_path, out, pipeline, progress, False,
        lambda result: [p.model_dump(mode="json", include=_PLACE_FIELDS) for p in result.places])
    summary.places = written
    return summary
