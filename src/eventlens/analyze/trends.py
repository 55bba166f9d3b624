"""Incident counts per week or month, optionally per country or actor, for trend tables.

The store counts incidents per start day in SQL (``EventStore.date_counts``); the days are put
into ISO weeks or calendar months here, the same way for SQLite and PostgreSQL. Undated
incidents have no period and are not counted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Literal, Optional

from ..models import TrendCount
from ..store import EventQuery, EventStore

__all__ = ["Period", "period_of", "trends"]

Period = Literal["week", "month"]
Group = Literal["country", "actor"]


def period_of(day: dt.date, by: Period) -> str:
    """The period a day falls in.

    day (date): the day.
    by (str): ``"month"`` or ``"week"`` (ISO 8601 weeks, Monday first).
    RETURNS (str): e.g. ``"2024-06"`` or ``"2024-W23"``.
    """
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _periods(first: dt.date, last: dt.date, by: Period) -> list[str]:
    """Every period from the one holding ``first`` to the one holding ``last``."""
    found, day, step = [], first, dt.timedelta(days=7 if by == "week" else 1)
    if by == "week":
        day -= dt.timedelta(days=day.weekday())
    while day <= last:
        label = period_of(day, by)
        if not found or found[-1] != label:
            found.append(label)
        day = day + step if by == "week" else (day.replace(day=28) + dt.timedelta(days=4)
                                                 ).replace(day=1)
    return found


def trends(store: EventStore, query: EventQuery = EventQuery(), by: Period = "month",
           group: Optional[Group] = None) -> list[TrendCount]:
    """Count the incidents matching ``query`` per period (and per country or actor).

    Without ``group`` every period from the first to the last is listed, with 0 where nothing
    happened, so the rows can be plotted as they are.

    store (EventStore): the store.
    query (EventQuery): filters (``limit`` is ignored).
    by (str): ``"month"`` or ``"week"``.
    group (str | None): ``"country"`` (ISO code) or ``"actor"`` (KB id, or the name of an actor
        outside the knowledge base); an incident counts once for each of its actors.
    RETURNS (list[TrendCount]): sorted by period, then key.
    RAISES StoreError: when the store cannot be read.
    """
    counts: Counter[tuple[str, Optional[str]]] = Counter()
    days = []
    for day, key, n in store.date_counts(query, group):
        if day is not None:
            counts[(period_of(day, by), key)] += n
            days.append(day)
    if group is None and days:
        for label in _periods(min(days), max(days), by):
            counts.setdefault((label, None), 0)
    labels = store.actor_names(k for _, k in counts if k) if group == "actor" else {}
    return [TrendCount(period=period, key=key, label=labels.get(key) if key else None,
                       count=n)
            for (period, key), n in sorted(counts.items(), key=lambda kv: (kv[0][0],
                                                                            kv[0][1] or ""))]
