"""Queries over incidents: filters by actor, place, radius, type, mode, modality and dates.

Every filter is SQL on indexed columns, except the radius: SQL narrows to the bounding box of the
circle (index on lat/lon) and the exact great-circle distance is checked on the few rows left.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal, Optional

from sqlalchemy import ColumnElement, Connection, Select, and_, false, func, or_, select

from ..errors import StoreError
from ..geo import EARTH_KM, haversine_km
from ..resolve.actor_kb import name_key
from .actors import actor_family
from .schema import event_actors, event_modes, events, reports

__all__ = ["EventQuery", "count_events", "date_counts", "haversine_km", "select_payloads"]

Group = Literal["country", "actor"]

_KM_PER_DEGREE = math.pi * EARTH_KM / 180.0


@dataclass(frozen=True)
class EventQuery:
    """Filters for :meth:`EventStore.events` and friends; None means no filter.

    actor (str | None): actor name, alias or id; child groups are included (ISIS includes ISIS-K).
    country (str | None): ISO 3166-1 alpha-2 code of the incident's place, any case.
    admin1 (str | None): first-level region name (as the gazetteer spells it), any case.
    near (tuple[float, float] | None): (lat, lon) centre of a radius search; needs ``radius_km``.
    radius_km (float | None): radius around ``near`` in kilometres.
    type (str | None): PLOVER event type, any case.
    mode (str | None): one of the incident's modes, e.g. ``"explosives"``.
    modality (str | None): ``occurred``, ``threatened``, ... .
    since (date | None): incidents ending on or after this day.
    until (date | None): incidents starting on or before this day.
    doc_id (str | None): incidents with a report from this document.
    doc_ids (tuple[str, ...] | None): incidents with a report from any of these documents.
    limit (int | None): at most this many incidents (newest first).
    RAISES StoreError: when ``near`` and ``radius_km`` do not come together or are out of range.
    """

    actor: Optional[str] = None
    country: Optional[str] = None
    admin1: Optional[str] = None
    near: Optional[tuple[float, float]] = None
    radius_km: Optional[float] = None
    type: Optional[str] = None
    mode: Optional[str] = None
    modality: Optional[str] = None
    since: Optional[dt.date] = None
    until: Optional[dt.date] = None
    doc_id: Optional[str] = None
    doc_ids: Optional[tuple[str, ...]] = None
    limit: Optional[int] = None

    def __post_init__(self) -> None:
        if (self.near is None) != (self.radius_km is None):
            raise StoreError("a radius search needs both a centre (near=LAT,LON) and a radius "
                             "in km")
        if self.near is not None:
            lat, lon = self.near
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise StoreError(f"centre {lat},{lon} is not a latitude,longitude pair")
            if not self.radius_km > 0:
                raise StoreError(f"the radius must be positive, not {self.radius_km}")



def _bbox(lat: float, lon: float, radius_km: float) -> ColumnElement:
    dlat = radius_km / _KM_PER_DEGREE
    lat_ok = events.c.lat.between(lat - dlat, lat + dlat)
    if abs(lat) + dlat >= 89.0:
        return lat_ok  # near a pole every longitude can be within reach
    dlon = dlat / math.cos(math.radians(lat))
    if dlon >= 180:
        return lat_ok
    lo, hi = lon - dlon, lon + dlon
    if lo < -180:
        lon_ok = or_(events.c.lon >= lo + 360, events.c.lon <= hi)
    elif hi > 180:
        lon_ok = or_(events.c.lon >= lo, events.c.lon <= hi - 360)
    else:
        lon_ok = events.c.lon.between(lo, hi)
    return and_(lat_ok, lon_ok)


def _conditions(conn: Connection, query: EventQuery) -> list[ColumnElement]:
    where: list[ColumnElement] = []
    if query.country:
        where.append(events.c.country == query.country.upper())
    if query.admin1:
        where.append(func.lower(events.c.admin1) == query.admin1.lower())
    if query.type:
        where.append(events.c.type == query.type.upper())
    if query.modality:
        where.append(events.c.modality == query.modality.lower())
    if query.mode:
        where.append(events.c.event_id.in_(select(event_modes.c.event_id).where(
            event_modes.c.mode == query.mode.lower())))
    if query.since:
        where.append(events.c.date_end >= query.since)
    if query.until:
        where.append(events.c.date_start <= query.until)
    doc_ids = set(query.doc_ids or ()) | ({query.doc_id} if query.doc_id else set())
    if query.doc_id is not None or query.doc_ids is not None:
        where.append(events.c.event_id.in_(select(reports.c.event_id).where(
            reports.c.doc_id.in_(sorted(doc_ids)))) if doc_ids else false())
    if query.actor:
        family = actor_family(conn, query.actor)
        named = event_actors.c.name_key == name_key(query.actor)
        match = or_(event_actors.c.actor_id.in_(family), named) if family else named
        where.append(events.c.event_id.in_(select(event_actors.c.event_id).where(match)))
    if query.near is not None:
        where.append(_bbox(*query.near, query.radius_km))
    return where


def _newest_first(stmt: Select) -> Select:
    return stmt.order_by(events.c.date_start.desc().nulls_last(), events.c.event_id)


def _within_radius(rows, query: EventQuery) -> list:
    lat, lon = query.near
    return [r for r in rows if r.lat is not None and r.lon is not None
            and haversine_km(lat, lon, r.lat, r.lon) <= query.radius_km]


def select_payloads(conn: Connection, query: EventQuery) -> list[str]:
    """Merged contract JSON of the incidents matching ``query``, newest first (undated last).

    conn (Connection): a connection to the store.
    query (EventQuery): the filters.
    RETURNS (list[str]): one JSON document per incident.
    """
    where = _conditions(conn, query)
    if query.near is None:
        stmt = _newest_first(select(events.c.payload).where(*where))
        if query.limit:
            stmt = stmt.limit(query.limit)
        return list(conn.execute(stmt).scalars())
    rows = conn.execute(_newest_first(select(events.c.event_id, events.c.lat, events.c.lon)
                                      .where(*where))).all()
    ids = [r.event_id for r in _within_radius(rows, query)][:query.limit or None]
    payloads: dict[str, str] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        payloads.update(conn.execute(select(events.c.event_id, events.c.payload).where(
            events.c.event_id.in_(part))).all())
    return [payloads[i] for i in ids]


def count_events(conn: Connection, query: EventQuery) -> int:
    """Number of incidents matching ``query`` (``limit`` is ignored).

    conn (Connection): a connection to the store.
    query (EventQuery): the filters.
    RETURNS (int): the count.
    """
    where = _conditions(conn, query)
    if query.near is None:
        return conn.execute(select(func.count()).select_from(events).where(*where)).scalar_one()
    rows = conn.execute(select(events.c.lat, events.c.lon).where(*where)).all()
    return len(_within_radius(rows, query))


DayCount = tuple[Optional[dt.date], Optional[str], int]


def date_counts(conn: Connection, query: EventQuery,
                group: Optional[Group] = None) -> list[DayCount]:
    """Incidents per start day (and per country or actor) for trend tables.

    conn (Connection): a connection to the store.
    query (EventQuery): the filters (``limit`` is ignored).
    group (str | None): ``"country"``, ``"actor"`` (an incident counts once per actor id, or per
        name for actors outside the KB) or None.
    RETURNS (list[tuple[date | None, str | None, int]]): (day, key, count) rows.
    """
    where = _conditions(conn, query)
    if group == "actor":
        key = func.coalesce(event_actors.c.actor_id, event_actors.c.name)
        source = events.join(event_actors, event_actors.c.event_id == events.c.event_id)
        counted = func.count(events.c.event_id.distinct())
    elif group == "country":
        key, source, counted = events.c.country, events, func.count()
    else:
        key, source, counted = None, events, func.count()
    if query.near is None:
        cols = [events.c.date_start] + ([key] if key is not None else [])
        stmt = select(*cols, counted).select_from(source).where(*where).group_by(*cols)
        return [(r[0], r[1] if key is not None else None, r[-1])
                for r in conn.execute(stmt).all()]
    cols = [events.c.event_id, events.c.date_start, events.c.lat, events.c.lon]
    if key is not None:
        cols.append(key.label("key"))
    rows = conn.execute(select(*cols).select_from(source).where(*where).distinct()).all()
    counts: dict[tuple, int] = {}
    for r in _within_radius(rows, query):
        k = (r.date_start, r.key if key is not None else None)
        counts[k] = counts.get(k, 0) + 1
    return [(day, k, n) for (day, k), n in counts.items()]
