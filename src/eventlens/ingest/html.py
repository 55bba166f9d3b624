"""HTML pages and fragments to documents.

A page goes through trafilatura, which drops navigation, footers and other boilerplate and
returns the main text with the page's title, date, site name and canonical URL. When trafilatura
finds no main text (very short or badly broken pages) the visible text of the whole page, as
lxml recovers it, is used instead; only a page without any text at all is a failure.

Date extraction is limited to the page's metadata (``extensive_search`` off), so a date that
merely appears in the body or the footer is never taken for the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Iterator

import lxml.etree
import lxml.html
import trafilatura

from ..errors import IngestError
from ..models import Document, DocumentFailure
from .documents import make_document, make_failure, resolve_published
from .text import (
    check_length,
    check_plausible_text,
    decode_bytes,
    looks_binary,
    read_limited_bytes,
)

__all__ = ["html_to_document", "html_to_text", "read_html"]

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.I)
_CP1252_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"})
_DROP_TAGS = ("script", "style", "noscript", "template", "head")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section table td th tr ul".split()
)


def _visible_text(root: lxml.html.HtmlElement) -> str:
    for element in root.iter(*_DROP_TAGS):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(fragment: str) -> str:
    """Return the visible text of an HTML fragment (a feed entry's content or summary).

    Scripts and styles are dropped, block elements become line breaks and runs of spaces
    collapse. Plain text without markup comes back as it was, apart from whitespace.

    fragment (str): HTML or plain text.
    RETURNS (str): the text; empty when the fragment has no visible text.
    """
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(
            _XML_DECLARATION.sub("", fragment), create_parent="div"
        )
    except (lxml.etree.ParserError, ValueError):
        return " ".join(fragment.split())
    return _visible_text(root)


def _decode_html(data: bytes, origin: str) -> str:
    """Decode with the charset the page declares when it fits, else like any text file."""
    if looks_binary(data):
        raise IngestError(f"{origin}: this is a binary file (it contains NUL bytes), not HTML")
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        # Browsers read a page labelled Latin-1 or ASCII as Windows-1252 (WHATWG Encoding),
        # and so do the pages' authors, who use its curly quotes and dashes.
        for encoding in ("cp1252", name) if name in _CP1252_LABELS else (name,):
            try:
                return check_plausible_text(data.decode(encoding), origin=origin)
            except (LookupError, UnicodeDecodeError):
                continue  # a wrong or unknown declaration is common; fall back to detection
    return decode_bytes(data, origin=origin)


def _fallback_text(html: str) -> str:
    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return ""
    return _visible_text(root)


def _fallback_title(html: str) -> str | None:
    match = re.search(r"<title[^>]*>(.*?)</title", html, re.IGNORECASE | re.DOTALL)
    return html_to_text(match.group(1)) or None if match else None


def _extract(html: str) -> trafilatura.settings.Document | None:
    params = {
        "original_date": True,
        "extensive_search": False,
        "max_date": (dt.date.today() + dt.timedelta(days=1)).isoformat(),
    }
    return trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, date_extraction_params=params
    )


def _page_language(html: str) -> str | None:
    match = re.search(r"<html[^>]*\slang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", html,
                      re.IGNORECASE)
    return match.group(1) if match else None


def html_to_document(
    html: str,
    *,
    origin: str = "html",
    published: dt.date | None = None,
    source: str | None = None,
    max_chars: int = 2_000_000,
) -> Document:
    """Turn an HTML page into a document: main text, title, date, site name and URL.

    html (str): the page.
    origin (str): where it came from, for ``Document.origin`` and error messages.
    published (date | None): overrides the page's own date when given.
    source (str | None): overrides the page's site name when given.
    max_chars (int): longer extracted texts are refused.
    RETURNS (Document): the document; its id derives from the text.
    RAISES IngestError: when the page has no text at all, the text is too long, or the page's
        date is implausible.
    """
    html = _XML_DECLARATION.sub("", html)
    language = _page_language(html)
    try:
        extracted = _extract(html)
    except (lxml.etree.LxmlError, ValueError, TypeError) as exc:
        raise IngestError(f"{origin}: the HTML could not be parsed ({exc})") from exc
    text = (extracted.text if extracted is not None else None) or ""
    if not text.strip():
        text = _fallback_text(html)
    if not text.strip():
        raise IngestError(f"{origin}: no text found in the HTML page (empty or only markup)")
    check_length(text, max_chars=max_chars, origin=origin)
    meta = extracted if extracted is not None else trafilatura.settings.Document()
    return make_document(
        text,
        title=meta.title or _fallback_title(html),
        published=resolve_published(published, meta.date, origin=origin),
        url=meta.url,
        source=source if source is not None else meta.sitename,
        language=language,
        origin=origin,
    )


def read_html(
    path: str | Path,
    *,
    published: dt.date | None = None,
    source: str | None = None,
    max_chars: int = 2_000_000,
) -> Iterator[Document | DocumentFailure]:
    """Read an HTML file as one document (see :func:`html_to_document`).

    path (str | Path): the file.
    published (date | None): overrides the page's own date when given.
    source (str | None): overrides the page's site name when given.
    max_chars (int): the document size limit; files over 4 bytes per character of it are
        refused unread.
    YIELDS (Document | DocumentFailure): exactly one item; never raises for bad input.
    """
    path = Path(path)
    origin = str(path)
    try:
        html = _decode_html(read_limited_bytes(path, max_chars=max_chars), origin)
        yield html_to_document(
            html, origin=origin, published=published, source=source, max_chars=max_chars
        )
    except IngestError as exc:
        yield make_failure(origin, str(exc), origin)
