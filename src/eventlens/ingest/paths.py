"""Read files and directories of any supported kind: dispatch by file type.

=====================================  ===============================================
file                                   reader
=====================================  ===============================================
``.jsonl``                             :func:`~eventlens.ingest.jsonl.read_jsonl`
``.html``, ``.htm``                    :func:`~eventlens.ingest.html.read_html`
``.xml``, ``.rss``, ``.atom``          :func:`~eventlens.ingest.feeds.read_feed`
anything else whose start is a feed    :func:`~eventlens.ingest.feeds.read_feed`
``.txt``, ``.text``                    :func:`~eventlens.ingest.text.read_text`
other extensions                       sniffed: HTML when it starts like HTML, else text
=====================================  ===============================================

Directories are walked recursively in sorted order (by name, files and sub-directories
interleaved), skipping hidden entries (names starting with ``.``), so the same tree always
gives the same documents in the same order.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..models import Document, DocumentFailure
from .documents import make_failure
from .feeds import looks_like_feed, read_feed
from .html import read_html
from .jsonl import read_jsonl
from .text import read_text

__all__ = ["iter_files", "read_paths"]

Reader = Callable[..., Iterator[Document | DocumentFailure]]

_BY_SUFFIX: dict[str, Reader] = {
    ".jsonl": read_jsonl,
    ".html": read_html,
    ".htm": read_html,
    ".xml": read_feed,
    ".rss": read_feed,
    ".atom": read_feed,
}
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)[\s>]",
                         re.IGNORECASE | re.DOTALL)
_HEAD_BYTES = 2048


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_HEAD_BYTES)
    except OSError:
        return b""  # the reader will report the problem with its own message


def _read_unlistable(path: Path, **_options: object) -> Iterator[Document | DocumentFailure]:
    yield make_failure(str(path), f"{path}: cannot list the directory; check its permissions",
                       str(path))


def _reader_for(path: Path) -> Reader:
    if path.is_dir():
        return _read_unlistable  # _walk yields a directory only when it cannot be listed
    suffix = path.suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    head = _head(path)
    if looks_like_feed(head):
        return read_feed
    if suffix not in (".txt", ".text") and _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        return read_html
    return read_text


def _walk(directory: Path, seen: set[str]) -> Iterator[Path]:
    real = os.path.realpath(directory)
    if real in seen:
        return  # a symlink loop
    seen.add(real)
    try:
        entries = sorted(directory.iterdir(), key=lambda entry: entry.name)
    except OSError:
        yield directory  # reported by _read_unlistable
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry, seen)
        else:
            yield entry


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand paths to the files to read, directories recursively and in sorted order.

    paths (Iterable[str | Path]): files and directories, in the caller's order. A path given
        explicitly is kept even when hidden or missing (reading it reports the problem).
    YIELDS (Path): file paths; hidden entries inside directories are skipped.
    """
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from _walk(path, set())
        else:
            yield path


def _guarded(reader: Reader, path: Path, **options: object) -> Iterator[Document | DocumentFailure]:
    """Run a reader so that nothing, not even a bug in a parser, stops the batch."""
    try:
        yield from reader(path, **options)
    except Exception as exc:  # noqa: BLE001 - batch boundary: record and go on (STYLE: errors)
        message = f"{path}: unexpected error while reading ({type(exc).__name__}: {exc})"
        yield make_failure(str(path), message, str(path))


def read_paths(
    paths: Sequence[str | Path],
    *,
    published: dt.date | None = None,
    source: str | None = None,
    max_chars: int = 2_000_000,
) -> Iterator[Document | DocumentFailure]:
    """Read every document in the given files and directories.

    ``published`` and ``source`` are explicit overrides (the CLI's ``--published`` and
    ``--source``): when given they replace each document's own date and source (HTML metadata,
    feed dates and titles, JSONL fields), and the document's own date is then not parsed, so it
    cannot fail the document. When None, each document keeps its own metadata; plain-text files
    have none.

    paths (Sequence[str | Path]): files and directories; directories are read recursively in
        sorted order, skipping hidden entries.
    published (date | None): publication date for every document.
    source (str | None): source name for every document.
    max_chars (int): documents longer than this many characters become failures; files more
        than 4 bytes per character over it are refused without being read.
    YIELDS (Document | DocumentFailure): in path order, then file order. Every problem with an
        input (missing, unreadable, empty, binary, mis-encoded, too large, unparseable, bad
        date) is a failure naming the file (and line or entry); the batch always goes on.
    """
    for path in iter_files(paths):
        yield from _guarded(
            _reader_for(path), path, published=published, source=source, max_chars=max_chars
        )
