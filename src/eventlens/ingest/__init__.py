"""The ingest stage: files (text, HTML, contract JSONL, RSS/Atom feeds) in, documents out.

Every reader yields :class:`~eventlens.models.Document` or, for an input it cannot use,
:class:`~eventlens.models.DocumentFailure`; a bad file never stops a batch.
"""

from .documents import (
    content_hash,
    make_document,
    make_failure,
    normalize_text,
    parse_published,
)
from .feeds import looks_like_feed, read_feed
from .html import html_to_document, html_to_text, read_html
from .jsonl import read_jsonl
from .paths import iter_files, read_paths
from .text import decode_bytes, read_text

__all__ = [
    "content_hash",
    "decode_bytes",
    "html_to_document",
    "html_to_text",
    "iter_files",
    "looks_like_feed",
    "make_document",
    "make_failure",
    "normalize_text",
    "parse_published",
    "read_feed",
    "read_html",
    "read_jsonl",
    "read_paths",
    "read_text",
]
