"""JSON Lines documents, as specified by the input contract (``docs/contract.md``).

One JSON object per line with a required string ``id`` and ``text`` and optional string
``title``, ``published``, ``url``, ``source`` and ``language``; other keys are ignored. The file is
read line by line, so its size is not limited, only each record's text. Every bad line (invalid
JSON or UTF-8, missing or non-string ``id``/``text``, a duplicate ``id``, a non-string optional
field, an unreadable ``published``, a text over the limit) becomes one failure naming the file
and line number; the other lines go on. Blank lines are skipped.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import IO, Any, Iterator

from ..errors import IngestError
from ..models import Document, DocumentFailure
from .documents import make_document, make_failure, resolve_published
from .text import BYTES_PER_CHAR, check_length, looks_binary

__all__ = ["read_jsonl"]

_OPTIONAL_FIELDS = ("title", "published", "url", "source", "language")


def _record_to_document(
    record: Any,
    where: str,
    *,
    origin: str,
    published: dt.date | None,
    source: str | None,
    max_chars: int,
) -> Document:
    if not isinstance(record, dict):
        raise IngestError(f"{where}: expected a JSON object, got {type(record).__name__}")
    doc_id = record.get("id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise IngestError(f"{where}: 'id' is required and must be a non-empty string")
    where = f"{where} (id {doc_id!r})"
    text = record.get("text")
    if text is None:
        raise IngestError(f"{where}: 'text' is required (the article body as a string)")
    if not isinstance(text, str):
        raise IngestError(f"{where}: 'text' must be a string, got {type(text).__name__}")
    for field in _OPTIONAL_FIELDS:
        value = record.get(field)
        if value is not None and not isinstance(value, str):
            raise IngestError(
                f"{where}: '{field}' must be a string or null, "
                f"got {type(value).__name__}"
            )
    check_length(text, max_chars=max_chars, origin=where)
    return make_document(
        text,
        id=doc_id,
        title=record.get("title"),
        published=resolve_published(published, record.get("published"), origin=where),
        url=record.get("url"),
        source=source if source is not None else record.get("source"),
        language=record.get("language"),
        origin=origin,
    )


def _lines(handle: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, line); None for a line longer than ``limit`` bytes (not kept)."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = handle.readline(limit + 1)
            yield number, None
        else:
            yield number, line


def _parse_line(raw: bytes | None, origin: str, max_chars: int) -> Any:
    if raw is None:
        raise IngestError(
            f"{origin}: the line is too long (more than {BYTES_PER_CHAR * max_chars:,} bytes "
            f"for the limit of {max_chars:,} characters); split the document"
        )
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{origin}: not valid UTF-8 at byte {exc.start}; JSONL input must be UTF-8"
        ) from exc
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise IngestError(f"{origin}: invalid JSON ({exc.msg} at column {exc.colno})") from exc


def _check_file(path: Path) -> None:
    try:
        if not path.is_file():
            reason = "not a regular file" if path.exists() else "no such file; check the path"
            raise IngestError(f"{path}: {reason}")
        if path.stat().st_size == 0:
            raise IngestError(f"{path}: the file is empty")
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError as exc:
        raise IngestError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if looks_binary(head):
        raise IngestError(f"{path}: this is a binary file (it contains NUL bytes), not JSONL")


def read_jsonl(
    path: str | Path,
    *,
    published: dt.date | None = None,
    source: str | None = None,
    max_chars: int = 2_000_000,
) -> Iterator[Document | DocumentFailure]:
    """Read a contract JSONL file, one document (or failure) per non-blank line.

    path (str | Path): the file.
    published (date | None): overrides every record's own ``published`` when given (the
        record's value is then not parsed at all).
    source (str | None): overrides every record's own ``source`` when given.
    max_chars (int): records with a longer ``text`` become failures.
    YIELDS (Document | DocumentFailure): in file order; a failure's ``doc_id`` is the record's
        id when it has one, else ``"<path>:<line>"``. Never raises for bad input.
    """
    path = Path(path)
    try:
        _check_file(path)
    except IngestError as exc:
        yield make_failure(str(path), str(exc), str(path))
        return
    seen: set[str] = set()
    try:
        with path.open("rb") as handle:
            for number, raw in _lines(handle, BYTES_PER_CHAR * max_chars):
                if raw is not None and not raw.strip():
                    continue
                origin = f"{path}:{number}"
                if number == 1 and raw is not None:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                record: Any = None
                try:
                    record = _parse_line(raw, f"{path}, line {number}", max_chars)
                    doc = _record_to_document(
                        record,
                        f"{path}, line {number}",
                        origin=origin,
                        published=published,
                        source=source,
                        max_chars=max_chars,
                    )
                    if doc.id in seen:
                        raise IngestError(
                            f"{path}, line {number}: duplicate id {doc.id!r}; ids must be "
                            "unique within a file"
                        )
                except IngestError as exc:
                    known = record.get("id") if isinstance(record, dict) else None
                    label = known if isinstance(known, str) and known.strip() else origin
                    yield make_failure(label, str(exc), origin)
                    continue
                seen.add(doc.id)
                yield doc
    except OSError as exc:
        yield make_failure(str(path), f"{path}: reading stopped ({exc.strerror or exc})", str(path))
