"""Hand-built documents and events for the store tests (no NLP)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Optional, Sequence

from sqlalchemy import MetaData, inspect, select

from eventlens.models import ActorRef, Document, Event, EventDate, Evidence, Location
from eventlens.store import EventStore

SENTENCE = "Gunmen attacked a police post in Kandahar on Monday."

KANDAHAR = Location(text="Kandahar", name="Kandahar", country="AF", admin1="Kandahar",
                    lat=31.61, lon=65.71, precision="city", geonames_id=1138336)
KABUL = Location(text="Kabul", name="Kabul", country="AF", admin1="Kabul", lat=34.53, lon=69.17,
                 precision="city", geonames_id=1138958)
PESHAWAR = Location(text="Peshawar", name="Peshawar", country="PK",
                    admin1="Khyber Pakhtunkhwa", lat=34.01, lon=71.58, precision="city",
                    geonames_id=1168197)
AFGHANISTAN = Location(text="Afghanistan", name="Afghanistan", country="AF", lat=33.0, lon=65.0,
                       precision="country", geonames_id=1149361)
PARIS = Location(text="Paris", name="Paris", country="FR", admin1="Île-de-France", lat=48.85,
                 lon=2.35, precision="city", geonames_id=2988507)

Actor = tuple[str, Optional[str], str]  # name, KB id, kind
TALIBAN: Actor = ("Taliban", "taliban", "group")
ISKP: Actor = ("Islamic State Khorasan Province", "iskp", "group")


def make_doc(doc_id: str, text: Optional[str] = None, **meta) -> Document:
    text = text if text is not None else f"{SENTENCE} ({doc_id})"
    return Document(id=doc_id, text=text, content_hash=hashlib.sha256(text.encode()).hexdigest(),
                    **meta)


def make_event(doc: Document, event_id: str, *, type: str = "ASSAULT",
               location: Optional[Location] = KANDAHAR,
               day: Optional[dt.date] = dt.date(2024, 6, 10),
               actors: Sequence[Actor] = (TALIBAN,), killed: Optional[int] = 3,
               mode: Sequence[str] = ("firearms",), modality: str = "occurred") -> Event:
    return Event(
        doc_id=doc.id, event_id=event_id, type=type, mode=list(mode), modality=modality,
        actors=[ActorRef(role="source", text=name, name=name, id=actor_id, kind=kind)
                for name, actor_id, kind in actors],
        date=EventDate(text="on Monday" if day else None, start=day, end=day,
                       precision="day" if day else "unknown",
                       anchor="published" if day else "none"),
        location=location, killed=killed, claimed_by=[],
        evidence=[Evidence(sentence=doc.text[:20], start=0, end=20)], confidence=0.8)


def dump(store: EventStore) -> dict[str, list[tuple]]:
    """Every row of every table (sorted): equal dumps are identical stores."""
    with store.engine.connect() as conn:
        meta = MetaData()
        meta.reflect(conn)
        names = sorted(inspect(conn).get_table_names())
        return {name: sorted((tuple(r) for r in conn.execute(select(meta.tables[name]))),
                             key=repr) for name in names}
