"""Event store benchmark: ingest synthetic events, then time the queries a user runs.

Builds ``--events`` realistic but synthetic events (no NLP) from templates: actors from the
packaged knowledge base (armed groups of the event's country, ISIS provinces, national forces as
targets), places from the gazetteer (real cities of 24 countries with their coordinates and
provinces), dates over three years (day precision mostly, some week/month), PLOVER types with
modes and tolls. About a quarter of the events are further reports of an earlier incident (a day
later, another toll, sometimes another place spelling), so merging works as in real use. Each
document carries one to three events and is stored with :meth:`EventStore.add` (one transaction
per document, merging included), in publication order.

Then it times ``--queries`` runs of each query through :meth:`EventStore.events`:

* country + month: ``EventQuery(country=CC, since=first day, until=last day)``;
* actor: ``EventQuery(actor=NAME)`` for a group or its parent (ISIS includes its provinces);
* radius: ``EventQuery(near=(lat, lon), radius_km=50)`` around a city;

each once returning every match and once the first page (``limit=100``), and prints events/s
and p50/p95 latencies. The store is SQLite (a temporary file, or ``--sqlite PATH``) and, with
``--pg URL``, PostgreSQL too (in a fresh schema that is dropped afterwards).

    .venv/bin/python bench/store.py --events 100000
    .venv/bin/python bench/store.py --events 100000 --pg postgresql://user@127.0.0.1:5432/db
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import hashlib
import json
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import quote

from eventlens.config import load_settings
from eventlens.models import (
    Actor,
    ActorRef,
    Document,
    Event,
    EventDate,
    Evidence,
    Location,
)
from eventlens.resolve.actor_kb import ActorKB
from eventlens.resolve.gazetteer import Gazetteer
from eventlens.store import EventQuery, EventStore

TARGET_P95_MS = 200.0
FIRST_DAY = dt.date(2022, 1, 1)
DAYS = 3 * 365
CITIES = {
    "AF": ["Kabul", "Kandahar", "Jalalabad", "Herat", "Kunduz", "Mazar-i-Sharif"],
    "PK": ["Peshawar", "Quetta", "Karachi", "Lahore", "Bannu", "Dera Ismail Khan"],
    "IQ": ["Baghdad", "Mosul", "Kirkuk", "Tikrit", "Ramadi"],
    "SY": ["Damascus", "Aleppo", "Idlib", "Deir ez-Zor", "Raqqa", "Homs"],
    "SO": ["Mogadishu", "Kismayo", "Baidoa", "Beledweyne"],
    "NG": ["Maiduguri", "Kaduna", "Abuja", "Zaria", "Katsina"],
    "ML": ["Bamako", "Gao", "Mopti", "Timbuktu"],
    "BF": ["Ouagadougou", "Djibo", "Kaya", "Dori"],
    "NE": ["Niamey", "Tillaberi", "Diffa"],
    "CD": ["Goma", "Beni", "Bunia", "Butembo"],
    "SD": ["Khartoum", "El Fasher", "Nyala", "Omdurman"],
    "YE": ["Sanaa", "Aden", "Marib", "Taiz"],
    "MZ": ["Pemba", "Mocimboa da Praia"],
    "PH": ["Marawi", "Cotabato", "Zamboanga", "Jolo"],
    "UA": ["Kharkiv", "Kherson", "Zaporizhzhia", "Odesa"],
    "CO": ["Cali", "Medellin", "Cucuta", "Bogota"],
    "IN": ["Srinagar", "Imphal", "Raipur", "Sukma"],
    "MM": ["Myitkyina", "Lashio", "Sittwe", "Mandalay"],
    "MX": ["Culiacan", "Tijuana", "Ciudad Juarez", "Acapulco"],
    "IL": ["Jerusalem", "Sderot", "Haifa"],
    "LY": ["Tripoli", "Benghazi", "Sirte"],
    "ET": ["Gondar", "Bahir Dar", "Mekele"],
    "CF": ["Bangui", "Bambari"],
    "TR": ["Istanbul", "Diyarbakir", "Ankara"],
}
TEMPLATES = (  # type, modes, modality, verb, weight
    ("ASSAULT", ["explosives", "suicide-attack"], "occurred", "carried out a suicide bombing "
     "against", 8),
    ("ASSAULT", ["explosives"], "occurred", "set off a roadside bomb against", 10),
    ("ASSAULT", ["firearms"], "occurred", "opened fire on", 14),
    ("ASSAULT", ["drone"], "occurred", "attacked with drones", 4),
    ("ASSAULT", ["abduct"], "occurred", "abducted members of", 4),
    ("FIGHT", ["firearms"], "occurred", "clashed with", 10),
    ("COERCE", ["arrest"], "occurred", "arrested suspected members of", 6),
    ("PROTEST", [], "occurred", "protested against", 3),
    ("THREATEN", [], "threatened", "threatened to attack", 2),
)


@dataclass(frozen=True)
class Setting:
    """Where synthetic events can happen: places and actors per country."""

    places: dict[str, list[Location]]
    groups: dict[str, list[Actor]]
    targets: dict[str, list[Actor]]


def load_setting(kb: ActorKB, gazetteer: Gazetteer) -> Setting:
    """Real cities (from the gazetteer) and actors (from the KB) for the bench countries.

    kb (ActorKB): the knowledge base.
    gazetteer (Gazetteer): the compiled gazetteer.
    RETURNS (Setting): countries with at least one city found.
    """
    places: dict[str, list[Location]] = {}
    for cc, names in CITIES.items():
        for name in names:
            entry = next((e for e in gazetteer.lookup(name)
                          if e.country == cc and e.feature == "city"), None)
            if entry is not None:
                places.setdefault(cc, []).append(Location(
                    text=name, name=entry.name, country=cc, admin1=entry.admin1, lat=entry.lat,
                    lon=entry.lon, precision="city", geonames_id=entry.geonames_id))
    groups: dict[str, list[Actor]] = {}
    for actor in kb:
        if actor.kind == "group" and actor.country in places:
            groups.setdefault(actor.country, []).append(actor)
    targets = {cc: [a for a in (kb.national(cc, k) for k in ("military", "police", "state"))
                    if a is not None] for cc in places}
    generic = kb.get("generic:militants")
    for cc in places:
        groups.setdefault(cc, [generic])
        targets[cc] = targets[cc] or [kb.get("generic:civilians")]
    return Setting(places, groups, targets)


def _ref(actor: Actor, role: str) -> ActorRef:
    return ActorRef(role=role, text=actor.name, name=actor.name, id=actor.id, kind=actor.kind,
                    country=actor.country)


def _date(rng: random.Random, day: dt.date) -> EventDate:
    roll = rng.random()
    if roll < 0.9:
        return EventDate(text="on Monday", start=day, end=day, precision="day",
                         anchor="published")
    if roll < 0.96:
        monday = day - dt.timedelta(days=day.weekday())
        return EventDate(text="last week", start=monday, end=monday + dt.timedelta(days=6),
                         precision="week", anchor="published")
    last = calendar.monthrange(day.year, day.month)[1]
    return EventDate(text="this month", start=day.replace(day=1), end=day.replace(day=last),
                     precision="month", anchor="published")


def _event(doc_id: str, n: int, incident: dict, rng: random.Random, offset: int) -> tuple[
        Event, str]:
    """One report of an incident and its evidence sentence."""
    actor, target, place, day, template = (incident[k] for k in ("actor", "target", "place",
                                                                 "day", "template"))
    etype, modes, modality, verb, _ = template
    killed = None
    if etype in ("ASSAULT", "FIGHT") and modality == "occurred":
        killed = max(0, incident["killed"] + rng.choice([0, 0, 1, 2, -1]))
    sentence = (f"{actor.name} {verb} {target.name} in {place.text} on {day:%A %d %B %Y}"
                + (f", killing {killed} people." if killed else "."))
    ev = Event(
        doc_id=doc_id, event_id=f"ev-{doc_id}-{n}", type=etype, mode=list(modes),
        modality=modality, actors=[_ref(actor, "source"), _ref(target, "target")],
        date=_date(rng, day), location=place, killed=killed,
        arrested=rng.randint(1, 12) if etype == "COERCE" else None,
        claimed_by=[actor.name] if "suicide-attack" in modes else [],
        evidence=[Evidence(sentence=sentence, start=offset, end=offset + len(sentence))],
        confidence=round(rng.uniform(0.5, 0.95), 3))
    return ev, sentence


def generate(setting: Setting, n_events: int, seed: int = 1) -> list[tuple[Document, list[Event]]]:
    """Synthetic documents with their events, in publication order.

    setting (Setting): places and actors.
    n_events (int): total number of events (reports).
    seed (int): random seed; the same seed gives the same data.
    RETURNS (list[tuple[Document, list[Event]]]): documents with one to three events each.
    """
    rng = random.Random(seed)
    countries = sorted(setting.places)
    weights = [t[-1] for t in TEMPLATES]
    incidents: list[dict] = []
    docs: list[tuple[int, Document, list[Event]]] = []
    made = 0
    while made < n_events:
        doc_id = f"doc{len(docs):06d}"
        parts, evs, text_len = [], [], 0
        for n in range(min(rng.choice([1, 1, 1, 2, 2, 3]), n_events - made)):
            if incidents and rng.random() < 0.25:
                incident = rng.choice(incidents[-2000:])  # a follow-up report of a recent one
            else:
                cc = rng.choice(countries)
                incident = {"actor": rng.choice(setting.groups[cc]),
                            "target": rng.choice(setting.targets[cc]),
                            "place": rng.choice(setting.places[cc]),
                            "day": FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS)),
                            "template": rng.choices(TEMPLATES, weights)[0],
                            "killed": rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 40])}
                incidents.append(incident)
            ev, sentence = _event(doc_id, n, incident, rng, text_len)
            evs.append(ev)
            parts.append(sentence)
            text_len += len(sentence) + 1
            made += 1
        source = rng.choice(["Wire A", "Wire B", "Daily C", "Monitor D"])
        # The dateline keeps two reports worded alike from being one document (same text).
        text = " ".join(parts) + f" ({source}, story {doc_id})"
        published = max(ev.date.end for ev in evs) + dt.timedelta(days=rng.randint(0, 2))
        docs.append((published.toordinal(), Document(
            id=doc_id, text=text, title=parts[0][:80], published=published, source=source,
            url=f"https://news.example.org/{doc_id}", language="en",
            content_hash=hashlib.sha256(text.encode()).hexdigest()), evs))
    docs.sort(key=lambda d: (d[0], d[1].id))
    return [(doc, evs) for _, doc, evs in docs]


def ingest(store: EventStore, data: list[tuple[Document, list[Event]]],
           progress: Callable[[int], None]) -> float:
    """Store every document; RETURNS (float): seconds taken."""
    started = time.perf_counter()
    for i, (doc, evs) in enumerate(data, 1):
        store.add(doc, evs)
        if i % 5000 == 0:
            progress(i)
    return time.perf_counter() - started


def _queries(setting: Setting, kb: ActorKB, rng: random.Random, n: int) -> dict[str, list]:
    countries = sorted(setting.places)
    months = [(FIRST_DAY.year + m // 12, m % 12 + 1) for m in range(36)]
    country_month = []
    for _ in range(n):
        year, month = rng.choice(months)
        last = calendar.monthrange(year, month)[1]
        country_month.append(dict(country=rng.choice(countries), since=dt.date(year, month, 1),
                                  until=dt.date(year, month, last)))
    groups = sorted({a.id for g in setting.groups.values() for a in g})
    parents = sorted({kb.get(g).parent for g in groups if kb.get(g) and kb.get(g).parent})
    names = [kb.get(i).name for i in groups + parents * 3]
    actor = [dict(actor=rng.choice(names)) for _ in range(n)]
    cities = [p for ps in setting.places.values() for p in ps]
    radius = []
    for _ in range(n):
        city = rng.choice(cities)
        radius.append(dict(near=(city.lat, city.lon), radius_km=50.0))
    return {"country+month": country_month, "actor": actor, "radius 50 km": radius}


def time_queries(store: EventStore, queries: dict[str, list], limit: Optional[int]) -> dict:
    """Run each query; RETURNS (dict): name -> p50/p95 ms and the mean number of results."""
    results = {}
    for name, runs in queries.items():
        store.events(EventQuery(**runs[0], limit=limit))  # warm the caches once
        times, sizes = [], []
        for kwargs in runs:
            started = time.perf_counter()
            found = store.events(EventQuery(**kwargs, limit=limit))
            times.append((time.perf_counter() - started) * 1000)
            sizes.append(len(found))
        times.sort()
        results[name] = {"p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                         "mean_results": round(statistics.mean(sizes), 1)}
    return results


def run_backend(label: str, url: str, data, queries, kb: ActorKB) -> dict:
    """Ingest into one store and time the queries."""
    n_events = sum(len(evs) for _, evs in data)
    store = EventStore.open(url, kb=kb)
    try:
        seconds = ingest(store, data, lambda i: print(
            f"  {label}: {i:,} / {len(data):,} documents", file=sys.stderr, flush=True))
        counts = store.counts()
        result = {"backend": label, "documents": counts["documents"], "events": counts["reports"],
                  "incidents": counts["events"], "ingest_s": round(seconds, 1),
                  "events_per_s": round(n_events / seconds, 1) if data else None,
                  "all_matches": time_queries(store, queries, None),
                  "first_page": time_queries(store, queries, 100)}
    finally:
        store.close()
    return result


def _pg_schema(url: str) -> tuple[str, Callable[[], None]]:
    from sqlalchemy import text

    from eventlens.store.engine import make_engine

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}", drop


def _print(result: dict) -> None:
    rate = "" if result["events_per_s"] is None else \
        f"; ingest {result['ingest_s']} s = {result['events_per_s']:,.0f} events/s"
    print(f"\n{result['backend']}: {result['events']:,} events in {result['documents']:,} "
          f"documents -> {result['incidents']:,} incidents{rate}")
    print(f"  {'query':15} {'results':>8} {'p50 ms':>8} {'p95 ms':>8}   first 100: "
          f"{'p50 ms':>7} {'p95 ms':>7}")
    for name, full in result["all_matches"].items():
        page = result["first_page"][name]
        print(f"  {name:15} {full['mean_results']:>8} {full['p50_ms']:>8} {full['p95_ms']:>8}"
              f"              {page['p50_ms']:>7} {page['p95_ms']:>7}")


def main(argv: Optional[list[str]] = None) -> int:
    """Run the benchmark; RETURNS (int): 1 when SQLite misses the p95 target, else 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200, help="runs per query kind")
    parser.add_argument("--sqlite", type=Path, help="SQLite file to create (default: temp)")
    parser.add_argument("--pg", help="PostgreSQL URL; a fresh schema is used and dropped")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--queries-only", action="store_true",
                        help="time the queries on the existing --sqlite store (no ingest)")
    args = parser.parse_args(argv)
    if args.queries_only and not (args.sqlite and args.sqlite.exists()):
        parser.error("--queries-only needs an existing --sqlite store")

    settings = load_settings()
    kb = ActorKB.load()
    setting = load_setting(kb, Gazetteer.open(Path(settings.data_dir)))
    started = time.perf_counter()
    data = generate(setting, args.events, args.seed)
    print(f"generated {args.events:,} events in {len(data):,} documents "
          f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    queries = _queries(setting, kb, random.Random(args.seed + 1), args.queries)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = args.sqlite or Path(tmp) / "bench.db"
        if path.exists() and not args.queries_only:
            sys.exit(f"{path} exists; the bench needs a new file (or --queries-only)")
        results.append(run_backend("SQLite", str(path), [] if args.queries_only else data,
                                   queries, kb))
    if args.pg:
        url, drop = _pg_schema(args.pg)
        try:
            results.append(run_backend("PostgreSQL", url, data, queries, kb))
        finally:
            drop()
    if args.json:
        print(json.dumps({"machine": platform.platform(), "results": results}, indent=2))
    else:
        for result in results:
            _print(result)
    worst = max(q["p95_ms"] for q in results[0]["all_matches"].values())
    if worst >= TARGET_P95_MS:
        print(f"\nSQLite p95 {worst} ms misses the target of {TARGET_P95_MS:.0f} ms",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
