"""The offline gazetteer: countries, subdivisions, cities and US counties in one compiled index.

The index is compiled once from the installed data packages (see ``_gazetteer_build``) into
two files in ``<data_dir>``: ``gazetteer-v<SCHEMA_VERSION>.sqlite`` (the countries and
subdivisions, capitals, major names and other small tables, read at open) and its names file
``gazetteer-v<SCHEMA_VERSION>.names`` (every name's candidates). They are written to temporary
files in the same folder and renamed into place, the names file first, so a reader never sees
a half-built index and two builders do not clash (the last rename wins; the build is
deterministic, so both builders' files agree).

A lookup reads one record: the build stores each normalised name with its candidates already
ranked and scored. The names file is memory-mapped and its sorted key hashes are read at
open, so a lookup is a binary search and one small read, with no query; a name the index
lacks (most of what a text offers: "Department of Health") costs only the search. Lookups are
memoised per :class:`Gazetteer` instance.
"""

from __future__ import annotations

import array
import bisect
import difflib
import functools
import logging
import marshal
import mmap
import os
import sqlite3
import struct
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from ..errors import ResolutionError
from . import _gazetteer_build as _build
from ._gazetteer_build import (
    KIND_ALIAS,
    KIND_ALTERNATE,
    KIND_PRIMARY,
    NAMES_HEADER,
    NAMES_MAGIC,
    SCHEMA_VERSION,
    consonants,
    data_fingerprint,
    key_hash,
    normalize_name,
    skeleton,
    write_index,
)

__all__ = ["INDEX_NAME", "NAMES_NAME", "Candidate", "Gazetteer", "GazetteerEntry",
           "build_gazetteer", "normalize_name"]

logger = logging.getLogger(__name__)

INDEX_NAME = f"gazetteer-v{SCHEMA_VERSION}.sqlite"
# The index's names file, beside it (see _gazetteer_build.write_names).
NAMES_NAME = f"gazetteer-v{SCHEMA_VERSION}.names"

class GazetteerEntry(NamedTuple):
    """One place of the gazetteer.

    ``admin1`` is the name of the first-level subdivision the place lies in (None for countries
    and subdivisions themselves); ``admin2`` the county of a US town (from its ZIP codes) or
    the county's own name; ``population`` of a subdivision is the summed population of
    its cities in the index.
    """

    id: int
    geonames_id: int | None
    name: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    feature: str
    population: int
    admin2: str | None = None


class Candidate(NamedTuple):
    """A gazetteer entry matched by a name, with how it was matched and its prior score."""

    entry: GazetteerEntry
    kind: int
    prior: float


# Shorter skeletons meet too many unrelated names.
_MIN_SKELETON = 4
# How alike two skeletons must be for names that differ in their vowels to meet.
_LOOSE_RATIO = 0.9
# Degrees (lat + lon) within which two entries of one respelling count as one place.
_SAME_PLACE_DEG = 2.0
def prior_score(entry: GazetteerEntry, kind: int, capital: bool = False) -> float:
    """Context-free score of an entry matched through a name of ``kind`` (the index stores it
    for every name; this scores entries built otherwise, such as subdivisions by code).

    National capitals and cities of a million get a prominence bonus, so that one mention of
    another country in the text does not turn "Moscow" into Moscow, Idaho.

    RETURNS (float): higher is likelier; roughly 0..4.
    """
    return _build.prior_score(entry.feature, entry.population, kind, capital)


