"""RSS and Atom feeds: one document per entry.

feedparser reads RSS 0.9x/1.0/2.0 and Atom, well-formed or not. Each entry's content (or, when
it has none, its summary) is HTML and becomes plain text; its title, link and date become the
document's title, url and published date, and the feed's title becomes its source. An entry with
no text, garbage text or an unreadable date becomes a failure of its own; the other entries go
on.

Entry ids are ``"doc-"`` plus 16 hex digits of the sha256 of the entry's id (or link) and the
content hash, so re-reading a feed gives the same ids and two entries that share a guid but
differ in text do not collide.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any, Iterator

import feedparser

from ..errors import IngestError
from ..models import Document, DocumentFailure
from .documents import content_hash, make_document, make_failure, normalize_text
from .documents import resolve_published
from .html import html_to_text
from .text import check_length, check_plausible_text, looks_binary, read_limited_bytes

__all__ = ["looks_like_feed", "read_feed"]

_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_SNIFF_BYTES = 2048


def looks_like_feed(head: bytes) -> bool:
    """Tell whether the start of a file is an RSS or Atom feed.

    head (bytes): the first kilobytes of the file.
    RETURNS (bool): True when an ``<rss>``, ``<feed>`` or ``<rdf:RDF>`` root element appears
        near the start.
    """
    return _FEED_ROOT.search(head[:_SNIFF_BYTES]) is not None


def _entry_text(entry: Any) -> str:
    for item in entry.get("content") or []:
        text = html_to_text(item.get("value") or "")
        if text:
            return text
    return html_to_text(entry.get("summary") or "")


def _entry_published(entry: Any, override: dt.date | None, origin: str) -> dt.date | None:
    """The entry's date as written (publisher's local day); feedparser's parse as fallback."""
    if override is not None:
        return override
    for raw_key, parsed_key in (("published", "published_parsed"), ("updated", "updated_parsed")):
        raw = entry.get(raw_key)
        if not raw:
            continue
        try:
            return resolve_published(None, raw, origin=origin)
        except IngestError:
            parsed = entry.get(parsed_key)
            if parsed is None:
                raise
            return resolve_published(None, dt.date(*parsed[:3]), origin=origin)
    return None


def _entry_id(entry: Any, text: str) -> str | None:
    key = entry.get("id") or entry.get("link")
    if not key:
        return None
    digest = hashlib.sha256(f"{key}\n{content_hash(normalize_text(text))}".encode("utf-8"))
    return f"doc-{digest.hexdigest()[:16]}"


def _entry_to_document(
    entry: Any,
    origin: str,
    *,
    feed_title: str | None,
    feed_language: str | None,
    published: dt.date | None,
    source: str | None,
    max_chars: int,
) -> Document:
    text = _entry_text(entry)
    if not normalize_text(text):
        raise IngestError(
            f"{origin}: the entry has no text in its content or summary; skipped"
        )
    check_plausible_text(text, origin=origin)
    check_length(text, max_chars=max_chars, origin=origin)
    return make_document(
        text,
        id=_entry_id(entry, text),
        title=html_to_text(entry.get("title") or "") or None,
        published=_entry_published(entry, published, origin),
        url=entry.get("link"),
        source=source if source is not None else feed_title,
        language=entry.get("language") or feed_language,
        origin=origin,
    )


def _parse(data: bytes, origin: str) -> Any:
    if looks_binary(data):
        raise IngestError(f"{origin}: this is a binary file (it contains NUL bytes), not a feed")
    # Bytes, never a path or URL string: feedparser would try to fetch a string that looks like
    # a URL, and eventlens works offline.
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    if not parsed.entries:
        reason = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        raise IngestError(f"{origin}: no feed entries found{reason}; is this an RSS/Atom feed?")
    return parsed


def read_feed(
    path: str | Path,
    *,
    published: dt.date | None = None,
    source: str | None = None,
    max_chars: int = 2_000_000,
) -> Iterator[Document | DocumentFailure]:
    """Read an RSS or Atom feed file, one document (or failure) per entry.

    path (str | Path): the feed file.
    published (date | None): overrides every entry's own date when given.
    source (str | None): overrides the feed title as the entries' source when given.
    max_chars (int): longer entries become failures; files over 4 bytes per character of it
        are refused unread.
    YIELDS (Document | DocumentFailure): one item per entry, in feed order, or a single failure
        when the file is not a readable feed; never raises for bad input.
    """
    path = Path(path)
    origin = str(path)
    try:
        parsed = _parse(read_limited_bytes(path, max_chars=max_chars), origin)
    except IngestError as exc:
        yield make_failure(origin, str(exc), origin)
        return
    feed_title = html_to_text(parsed.feed.get("title") or "") or None
    feed_language = parsed.feed.get("language")
    for number, entry in enumerate(parsed.entries, start=1):
        entry_origin = f"{origin}#entry-{number}"
        try:
            yield _entry_to_document(
                entry,
                entry_origin,
                feed_title=feed_title,
                feed_language=feed_language,
                published=published,
                source=source,
                max_chars=max_chars,
            )
        except IngestError as exc:
            label = entry.get("id") or entry.get("link") or entry_origin
            yield make_failure(label, str(exc), entry_origin)
