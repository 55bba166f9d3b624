"""Read files safely: size limits, binary detection, decoding; and plain-text articles.

The helpers here are shared by every file reader. They turn each way a file can be unusable
(missing, unreadable, empty, too large, binary, mis-encoded) into an :class:`IngestError` whose
message names the file and says what to do, which the readers record as a
:class:`~eventlens.models.DocumentFailure`.

Decoding tries, in order: a UTF-16/UTF-32 byte-order mark, UTF-8 (also UTF-8 with under 1%
corrupt bytes, which become U+FFFD), then charset-normalizer's best guess (preferring
Windows-1252 among equally good guesses when its result is plausible Western European text,
since charset-normalizer tends to pick a rarer ISO-8859 sibling for short Latin-1 files). A
result that is still more than 5% control or replacement characters is refused as binary or
mis-encoded.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Iterator

import charset_normalizer

from ..errors import IngestError
from ..models import Document, DocumentFailure
from .documents import make_document, make_failure

__all__ = [
    "BYTES_PER_CHAR",
    "check_length",
    "check_plausible_text",
    "decode_bytes",
    "looks_binary",
    "read_limited_bytes",
    "read_text",
]

#: A character is at most 4 bytes in UTF-8, so a file of more than ``4 * max_chars`` bytes
#: certainly decodes to more than ``max_chars`` characters and is refused before it is read.
BYTES_PER_CHAR = 4
_SNIFF_BYTES = 8192
_MAX_BAD_RATIO = 0.05
_CHAOS_TIE = 0.05
_MAX_CORRUPT_UTF8 = 0.01
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]{1,3}")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CP1252_EXTRAS = frozenset("‘’‚“”„–—…€•™†‡")


def read_limited_bytes(path: Path, *, max_chars: int) -> bytes:
    """Read a whole file, refusing missing, empty and oversized files before reading them.

    path (Path): the file.
    max_chars (int): the document size limit; files over ``BYTES_PER_CHAR * max_chars`` bytes
        are refused from their size alone, without being read.
    RETURNS (bytes): the file's content, never empty.
    RAISES IngestError: when the file does not exist, is not a regular file, cannot be read,
        is empty or is too large.
    """
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise IngestError(f"{path}: no such file; check the path") from exc
    except OSError as exc:
        raise IngestError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if not path.is_file():
        raise IngestError(f"{path}: not a regular file; pass a file or a directory")
    if info.st_size == 0:
        raise IngestError(f"{path}: the file is empty")
    limit = BYTES_PER_CHAR * max_chars
    if info.st_size > limit:
        raise IngestError(
            f"{path}: the file is too large ({info.st_size:,} bytes, more than {limit:,} for the "
            f"limit of {max_chars:,} characters); split it or raise max_document_chars"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc


def looks_binary(head: bytes) -> bool:
    """Tell whether the start of a file is binary (NUL bytes without a UTF-16/32 BOM).

    head (bytes): the first few kilobytes of the file.
    RETURNS (bool): True for binary data such as images, PDFs or archives.
    """
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    return b"\x00" in head[:_SNIFF_BYTES]


def _bad_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(
        1
        for char in text
        if char == "\ufffd"
        or (unicodedata.category(char) in {"Cc", "Co", "Cn", "Cs"} and char not in "\n\r\t")
    )
    return bad / len(text)


def check_plausible_text(text: str, *, origin: str) -> str:
    """Refuse text that is mostly control, unassigned or replacement characters.

    text (str): decoded text.
    origin (str): the file (and entry) for the error message.
    RETURNS (str): ``text`` unchanged.
    RAISES IngestError: when more than 5% of the characters are garbage.
    """
    ratio = _bad_ratio(text)
    if ratio > _MAX_BAD_RATIO:
        raise IngestError(
            f"{origin}: the content looks binary or mis-encoded ({ratio:.0%} control or "
            "replacement characters); convert it to UTF-8 text"
        )
    return text


def _plausible_western(text: str) -> bool:
    return all(
        ord(char) < 0x80 or 0xA0 <= ord(char) <= 0xFF or char in _CP1252_EXTRAS for char in text
    )


def _guess_decode(data: bytes) -> str | None:
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        candidates = []
    else:
        candidates = [m for m in matches if m.chaos <= best.chaos + _CHAOS_TIE]
    if best is None or any(m.encoding == "cp1252" for m in candidates):
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = None
        if text is not None and _plausible_western(text):
            return text
    return str(best) if best is not None else None


def decode_bytes(data: bytes, *, origin: str) -> str:
    """Decode file content to text, detecting the encoding when it is not UTF-8.

    data (bytes): the raw content.
    origin (str): the file, for error messages.
    RETURNS (str): the decoded text (not yet normalised).
    RAISES IngestError: when the data is binary, no encoding fits, or the decoded text is
        mostly garbage.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return check_plausible_text(data.decode(encoding), origin=origin)
            except UnicodeDecodeError as exc:
                raise IngestError(f"{origin}: invalid {encoding} text ({exc.reason})") from exc
    if looks_binary(data):
        raise IngestError(f"{origin}: this is a binary file (it contains NUL bytes), not text")
    try:
        return check_plausible_text(data.decode("utf-8"), origin=origin)
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data):
        # Real UTF-8 with a few corrupt bytes: keep it, marking the bad bytes, rather than
        # re-decoding everything in a legacy encoding and garbling every accented letter.
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") <= _MAX_CORRUPT_UTF8 * len(text):
            return check_plausible_text(text, origin=origin)
    text = _guess_decode(data)
    if text is None:
        raise IngestError(
            f"{origin}: cannot detect the text encoding (not UTF-8, and no other encoding "
            "fits); convert the file to UTF-8"
        )
    return check_plausible_text(text, origin=origin)


def check_length(text: str, *, max_chars: int, origin: str) -> str:
    """Refuse a document longer than ``max_chars`` characters.

    text (str): decoded text.
    max_chars (int): the limit (setting ``max_document_chars``).
    origin (str): the file (and entry), for the error message.
    RETURNS (str): ``text`` unchanged.
    RAISES IngestError: when the text is too long.
    """
    if len(text) > max_chars:
        raise IngestError(
            f"{origin}: the document is too long ({len(text):,} characters, limit "
            f"{max_chars:,}); split it or raise max_document_chars"
        )
    return text


def read_text(
    path: str | Path,
    *,
    published: dt.date | None = None,
    source: str | None = None,
    max_chars: int = 2_000_000,
) -> Iterator[Document | DocumentFailure]:
    """Read a plain-text article: the whole file is the document text, with no title.

    path (str | Path): the file.
    published (date | None): publication date to store (text files carry none of their own).
    source (str | None): publisher name to store.
    max_chars (int): longer documents become failures.
    YIELDS (Document | DocumentFailure): exactly one item; never raises for bad input.
    """
    path = Path(path)
    origin = str(path)
    try:
        text = decode_bytes(read_limited_bytes(path, max_chars=max_chars), origin=origin)
        check_length(text, max_chars=max_chars, origin=origin)
        yield make_document(text, published=published, source=source, origin=origin)
    except IngestError as exc:
        yield make_failure(origin, str(exc), origin)
