"""Queries over incidents: actor (with child groups), place, radius, type, mode, dates; trends."""

from __future__ import annotations

import datetime as dt

import pytest
from store_factories import ISKP, KABUL, KANDAHAR, PARIS, PESHAWAR, TALIBAN, make_doc, make_event

from eventlens.analyze import period_of, trends
from eventlens.errors import StoreError
from eventlens.models import Location
from eventlens.store import EventQuery, EventStore
from eventlens.store.queries import haversine_km

ISIS = ("Islamic State", "isis", "group")
PAKISTAN = ("Pakistan", "state-pk", "state")
SUVA = Location(text="Suva", name="Suva", country="FJ", lat=-18.14, lon=178.44,
                precision="city")
TAVEUNI_EAST = Location(text="Vuna", name="Vuna", country="FJ", lat=-16.94, lon=-179.9,
                        precision="city")


@pytest.fixture
def filled(store: EventStore) -> EventStore:
    """Seven incidents, one document each, that no merge rule joins."""
    rows = [
        ("ev-kbl", dict(location=KABUL, actors=(ISKP,), day=dt.date(2024, 6, 10),
                        mode=("explosives", "suicide-attack"))),
        ("ev-kdh", dict(location=KANDAHAR, actors=(TALIBAN,), day=dt.date(2024, 5, 2))),
        ("ev-pew", dict(location=PESHAWAR, actors=(PAKISTAN,), type="COERCE",
                        day=dt.date(2024, 5, 1), mode=("arrest",))),
        ("ev-par", dict(location=PARIS, actors=(ISIS,), modality="planned",
                        day=dt.date(2024, 6, 5))),
        ("ev-none", dict(location=None, actors=(ISKP,), day=None)),
        ("ev-suva", dict(location=SUVA, actors=(), day=dt.date(2023, 12, 30))),
        ("ev-vuna", dict(location=TAVEUNI_EAST, actors=(), day=dt.date(2024, 1, 8))),
    ]
    for event_id, kwargs in rows:
        doc = make_doc(event_id.replace("ev-", "d-"))
        store.add(doc, [make_event(doc, event_id, **kwargs)])
    return store


def _ids(store: EventStore, **filters) -> set[str]:
    found = store.events(EventQuery(**filters))
    reports = set()
    for ev in found:
        reports.update(s.report_id for s in store.sources(ev.event_id))
    assert store.count(EventQuery(**filters)) == len(found)
    return reports


def test_store_events_filter_by_place_type_mode_modality_dates(filled: EventStore):
    assert len(_ids(filled)) == 7
    assert _ids(filled, country="af") == {"ev-kbl", "ev-kdh"}
    assert _ids(filled, country="AF", admin1="kandahar") == {"ev-kdh"}
    assert _ids(filled, type="coerce") == {"ev-pew"}
    assert _ids(filled, mode="Explosives") == {"ev-kbl"}
    assert _ids(filled, mode="suicide-attack", country="AF") == {"ev-kbl"}
    assert _ids(filled, modality="planned") == {"ev-par"}
    assert _ids(filled, since=dt.date(2024, 6, 1)) == {"ev-kbl", "ev-par"}
    assert _ids(filled, until=dt.date(2024, 1, 31)) == {"ev-suva", "ev-vuna"}
    assert _ids(filled, since=dt.date(2024, 5, 1), until=dt.date(2024, 5, 31)) == {"ev-kdh",
                                                                                  "ev-pew"}
    assert _ids(filled, doc_ids=()) == set()
    assert _ids(filled, doc_ids=("d-kdh", "d-par")) == {"ev-kdh", "ev-par"}


def test_store_events_actor_includes_aliases_and_child_groups(filled: EventStore):
    assert _ids(filled, actor="ISIS") == {"ev-kbl", "ev-par", "ev-none"}  # ISIS-K is ISIS
    assert _ids(filled, actor="ISIS-K") == {"ev-kbl", "ev-none"}
    assert _ids(filled, actor="iskp") == {"ev-kbl", "ev-none"}  # by id, any case
    assert _ids(filled, actor="taliban") == {"ev-kdh"}
    assert _ids(filled, actor="Pakistan") >= {"ev-pew"}
    assert _ids(filled, actor="Nobody at all") == set()