def build_gazetteer(path: Path, *, min_population: int = 0) -> Path:
    """Compile the gazetteer index from the data packages and move it atomically to ``path``,
    with its names file beside it (:data:`NAMES_NAME`).

    Takes 20 to 30 s and writes about 50 MB for the full index (every GeoNames city of 500+).

    path (Path): the index file to create or replace.
    min_population (int): leave out smaller cities; 0 (all of cities500) for real use, larger
        values build a small index quickly (tests).
    RETURNS (Path): ``path``.
    RAISES ResolutionError: when the package data cannot be read or the file cannot be written.
    """
    path = Path(path)
    start = time.perf_counter()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp_names = tmp.with_name(tmp.name + ".names")
        tmp.unlink()  # sqlite3 wants to create the file itself
        try:
            write_index(tmp, tmp_names, min_population)
            # The names file first: an index file in place always has its names file.
            os.replace(tmp_names, _names_path(path))
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
            tmp_names.unlink(missing_ok=True)
    except (OSError, sqlite3.Error, ValueError, KeyError, TypeError, ImportError) as exc:
        raise ResolutionError(f"cannot build the gazetteer index {path}: {exc}") from exc
    logger.info("built gazetteer %s in %.1f s", path, time.perf_counter() - start)
    return path


def _names_path(path: Path) -> Path:
    return path.with_suffix(".names")


