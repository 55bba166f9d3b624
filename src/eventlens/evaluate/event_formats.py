"""Readers of labelled event corpora for ``eventlens eval events``.

Every reader returns :class:`GoldCase` records: the :class:`~eventlens.models.Document` to run
through the pipeline, plus whichever gold fields the corpus labels (None or empty where it labels
nothing). :func:`read_cases` detects the format from the file name and its first bytes:

* ``acled``: ACLED CSV exports (``notes`` is the document, ``event_date`` its published date);
  gold ACLED event type and sub-event type, ``actor1``, country, admin1, lat/lon, fatalities and
  the event date.
* ``plover``: the PLOVER gold-standard records, a JSON list; the ``DOCUMENT`` record and records
  without an event type are skipped. Gold PLOVER type, mode and source/target actors.
* ``petrarch``: PETRARCH validation files (``<Sentence>`` with ``<EventCoding>`` and ``<Text>``).
  These files are not well-formed XML (``#`` banners, self-closed ``<Sentence/>`` followed by a
  closing tag), so they are read with a tolerant scan instead of an XML parser. CAMEO event codes
  become PLOVER types through :func:`load_cameo_map`; a sentence coded ``noevents`` becomes a
  case whose gold is "no event".
* ``jsonl``: contract JSON Lines (``id``, ``text``, optional ``title``/``published``) whose
  lines carry a ``gold`` object with contract field names (``type``, ``mode``, ``modality``,
  ``actors``, ``location``, ``date``, ``killed``, ``acled``); lines without ``gold`` are skipped.

Every unreadable file raises :class:`~eventlens.errors.IngestError` naming the file and, where
there is one, the line, row or record.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Optional

import pycountry

from ..errors import IngestError
from ..ingest.documents import make_document, parse_published
from ..models import Document

__all__ = ["CameoMapping", "GoldActor", "GoldCase", "detect_format", "load_cameo_map",
           "parse_cameo_map", "read_cases", "to_iso2"]

log = logging.getLogger(__name__)

FORMATS = ("acled", "plover", "petrarch", "jsonl")
_ACLED_COLUMNS = ("notes", "event_type", "sub_event_type", "event_date", "actor1", "country",
                  "admin1", "latitude", "longitude", "fatalities")
# ACLED country names that pycountry does not know under that name.
_COUNTRY_ALIASES = {
    "democratic republic of congo": "CD", "republic of congo": "CG", "ivory coast": "CI",
    "palestine": "PS", "kosovo": "XK", "russia": "RU", "curacao": "CW", "turkey": "TR",
    "micronesia": "FM", "cape verde": "CV", "east timor": "TL", "eswatini": "SZ",
    "caribbean netherlands": "BQ", "saint-barthelemy": "BL", "saint-martin": "MF",
    "vatican city": "VA", "united states": "US", "united kingdom": "GB", "south korea": "KR",
    "north korea": "KP", "laos": "LA", "vietnam": "VN", "syria": "SY", "iran": "IR",
}
_STATE_CLASSES = (
    (re.compile(r"^military forces of (.+)$"), frozenset({"military", "state"})),
    (re.compile(r"^police forces of (.+)$"), frozenset({"police"})),
    (re.compile(r"^government of (.+)$"), frozenset({"government", "state"})),
)
_GROUP_CLASSES = (
    ("unidentified armed group", frozenset({"group"})),
    ("unidentified gang", frozenset({"group"})),
    ("unidentified military forces", frozenset({"military"})),
    ("sole perpetrator", frozenset({"group", "person"})),
    ("civilians", frozenset({"civilians", "person"})),
)
_CROWD_NAMES = ("protesters", "rioters", "demonstrators")
_PLOVER_SECTORS = {"GOV": frozenset({"government", "state"}), "MIL": frozenset({"military"}),
                   "COP": frozenset({"police"}), "CVL": frozenset({"civilians", "person"})}


@dataclass(frozen=True, slots=True)
class GoldActor:
    """A labelled actor: ``names`` to compare with predicted names, or ``kinds`` + ``country``.

    ``kinds`` is non-empty only where the label names a class of actor (ACLED "Military Forces
    of Nigeria", a CAMEO country code) rather than a particular one.
    """

    role: str
    text: str
    names: tuple[str, ...]
    kinds: frozenset[str] = frozenset()
    country: Optional[str] = None


@dataclass(frozen=True, slots=True)
class GoldCase:
    """One labelled document; gold fields a corpus does not label are None or empty.

    ``types`` holds the acceptable PLOVER types (several where a sentence has several codings);
    ``expect_no_event`` marks a sentence labelled as describing no event at all.
    """

    document: Document
    corpus: str
    types: tuple[str, ...] = ()
    mode: tuple[str, ...] = ()
    modality: Optional[str] = None
    actors: tuple[GoldActor, ...] = ()
    acled_event_type: Optional[str] = None
    acled_sub_event_type: Optional[str] = None
    country: Optional[str] = None
    admin1: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    killed: Optional[int] = None
    has_killed: bool = False
    date_start: Optional[dt.date] = None
    date_end: Optional[dt.date] = None
    expect_no_event: bool = False


@dataclass(frozen=True, slots=True)
class CameoMapping:
    """The PLOVER equivalent of one CAMEO event code."""

    type: str
    mode: str
    context: str


def to_iso2(name: str) -> Optional[str]:
    """Map a country name (ACLED spelling) or an ISO alpha-2/alpha-3 code to ISO alpha-2.

    name (str): e.g. "Democratic Republic of Congo", "Nigeria", "NGA".
    RETURNS (str | None): the alpha-2 code, or None when the name is not a country.
    """
    key = " ".join(name.split()).strip()
    if not key:
        return None
    if key.lower() in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key.lower()]
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        return None


# -- CAMEO -> PLOVER -------------------------------------------------------------------------

def parse_cameo_map(text: str) -> dict[str, CameoMapping]:
    """Parse the PLOVER ``CAMEO2PLOVER`` table (``code: TYPE, mode, context # comment``).

    Two-digit heading lines (``14: PROTEST``) map the root code; the first mapping of a code wins.

    text (str): the file's text (or the derived TSV: ``code<TAB>type<TAB>mode<TAB>context``).
    RETURNS (dict[str, CameoMapping]): by CAMEO code.
    """
    table: dict[str, CameoMapping] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "\t" in line:
            code, _, rest = line.partition("\t")
            parts = rest.split("\t")
        else:
            code, sep, rest = line.partition(":")
            if not sep:
                continue
            parts = rest.split(",", 2)
        code = code.strip()
        parts = [p.strip() for p in parts] + ["", ""]
        if code.isdigit() and parts[0].isalpha() and code not in table:
            table[code] = CameoMapping(parts[0].upper(), parts[1], parts[2])
    return table


def load_cameo_map(path: str | Path | None = None) -> dict[str, CameoMapping]:
    """Load the CAMEO -> PLOVER table: the shipped ``data/cameo2plover.tsv`` or ``path``.

    path (str | Path | None): a ``CAMEO2PLOVER-*.txt`` file from PLOVER, or None for the table
        shipped with eventlens (derived from PLOVER's 2021 table, CC BY-SA 4.0).
    RETURNS (dict[str, CameoMapping]): by CAMEO code.
    RAISES IngestError: when the file cannot be read or maps no code.
    """
    try:
        if path is None:
            text = resources.files("eventlens").joinpath("data/cameo2plover.tsv").read_text(
                encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read the CAMEO to PLOVER table {path}: {exc}") from exc
    table = parse_cameo_map(text)
    if not table:
        raise IngestError(f"the CAMEO to PLOVER table {path or 'cameo2plover.tsv'} maps no "
                          "code; expected lines like '141: PROTEST, demo, # Demonstrate'")
    return table


def _cameo_type(code: str, table: dict[str, CameoMapping]) -> Optional[str]:
    """PLOVER type of a CAMEO code; unknown sub-codes fall back to their parent code."""
    for size in range(len(code), 1, -1):
        if code[:size] in table:
            return table[code[:size]].type
    return None


# -- format detection ------------------------------------------------------------------------

def detect_format(path: str | Path) -> str:
    """Tell which corpus format a file holds, from its extension and first bytes.

    path (str | Path): the file.
    RETURNS (str): one of ``acled``, ``plover``, ``petrarch``, ``jsonl``.
    RAISES IngestError: when the file cannot be read or looks like none of them.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8192).decode("utf-8-sig", errors="replace")
    except OSError as exc:
        raise IngestError(f"cannot read evaluation file {path}: {exc}") from exc
    start = head.lstrip()[:1]
    suffix = path.suffix.lower()
    first_line = head.lstrip().split("\n", 1)[0]
    if start == "<" and "<Sentence" in head or suffix == ".xml":
        return "petrarch"
    if start == "[":
        return "plover"
    if start == "{" or suffix == ".jsonl":
        return "jsonl"
    if suffix == ".csv" or ("notes" in first_line and "event_type" in first_line):
        return "acled"
    raise IngestError(
        f"cannot tell the format of evaluation file {path}: expected an ACLED CSV export, "
        "PLOVER gold-standard JSON, a PETRARCH validation XML file or JSONL with 'gold' objects")


# -- readers ---------------------------------------------------------------------------------

def _unique(doc_id: str, seen: set[str]) -> str:
    candidate, n = doc_id, 1
    while candidate in seen:
        n += 1
        candidate = f"{doc_id}#{n}"
    seen.add(candidate)
    return candidate


def _acled_date(value: str, where: str) -> dt.date:
    for fmt in ("%d-%b-%y", "%d %B %Y", "%Y-%m-%d", "%d-%B-%Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise IngestError(f"{where}: cannot read event_date {value!r} (expected e.g. 9-May-20 or "
                      "2020-05-09)")


def _country_prefix(words: list[str]) -> Optional[str]:
    if words and words[0] == "the":
        words = words[1:]
    for size in range(len(words), 0, -1):
        iso = to_iso2(" ".join(words[:size]))
        if iso:
            return iso
    return None


def acled_actor(raw: str) -> GoldActor:
    """Turn an ACLED actor label into a :class:`GoldActor` (see ``events.py`` for the rule).

    raw (str): e.g. "Military Forces of Nigeria (2015-)", "Protesters (Israel)",
        "NAF: United Armed Forces of Novorossiya".
    RETURNS (GoldActor): names without parenthesised parts; kinds and country for class labels.
    """
    country = None
    for inner in re.findall(r"\(([^)]*)\)", raw):
        country = country or to_iso2(inner)
    base = " ".join(re.sub(r"\([^)]*\)", " ", raw).split())
    lowered = base.lower()
    names = [base]
    if ": " in base:
        names += [part.strip() for part in base.split(": ", 1)]
    kinds: frozenset[str] = frozenset()
    for pattern, class_kinds in _STATE_CLASSES:
        match = pattern.match(lowered)
        if match:
            kinds = class_kinds
            country = _country_prefix(match.group(1).split()) or country
    for prefix, class_kinds in _GROUP_CLASSES:
        if lowered.startswith(prefix):
            kinds = class_kinds
    if kinds:
        # A class label names no particular actor: "forces" or "police" in the text must not
        # match "Military Forces of Yemen" by name; kind and country decide instead.
        names = []
    if lowered in _CROWD_NAMES:
        names += [n for n in _CROWD_NAMES if n != lowered]
    return GoldActor("source", raw, tuple(names), kinds, country)


def _float_or_none(value: str) -> Optional[float]:
    value = (value or "").strip()
    return float(value) if value else None


def _acled_row(row: dict[str, str], where: str, doc_id: str) -> Optional[GoldCase]:
    notes = (row.get("notes") or "").strip()
    if not notes:
        return None
    day = _acled_date(row["event_date"], where)
    try:
        lat, lon = _float_or_none(row["latitude"]), _float_or_none(row["longitude"])
        killed = int(row["fatalities"]) if (row["fatalities"] or "").strip() else None
    except ValueError as exc:
        raise IngestError(f"{where}: {exc} (latitude, longitude and fatalities must be "
                          "numbers)") from exc
    return GoldCase(
        document=make_document(notes, id=doc_id, published=day, origin=where),
        corpus="acled",
        actors=(acled_actor(row["actor1"]),) if (row["actor1"] or "").strip() else (),
        acled_event_type=row["event_type"].strip() or None,
        acled_sub_event_type=row["sub_event_type"].strip() or None,
        country=to_iso2(row["country"]), admin1=row["admin1"].strip() or None,
        lat=lat, lon=lon, killed=killed, has_killed=killed is not None,
        date_start=day, date_end=day)


def read_acled(path: Path, limit: Optional[int] = None) -> list[GoldCase]:
    """Read an ACLED CSV export (one case per row with notes)."""
    cases: list[GoldCase] = []
    seen: set[str] = set()
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in _ACLED_COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise IngestError(f"{path} is not an ACLED export: missing columns "
                                  f"{', '.join(missing)}")
            for number, row in enumerate(reader, start=2):
                if limit is not None and len(cases) >= limit:
                    break
                where = f"{path}:{number}"
                raw_id = row.get("event_id_cnty") or row.get("data_id") or f"row-{number}"
                case = _acled_row(row, where, _unique(raw_id, seen))
                if case is not None:
                    cases.append(case)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise IngestError(f"cannot read ACLED export {path}: {exc}") from exc
    return cases


def _plover_actors(value: Any, role: str) -> tuple[GoldActor, ...]:
    if not isinstance(value, list):
        return ()
    actors = []
    for item in value:
        if not isinstance(item, dict) or not str(item.get("actorText") or "").strip():
            continue
        code = str(item.get("code") or "")
        country = to_iso2(code[:3]) if len(code) >= 3 and code[:3].isalpha() else None
        kinds = _PLOVER_SECTORS.get(str(item.get("sector") or "").upper(), frozenset())
        if country and not kinds:
            kinds = frozenset({"state", "government", "military", "police", "group", "person",
                               "civilians", "other"})
        text = str(item["actorText"]).strip()
        actors.append(GoldActor(role, text, (text,), kinds if country else frozenset(), country))
    return tuple(actors)


def read_plover(path: Path, limit: Optional[int] = None) -> list[GoldCase]:
    """Read PLOVER gold-standard records (a JSON list)."""
    try:
        records = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read PLOVER records {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise IngestError(f"PLOVER records {path} are not valid JSON: {exc}") from exc
    if not isinstance(records, list):
        raise IngestError(f"PLOVER records {path}: expected a JSON list of records")
    cases: list[GoldCase] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        if limit is not None and len(cases) >= limit:
            break
        if not isinstance(record, dict):
            raise IngestError(f"{path}: record {index} is not a JSON object")
        event = str(record.get("event") or "").strip().upper()
        text = str(record.get("text") or "").strip()
        if not event.isalpha() or event == "DOCUMENT" or not text:
            continue
        where = f"{path}#{record.get('id') or index}"
        mode = str(record.get("mode") or "").strip()
        cases.append(GoldCase(
            document=make_document(text, id=_unique(str(record.get("id") or index), seen),
                                   origin=where),
            corpus="plover", types=(event,), mode=(mode,) if mode else (),
            actors=_plover_actors(record.get("source"), "source")
            + _plover_actors(record.get("target"), "target")))
    return cases


_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SENTENCE = re.compile(r"<Sentence\b([^>]*)>(.*?)(?=<Sentence\b|</Sentences>|\Z)", re.S)
_ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
_CODING = re.compile(r"<EventCoding\b([^>]*)>")
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)


def _sentence_date(value: str) -> Optional[dt.date]:
    try:
        day = dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None
    return day if day.year >= 1900 else None


def read_petrarch(path: Path, limit: Optional[int] = None,
                  cameo: Optional[dict[str, CameoMapping]] = None) -> list[GoldCase]:
    """Read a PETRARCH validation file; CAMEO codes become PLOVER types."""
    try:
        text = _COMMENT.sub("", path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read PETRARCH file {path}: {exc}") from exc
    blocks = _SENTENCE.findall(text)
    if not blocks:
        raise IngestError(f"PETRARCH file {path} has no <Sentence> records")
    cameo = cameo if cameo is not None else load_cameo_map()
    cases: list[GoldCase] = []
    seen: set[str] = set()
    for index, (attrs_text, body) in enumerate(blocks):
        if limit is not None and len(cases) >= limit:
            break
        attrs = dict(_ATTR.findall(attrs_text))
        body_text = _TEXT.search(body)
        codings = [dict(_ATTR.findall(c)) for c in _CODING.findall(body)]
        if body_text is None or not codings or not body_text.group(1).strip():
            continue
        none = any(c.get("noevents", "").lower() == "true" for c in codings)
        types = tuple(dict.fromkeys(
            t for c in codings if (t := _cameo_type(c.get("eventcode", ""), cameo))))
        if not none and not types:
            continue
        doc_id = _unique(attrs.get("id") or f"sentence-{index}", seen)
        cases.append(GoldCase(
            document=make_document(" ".join(body_text.group(1).split()), id=doc_id,
                                   published=_sentence_date(attrs.get("date", "")),
                                   origin=f"{path}#{doc_id}"),
            corpus="petrarch", types=() if none else types, expect_no_event=none))
    return cases


def _gold_fields(gold: dict[str, Any], where: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    etype = gold.get("type")
    if etype:
        fields["types"] = tuple(t.upper() for t in ([etype] if isinstance(etype, str) else etype))
    fields["mode"] = tuple(gold.get("mode") or ())
    fields["modality"] = gold.get("modality")
    actors = []
    for actor in gold.get("actors") or ():
        name = actor.get("name") or actor.get("text") or ""
        kinds = frozenset({actor["kind"]}) if actor.get("kind") and actor.get("country") else (
            frozenset())
        actors.append(GoldActor(actor.get("role", "source"), name,
                                (name, *actor.get("aliases", ())), kinds, actor.get("country")))
    fields["actors"] = tuple(actors)
    location = gold.get("location") or {}
    fields.update(country=location.get("country"), admin1=location.get("admin1"),
                  lat=location.get("lat"), lon=location.get("lon"))
    date = gold.get("date") or {}
    if date.get("start"):
        fields["date_start"] = dt.date.fromisoformat(date["start"])
        fields["date_end"] = dt.date.fromisoformat(date.get("end") or date["start"])
    if "killed" in gold:
        fields.update(killed=gold["killed"], has_killed=True)
    acled = gold.get("acled") or {}
    fields.update(acled_event_type=acled.get("event_type"),
                  acled_sub_event_type=acled.get("sub_event_type"))
    return fields


def read_gold_jsonl(path: Path, limit: Optional[int] = None) -> list[GoldCase]:
    """Read contract JSONL whose lines carry a ``gold`` object."""
    cases: list[GoldCase] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read gold JSONL {path}: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if limit is not None and len(cases) >= limit:
            break
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
            gold = record.get("gold")
            if not isinstance(gold, dict):
                continue
            document = make_document(record["text"], id=str(record["id"]),
                                     title=record.get("title"), origin=where,
                                     published=parse_published(record.get("published"),
                                                               origin=where))
            cases.append(GoldCase(document=document, corpus="jsonl", **_gold_fields(gold, where)))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise IngestError(f"{where}: not a gold record ({type(exc).__name__}: {exc}); "
                              "expected an object with 'id', 'text' and a 'gold' object") from exc
    if not cases:
        raise IngestError(f"gold JSONL {path} has no line with a 'gold' object")
    return cases


_READERS: dict[str, Callable[..., list[GoldCase]]] = {
    "acled": read_acled, "plover": read_plover, "jsonl": read_gold_jsonl}


def read_cases(path: str | Path, limit: Optional[int] = None, *,
               cameo_map: str | Path | None = None) -> list[GoldCase]:
    """Read a labelled event corpus, detecting its format (see the module docstring).

    path (str | Path): the corpus file.
    limit (int | None): read only the first ``limit`` cases.
    cameo_map (str | Path | None): a PLOVER ``CAMEO2PLOVER`` file to use instead of the shipped
        table (PETRARCH files only).
    RETURNS (list[GoldCase]): cases in file order.
    RAISES IngestError: when the file cannot be read or parsed, naming the line or record.
    """
    path = Path(path)
    kind = detect_format(path)
    if kind == "petrarch":
        cases = read_petrarch(path, limit, load_cameo_map(cameo_map))
    else:
        cases = _READERS[kind](path, limit)
    log.info("read %d %s cases from %s", len(cases), kind, path)
    return cases