def test_store_events_actor_outside_kb_matches_by_name(store: EventStore):
    doc = make_doc("d1")
    store.add(doc, [make_event(doc, "ev-1", actors=(("Jaish al-Fath Brigade", None, "group"),))])
    assert [s.report_id for s in store.sources(
        store.events(EventQuery(actor="jaish al fath brigade"))[0].event_id)] == ["ev-1"]


def test_store_events_radius_uses_great_circle_distance(filled: EventStore):
    kabul = (34.53, 69.17)
    assert _ids(filled, near=kabul, radius_km=50) == {"ev-kbl"}
    assert haversine_km(*kabul, 34.01, 71.58) < 300
    assert _ids(filled, near=kabul, radius_km=300) == {"ev-kbl", "ev-pew"}
    assert _ids(filled, near=kabul, radius_km=600) == {"ev-kbl", "ev-pew", "ev-kdh"}
    assert _ids(filled, near=kabul, radius_km=600, country="PK") == {"ev-pew"}
    assert len(filled.events(EventQuery(near=kabul, radius_km=600, limit=2))) == 2


def test_store_events_radius_across_the_date_line(filled: EventStore):
    assert _ids(filled, near=(-17.5, 179.5), radius_km=250) == {"ev-suva", "ev-vuna"}
    assert _ids(filled, near=(-16.9, -179.8), radius_km=50) == {"ev-vuna"}


@pytest.mark.parametrize("kwargs, message", [
    ({"near": (34.5, 69.2)}, "needs both"),
    ({"radius_km": 10}, "needs both"),
    ({"near": (134.5, 69.2), "radius_km": 10}, "not a latitude"),
    ({"near": (34.5, 69.2), "radius_km": 0}, "must be positive"),
])
def test_event_query_rejects_half_radius_searches(kwargs, message):
    with pytest.raises(StoreError, match=message):
        EventQuery(**kwargs)


def test_store_events_newest_first_undated_last_and_limit(filled: EventStore):
    found = filled.events()
    starts = [e.date.start for e in found]
    assert starts[-1] is None
    assert starts[:-1] == sorted(starts[:-1], reverse=True)
    assert len(filled.events(EventQuery(limit=3))) == 3


def test_trends_by_month_fill_empty_months(filled: EventStore):
    rows = trends(filled, by="month")
    assert [r.period for r in rows] == ["2023-12", "2024-01", "2024-02", "2024-03", "2024-04",
                                        "2024-05", "2024-06"]
    assert [r.count for r in rows] == [1, 1, 0, 0, 0, 2, 2]


def test_trends_by_week_per_country_and_per_actor(filled: EventStore):
    by_country = trends(filled, by="week", group="country",
                        query=EventQuery(since=dt.date(2024, 5, 1)))
    assert {(r.period, r.key, r.count) for r in by_country} == {
        ("2024-W18", "AF", 1), ("2024-W18", "PK", 1), ("2024-W23", "FR", 1),
        ("2024-W24", "AF", 1)}
    by_actor = trends(filled, group="actor", query=EventQuery(actor="ISIS"))
    assert {(r.period, r.key, r.label, r.count) for r in by_actor} == {
        ("2024-06", "iskp", "Islamic State Khorasan Province", 1),
        ("2024-06", "isis", "Islamic State", 1)}


def test_trends_with_radius_count_only_incidents_within(filled: EventStore):
    rows = trends(filled, query=EventQuery(near=(34.53, 69.17), radius_km=300),
                  group="country")
    assert {(r.period, r.key, r.count) for r in rows} == {("2024-05", "PK", 1),
                                                          ("2024-06", "AF", 1)}


def test_period_of_uses_iso_weeks():
    assert period_of(dt.date(2024, 12, 30), "week") == "2025-W01"
    assert period_of(dt.date(2024, 12, 30), "month") == "2024-12"