def _map_names(path: Path, meta: dict[str, str]) -> mmap.mmap:
    """Memory-map the names file of the index at ``path``, checked against its ``meta``.

    RAISES OSError: when it is missing or unreadable; ValueError: when it is not the names
        file the index was built with.
    """
    names_path = _names_path(path)
    with open(names_path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if str(size) != meta.get("names_bytes") or size < NAMES_HEADER.size:
            raise ValueError(f"{names_path} has {size} bytes, not the "
                             f"{meta.get('names_bytes')} the index was built with")
        names = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    magic, version, count, data_bytes = NAMES_HEADER.unpack_from(names, 0)
    if magic != NAMES_MAGIC or version != SCHEMA_VERSION or \
            NAMES_HEADER.size + 8 * count + 4 + data_bytes != size:
        names.close()
        raise ValueError(f"{names_path} is not a names file of schema {SCHEMA_VERSION}")
    return names


# Names whose candidates a gazetteer keeps in memory.
_MEMO_SIZE = 65536


class Gazetteer:
    """Read-only access to a compiled gazetteer index; open with :meth:`Gazetteer.open`."""

    def __init__(self, con: sqlite3.Connection, path: Path, names: mmap.mmap) -> None:
        self._con = con
        self.path = path
        self._names = names
        self._countries: dict[str, GazetteerEntry] = {}
        self._capitals: dict[str, str] = {}
        self._major: frozenset[str] = frozenset()
        self._major_last: frozenset[str] = frozenset()  # the last word of each major name
        self._subtypes: dict[int, str] = {}
        self._key_hashes: array.array = array.array("I")
        self._by_code: dict[str, GazetteerEntry] = {}
        self._by_suffix: dict[str, tuple[GazetteerEntry, ...]] = {}
        self._respell: dict[str, tuple[str, ...]] = {}
        self._offsets: array.array = array.array("I")
        self._data_at = 0
        self._load_small_tables()
        self._load_names_index()
        # Per-instance memos; the cache dies with the instance, so no module-level state.
        self._found: dict[str, tuple[Candidate, ...]] = {}
        self.key = functools.lru_cache(maxsize=65536)(normalize_name)
        self._skeleton = functools.lru_cache(maxsize=65536)(skeleton)
        self._loose_keys = functools.lru_cache(maxsize=65536)(self._find_loose_keys)

    @classmethod
    def open(cls, data_dir: str | Path, *, build: bool = True,
             min_population: int = 0) -> "Gazetteer":
        """Open ``<data_dir>/gazetteer-v<N>.sqlite``, building it first when missing (20 to 30 s;
        opening a built index takes well under a second).

        data_dir (str | Path): folder of the cached index (``Settings.data_dir``).
        build (bool): build a missing, unreadable or differently sized index; when False such
            an index raises instead.
        min_population (int): smallest city to index (see :func:`build_gazetteer`); an index
            built with another value is rebuilt.
        RETURNS (Gazetteer): ready for lookups.
        RAISES ResolutionError: when the index is missing or corrupt and ``build`` is False, or
            when it cannot be built.
        """
        path = Path(data_dir) / INDEX_NAME
        if not path.exists():
            if not build:
                raise ResolutionError(
                    f"no gazetteer index at {path}; open it with build=True to compile it")
            build_gazetteer(path, min_population=min_population)
        try:
            return cls._connect(path, min_population)
        except ResolutionError:
            if not build:
                raise
            logger.warning("gazetteer index %s is unusable; rebuilding it", path)
            build_gazetteer(path, min_population=min_population)
            return cls._connect(path, min_population)

    @classmethod
    def _connect(cls, path: Path, min_population: int) -> "Gazetteer":
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.Error as exc:
            raise ResolutionError(f"cannot open gazetteer index {path}: {exc}") from exc
        try:
            meta = dict(con.execute("SELECT key, value FROM meta"))
            if meta.get("schema_version") != str(SCHEMA_VERSION) or \
                    meta.get("min_population") != str(min_population):
                raise ResolutionError(
                    f"gazetteer index {path} was built as {meta}, expected schema "
                    f"{SCHEMA_VERSION} with min_population {min_population}; delete it to rebuild")
            if meta.get("data") != data_fingerprint():
                raise ResolutionError(
                    f"gazetteer index {path} was compiled from other data (place aliases or "
                    "package versions have changed since); delete it to rebuild")
            names = _map_names(path, meta)
            try:
                return cls(con, path, names)
            except BaseException:
                names.close()
                raise
        except (OSError, sqlite3.Error, ValueError, KeyError, EOFError, TypeError,
                struct.error) as exc:
            con.close()
            raise ResolutionError(
                f"gazetteer index {path} is corrupt ({exc}); delete it to rebuild") from exc
        except ResolutionError:
            con.close()
            raise

    def close(self) -> None:
        """Close the database connection and the names file."""
        self._con.close()
        self._names.close()

    def _load_small_tables(self) -> None:
        for row in self._con.execute(
                "SELECT id, geonames_id, name, country, admin1, lat, lon, feature, population, "
                "admin2 FROM entries WHERE feature='country'"):
            entry = GazetteerEntry(*row)
            self._countries[entry.country] = entry
        self._capitals = {cc: name for cc, name, _ in self._con.execute(
            "SELECT country, capital, entry_id FROM capitals")}
        majors = self._con.execute("SELECT key, skel FROM major").fetchall()
        self._major = frozenset(k for k, _ in majors)
        self._major_last = frozenset(k.rsplit(" ", 1)[-1] for k in self._major)
        self._subtypes = dict(self._con.execute("SELECT entry_id, subtype FROM subtypes"))
        # The subdivisions by their code ("UA-14") and by its last part ("TN": Tamil Nadu,
        # Tennessee): a few thousand, read whole, since a suffix cannot use an index.
        by_suffix: dict[str, list[GazetteerEntry]] = {}
        for row in self._con.execute(
                "SELECT id, geonames_id, name, country, admin1, lat, lon, feature, population, "
                "admin2, code FROM entries WHERE feature = 'admin1' AND code LIKE '%-%' "
                "ORDER BY id"):
            entry = GazetteerEntry(*row[:10])
            self._by_code.setdefault(row[10].upper(), entry)
            by_suffix.setdefault(row[10].rsplit("-", 1)[1].upper(), []).append(entry)
        self._by_suffix = {k: tuple(v) for k, v in by_suffix.items()}
        blobs = dict(self._con.execute("SELECT name, data FROM blobs"))
        self._respell = marshal.loads(blobs["respell"])
        by_skeleton: dict[str, set[str]] = {}
        for key, skel in majors:
            by_skeleton.setdefault(skel, set()).add(key)
        self._skeletons = {sk: tuple(sorted(keys)) for sk, keys in by_skeleton.items()
                           if len(sk) >= _MIN_SKELETON}

    def _load_names_index(self) -> None:
        # The key hashes and record offsets (some 3 MB) are copied into arrays: a binary
        # search reads them often, the records themselves are read from the map when asked.
        names = self._names
        _magic, _version, count, _size = NAMES_HEADER.unpack_from(names, 0)
        at = NAMES_HEADER.size
        self._key_hashes = array.array("I")
        self._key_hashes.frombytes(names[at:at + 4 * count])
        at += 4 * count
        self._offsets = array.array("I")
        self._offsets.frombytes(names[at:at + 4 * (count + 1)])
        self._data_at = at + 4 * (count + 1)

    def candidates(self, key: str) -> tuple[Candidate, ...]:
        """Candidates for an index key (see :meth:`key`), best prior first.

        key (str): a normalised name ("kabul", "al mawsil").
        RETURNS (tuple[Candidate, ...]): possibly empty; memoised.
        """
        found = self._found.get(key)
        if found is None:
            found = self._remember(key, self._read(key))
        return found

    def _read(self, key: str) -> tuple | None:
        # The records are in hash order: a binary search finds the first with the key's
        # hash, and another key with the same hash (rare) is passed over.
        hashes, offsets, names, data_at = self._key_hashes, self._offsets, self._names, \
            self._data_at
        h = key_hash(key)
        at = bisect.bisect_left(hashes, h)
        while at < len(hashes) and hashes[at] == h:
            try:
                stored, rows = marshal.loads(
                    names[data_at + offsets[at]:data_at + offsets[at + 1]])
            except (ValueError, EOFError, TypeError) as exc:
                # Damaged after it was opened (the size and header were checked then).
                raise ResolutionError(
                    f"gazetteer names file {_names_path(self.path)} is corrupt ({exc}); "
                    "delete it to rebuild") from exc
            if stored == key:
                return rows
            at += 1
        return None

    def _remember(self, key: str, rows: tuple | None) -> tuple[Candidate, ...]:
        if len(self._found) >= _MEMO_SIZE:
            self._found.clear()  # a long batch: start over rather than grow without end
        # Rows come ranked by the build (best prior first): entry columns, kind, prior.
        # tuple.__new__ skips the named tuples' Python-level constructors (half the cost of
        # decoding a row, and a first pass decodes thousands).
        new = tuple.__new__
        found = self._found[key] = () if rows is None else tuple(
            [new(Candidate, (new(GazetteerEntry, r[:10]), r[10], r[11])) for r in rows])
        return found

    def lookup(self, name: str) -> list[GazetteerEntry]:
        """Candidates for a surface name, best first by prior (feature, name kind, population).

        name (str): a place name as written ("Nangarhar", "Al-Mawsil").
        RETURNS (list[GazetteerEntry]): possibly empty.
        """
        return [c.entry for c in self.candidates(self.key(name))]

    def respelling(self, name: str, *, towns: bool = False) -> str | None:
        """The key of the major name (country, subdivision, region, big city) that ``name``
        respells in another transliteration ("Ar-Raqqa" -> "ar raqqah", "Idleb" -> "idlib",
        "Lattakia" -> "latakia"), or None when it respells none or several.

        name (str): a place name as written.
        towns (bool): also try the names of towns of 50,000+ and vowels written another way
            ("Mahabubnagar" -> "mahbubnagar"); only for names the text surely uses as places,
            since a person's or a disease's name may respell a town ("Ebola", "Ebolowa").
        RETURNS (str | None): an index key to pass to :meth:`candidates`.
        """
        key = self.key(name)
        if key in self._major:
            return None
        keys = self._skeletons.get(self._skeleton(key), ()) or (
            self._loose_keys(key) if towns else ())
        # Several spellings may share a skeleton ("raqqa", "ar raqqah"); accept them only when
        # their best places are one place (a city and its same-name province count as one:
        # same country, close together), so a respelling never picks between two places.
        tops = [(found[0], k) for k in keys if (found := self.candidates(k))]
        if not tops:
            return None
        best, best_key = max(tops, key=lambda t: (t[0].prior, t[1]))
        for cand, _k in tops:
            e, b = cand.entry, best.entry
            if e.country != b.country or abs(e.lat - b.lat) + abs(e.lon - b.lon) > _SAME_PLACE_DEG:
                return None
        return best_key

    def _find_loose_keys(self, key: str) -> tuple[str, ...]:
        """Names of towns of 50,000+ that ``key`` may respell: by the same
        :func:`skeleton` ("Virudhunagar" for Virudunagar), else, failing any, by the same
        consonants and a close skeleton ("Nassriya" for Nasiriyah)."""
        own = self._skeleton(key)
        if len(own) < _MIN_SKELETON or " " in key:
            return ()  # a qualified name ("Swat Valley") is not "South Valley" respelt
        keys = [k for k in self._respell.get(own, ()) if k != key]
        if not keys and len(consonants(key)) >= _MIN_SKELETON:
            # Vowels written differently: only near-identical skeletons, since consonants
            # alone join unrelated names ("Garabulli" and "Garoua Boulai").
            keys = [k for k in self._respell.get(consonants(key), ()) if k != key
                    and difflib.SequenceMatcher(None, own, self._skeleton(k)).ratio()
                    >= _LOOSE_RATIO]
        return tuple(sorted(keys))

    def is_major_name(self, name: str, *, respelt: bool = True) -> bool:
        """Whether ``name`` is a country, subdivision, region or big-city (100k+) name.

        name (str): a name as written.
        respelt (bool): also accept another transliteration of one ("Lattakia").
        RETURNS (bool): used to recognise capitalised names the NER model missed.
        """
        key = self.key(name)
        return key in self._major or (respelt and self._skeleton(key) in self._skeletons)

    def may_end_major_name(self, word: str) -> bool:
        """Whether a major name's key ends in the key of ``word``: a name written with
        ``word`` last, after a space, is a major name only if so (a test that spares building
        and folding the longer text). True when unsure (a word that folds to nothing).

        word (str): one word as written ("Sul", "Boyer-Ahmad").
        """
        key = self.key(word)
        return not key or key.rsplit(" ", 1)[-1] in self._major_last

    def subtype(self, entry: GazetteerEntry) -> str | None:
        """The ISO 3166-2 type of a subdivision entry, lower-case ('state', 'province',
        'autonomous region'), or None for other entries and untyped subdivisions."""
        return self._subtypes.get(entry.id)

    def subdivision(self, code: str) -> GazetteerEntry | None:
        """The first-level subdivision with an ISO 3166-2 code ("UA-14"), or None."""
        return self._by_code.get(code.upper())

    def subdivisions_coded(self, suffix: str) -> tuple[GazetteerEntry, ...]:
        """The first-level subdivisions whose ISO 3166-2 code ends in ``-suffix`` ("TN":
        Tamil Nadu, Tennessee, ...), in any country."""
        if not suffix.isalnum():
            return ()
        return self._by_suffix.get(suffix.upper(), ())

    def country(self, cc: str) -> GazetteerEntry | None:
        """The country entry for an ISO alpha-2 code, or None."""
        return self._countries.get((cc or "").upper())

    def capital(self, cc: str) -> str | None:
        """The capital's name for an ISO alpha-2 code, or None."""
        return self._capitals.get((cc or "").upper())

    def admin1(self, cc: str, name: str) -> GazetteerEntry | None:
        """The first-level subdivision of country ``cc`` called ``name`` (any known spelling).

        RETURNS (GazetteerEntry | None): None when the country has no such subdivision.
        """
        cc = (cc or "").upper()
        for cand in self.candidates(normalize_name(name)):
            if cand.entry.feature == "admin1" and cand.entry.country == cc:
                return cand.entry
        return None
