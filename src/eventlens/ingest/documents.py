"""Build :class:`~eventlens.models.Document` records: text normalisation, hashing, dates.

Every reader of the ingest stage (plain text, HTML, JSONL, feeds) ends here, so the rules for
what a document's text, id and ``published`` date look like live in one place:

* text is NFC-normalised, line endings become ``\\n``, control characters other than ``\\n`` and
  ``\\t`` are removed and outer whitespace is stripped;
* ``content_hash`` is the sha256 of that normalised text, and a document without an id of its
  own gets ``"doc-" + content_hash[:16]``, so the same text always gets the same id;
* ``published`` accepts ISO 8601, RFC 2822 (feeds) and written-out dates ("June 5, 2024"), and
  refuses anything before 1900 or more than two days after today.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
import unicodedata

from dateutil import parser as date_parser

from ..errors import IngestError
from ..models import Document, DocumentFailure

__all__ = [
    "content_hash",
    "make_document",
    "make_failure",
    "normalize_text",
    "parse_published",
    "resolve_published",
]

_EARLIEST_YEAR = 1900
_FUTURE_SLACK = dt.timedelta(days=2)
# Characters removed by normalisation: C0/C1 controls except \n and \t, plus the BOM and
# unicode non-characters, which only ever come from mis-encoded or binary input.
_STRIP_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
# "05/06/2024" means May 6 in the US and June 5 almost everywhere else: refuse to guess.
_AMBIGUOUS_NUMERIC = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$")
# Two different defaults reveal which fields dateutil filled in itself (so "June 2024" or
# "Monday" is refused instead of silently becoming a day of the current month).
_DEFAULT_A = dt.datetime(1904, 1, 1)
_DEFAULT_B = dt.datetime(1908, 2, 2)


def normalize_text(text: str) -> str:
    """Normalise document text the way every ingest path does.

    text (str): raw text, possibly with ``\\r\\n`` line endings or stray control characters.
    RETURNS (str): NFC text with ``\\n`` line endings, without control characters other than
        ``\\n`` and ``\\t``, stripped of leading and trailing whitespace.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _STRIP_CHARS.sub("", text)
    return unicodedata.normalize("NFC", text).strip()


def content_hash(text: str) -> str:
    """Return the sha256 hex digest of already-normalised text.

    text (str): text as returned by :func:`normalize_text`.
    RETURNS (str): 64 lower-case hex digits.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _clean_field(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(normalize_text(value).split())
    return value or None


def make_document(
    text: str,
    *,
    id: str | None = None,
    title: str | None = None,
    published: dt.date | None = None,
    url: str | None = None,
    source: str | None = None,
    language: str | None = None,
    origin: str | None = None,
) -> Document:
    """Build a :class:`Document` from raw text and metadata.

    text (str): the article body; normalised with :func:`normalize_text`.
    id (str | None): the caller's id; when None, ``"doc-"`` plus the first 16 hex digits of
        the content hash, so the same text always gets the same id.
    title (str | None): headline; whitespace is collapsed and an empty title becomes None.
    published (date | None): publication date, the anchor for relative dates in the text.
    url (str | None): where the article was published.
    source (str | None): publisher or feed name.
    language (str | None): language code such as ``"en"``.
    origin (str | None): file path (and entry or line) the document came from.
    RETURNS (Document): the frozen document.
    RAISES IngestError: when the text is empty after normalisation.
    """
    normalised = normalize_text(text)
    where = origin or id or "document"
    if not normalised:
        raise IngestError(f"{where}: the document has no text (empty after normalisation)")
    digest = content_hash(normalised)
    return Document(
        id=id if id is not None else f"doc-{digest[:16]}",
        text=normalised,
        title=_clean_field(title),
        published=published,
        url=_clean_field(url),
        source=_clean_field(source),
        language=_clean_field(language),
        content_hash=digest,
        origin=origin,
    )


def make_failure(doc_id: str, error: str, origin: str | None = None) -> DocumentFailure:
    """Build a :class:`DocumentFailure` (a thin helper so every reader words them alike).

    doc_id (str): the document's id when known, else its origin (path, path:line, path#entry-N).
    error (str): what went wrong and what to do about it, naming the input.
    origin (str | None): the file (and line or entry) the document came from.
    RETURNS (DocumentFailure): the failure record.
    """
    return DocumentFailure(doc_id=doc_id, error=error, origin=origin)


def _check_range(day: dt.date, value: object, origin: str, today: dt.date) -> dt.date:
    if day.year < _EARLIEST_YEAR or day > today + _FUTURE_SLACK:
        shown = value if isinstance(value, str) else day.isoformat()
        raise IngestError(
            f"{origin or 'document'}: published date {shown!r} is implausible (before "
            f"{_EARLIEST_YEAR} or more than 2 days after {today.isoformat()}); fix the date "
            "or leave it out"
        )
    return day


def _parse_string(value: str) -> dt.date | None:
    """Return the date in ``value`` (its own local date, ignoring any offset) or None."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    if _AMBIGUOUS_NUMERIC.match(value):
        return None
    try:
        first = date_parser.parse(value, default=_DEFAULT_A)
        second = date_parser.parse(value, default=_DEFAULT_B)
    except (ValueError, OverflowError):
        return None
    if first.date() != second.date():
        return None
    return first.date()


def parse_published(
    value: str | dt.date | dt.datetime | None,
    *,
    origin: str = "",
    today: dt.date | None = None,
) -> dt.date | None:
    """Parse a publication date.

    Accepted: ISO 8601 dates and datetimes (``2024-06-05``, ``2024-06-05T10:00:00Z``), RFC 2822
    as used by RSS (``Wed, 05 Jun 2024 10:00:00 +0000``) and written-out dates (``June 5,
    2024``, ``5 June 2024``). A datetime keeps the date as written in its own time zone, which
    is the publisher's local date. Numeric day/month forms such as ``05/06/2024`` are refused
    as ambiguous.

    value (str | date | datetime | None): the raw value; None or a blank string means "no date".
    origin (str): the document or file the value came from, for the error message.
    today (date | None): reference day for the "not in the future" check; ``date.today()``
        when None (tests pass a fixed day).
    RETURNS (date | None): the date, or None when there is none.
    RAISES IngestError: when the value does not parse, or is before 1900 or more than two days
        after ``today``.
    """
    today = today or dt.date.today()
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _check_range(value.date(), value, origin, today)
    if isinstance(value, dt.date):
        return _check_range(value, value, origin, today)
    if not isinstance(value, str):
        raise IngestError(
            f"{origin or 'document'}: published must be a date string, got "
            f"{type(value).__name__} {value!r}"
        )
    text = value.strip()
    if not text:
        return None
    day = _parse_string(text)
    if day is None:
        raise IngestError(
            f"{origin or 'document'}: cannot read published date {value!r}; use ISO 8601 "
            "(YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+00:00), RFC 2822 or 'June 5, 2024'"
        )
    return _check_range(day, value, origin, today)


def resolve_published(
    override: dt.date | None, own: object, *, origin: str = ""
) -> dt.date | None:
    """Pick a document's published date: an explicit override wins over its own metadata.

    override (date | None): the caller's date (CLI ``--published``); when given, ``own`` is
        not even parsed, so a bad date in the document cannot fail it.
    own (object): the document's own raw value (string, date or None).
    origin (str): the document, for error messages.
    RETURNS (date | None): the date to store.
    RAISES IngestError: when ``override`` is None and ``own`` does not parse or is implausible.
    """
    if override is not None:
        return override
    return parse_published(own, origin=origin)  # type: ignore[arg-type]
