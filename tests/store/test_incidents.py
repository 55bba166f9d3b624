"""Merging reports into incidents inside the store, explaining and splitting them."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import text
from store_factories import (
    AFGHANISTAN,
    ISKP,
    KABUL,
    KANDAHAR,
    PARIS,
    PESHAWAR,
    TALIBAN,
    dump,
    make_doc,
    make_event,
)

from eventlens.errors import StoreError
from eventlens.models import Location
from eventlens.store import EventQuery, EventStore
from eventlens.store.merging import block, cluster

DAY = dt.date(2024, 6, 10)


def _three_reports(store: EventStore) -> str:
    """Three documents about one Kabul bombing (tolls 5, 7, 9); returns the incident id."""
    for i, killed in enumerate((5, 7, 9)):
        doc = make_doc(f"d{i}", title=f"Kabul blast {i}", source=f"Wire {i}",
                       published=DAY + dt.timedelta(days=1), url=f"https://example.org/{i}")
        store.add(doc, [make_event(doc, f"ev-{i}", location=KABUL, actors=(ISKP,),
                                   killed=killed, mode=("explosives",))])
    return store.incident_id("ev-0")


def test_store_merges_reports_of_one_incident_across_documents(store: EventStore):
    incident_id = _three_reports(store)
    assert {store.incident_id(f"ev-{i}") for i in range(3)} == {incident_id}
    incident = store.incident(incident_id)
    assert incident.n_sources == 3
    assert (incident.event.killed, incident.killed_low, incident.killed_high) == (5, 5, 9)
    assert [e.event_id for e in store.events()] == [incident_id]
    assert store.count() == 1
    assert len(incident.event.evidence) == 3


def test_store_sources_explain_each_merge(store: EventStore):
    incident_id = _three_reports(store)
    sources = store.sources(incident_id)
    assert [s.report_id for s in sources] == ["ev-0", "ev-1", "ev-2"]
    founder, second = sources[0], sources[1]
    assert founder.merge_reasons == [] and founder.merge_score is None
    assert (founder.title, founder.source, founder.url) == ("Kabul blast 0", "Wire 0",
                                                            "https://example.org/0")
    assert founder.published == DAY + dt.timedelta(days=1) and founder.killed == 5
    assert founder.evidence and founder.evidence[0].sentence
    assert second.merge_score > 0
    assert second.merge_reasons[0].startswith("best match: report ev-0 of document d0")
    assert any("shared actor Islamic State Khorasan Province" in r for r in second.merge_reasons)
    assert store.sources("in-unknown") == []


def test_store_keeps_different_incidents_apart(store: EventStore):
    a, b, c = make_doc("a"), make_doc("b"), make_doc("c")
    store.add(a, [make_event(a, "ev-a", location=KABUL, actors=(ISKP,))])
    store.add(b, [make_event(b, "ev-b", location=KABUL, actors=(TALIBAN,))])  # disjoint groups
    store.add(c, [make_event(c, "ev-c", location=KABUL, actors=(ISKP,),
                             day=DAY + dt.timedelta(days=20))])  # weeks later
    assert len({store.incident_id(x) for x in ("ev-a", "ev-b", "ev-c")}) == 3


def test_store_never_merges_two_reports_of_one_document(store: EventStore):
    doc = make_doc("d1")
    store.add(doc, [make_event(doc, "ev-1", location=KABUL), make_event(doc, "ev-2",
                                                                       location=KABUL)])
    assert store.incident_id("ev-1") != store.incident_id("ev-2")
    other = make_doc("d2")
    store.add(other, [make_event(other, "ev-3", location=KABUL)])
    # The third report joins one of them, never both.
    joined = store.incident_id("ev-3")
    assert joined in {store.incident_id("ev-1"), store.incident_id("ev-2")}
    assert store.count() == 2


def test_store_undated_reports_found_their_own_incidents(store: EventStore):
    a, b = make_doc("a"), make_doc("b")
    store.add(a, [make_event(a, "ev-a", day=None)])
    store.add(b, [make_event(b, "ev-b", day=None)])
    assert store.incident_id("ev-a") != store.incident_id("ev-b")


def test_store_split_by_document_detaches_and_pins(store: EventStore):
    incident_id = _three_reports(store)
    new_id = store.split(incident_id, doc_id="d2")
    assert new_id != incident_id and new_id.startswith("in-")
    assert store.incident_id("ev-2") == new_id
    left, moved = store.incident(incident_id), store.incident(new_id)
    assert (left.n_sources, left.killed_high) == (2, 7)
    assert [s.report_id for s in left.sources] == ["ev-0", "ev-1"]
    [source] = moved.sources
    assert source.pinned and source.split_from == incident_id and source.merge_reasons == []
    assert moved.event.killed == 9 and moved.n_sources == 1
    assert store.count() == 2


def test_store_split_by_reports_moves_them_together(store: EventStore):
    incident_id = _three_reports(store)
    new_id = store.split(incident_id, report_ids=["ev-0", "ev-2"])
    assert store.incident_id("ev-0") == store.incident_id("ev-2") == new_id
    founder, other = store.sources(new_id)
    assert founder.report_id == "ev-0" and founder.merge_reasons == []
    assert other.merge_reasons == [f"split off from {incident_id} together with report ev-0"]
    # The report left behind is what the old incident is made of now.
    assert store.incident(incident_id).event.killed == 7


@pytest.mark.parametrize("kwargs, message", [
    ({"report_ids": ["ev-0", "ev-1", "ev-2"]}, "would leave it empty"),
    ({"report_ids": ["ev-9"]}, "ev-9 is not a report of"),
    ({"doc_id": "nope"}, "document 'nope' is not a source"),
    ({}, "name the report"),
])
def test_store_split_refuses_bad_requests(store: EventStore, kwargs, message):
    incident_id = _three_reports(store)
    before = dump(store)
    with pytest.raises(StoreError, match=message):
        store.split(incident_id, **kwargs)
    assert dump(store) == before


def test_store_split_unknown_incident_raises(store: EventStore):
    with pytest.raises(StoreError, match="no incident 'in-nope'"):
        store.split("in-nope", report_ids=["ev-1"])


def test_store_split_reports_are_not_merged_back_by_later_reports(store: EventStore):
    incident_id = _three_reports(store)
    new_id = store.split(incident_id, doc_id="d1")
    late = make_doc("late")
    store.add(late, [make_event(late, "ev-late", location=KABUL, actors=(ISKP,), killed=6,
                                mode=("explosives",))])
    assert store.incident_id("ev-1") == new_id
    assert store.sources(new_id)[0].pinned
    assert store.incident_id("ev-late") in {incident_id, new_id}


def test_store_updating_a_document_refreshes_its_incident(store: EventStore):
    incident_id = _three_reports(store)
    changed = make_doc("d0", "The Kabul report, corrected: nothing happened in the end.")
    assert store.add(changed, []) == "updated"
    incident = store.incident(incident_id)  # the incident keeps its id without its founder
    assert [s.report_id for s in incident.sources] == ["ev-1", "ev-2"]
    assert (incident.event.killed, incident.killed_high, incident.n_sources) == (7, 9, 2)


def test_store_incident_deleted_with_its_last_report(store: EventStore):
    doc = make_doc("d1")
    store.add(doc, [make_event(doc, "ev-1")])
    store.add(make_doc("d1", "Another text altogether."), [])
    assert store.count() == 0
    counts = store.counts()
    assert (counts["event_actors"], counts["event_modes"], counts["mentions"]) == (0, 0, 0)


def _random_reports(n: int, seed: int) -> list:
    rng = random.Random(seed)
    places = [KABUL, KANDAHAR, PESHAWAR, AFGHANISTAN, PARIS, None]
    actors = [(ISKP,), (TALIBAN,), (ISKP, TALIBAN), ()]
    reports = []
    for i in range(n):
        doc = make_doc(f"r{i:03d}")
        day = DAY + dt.timedelta(days=rng.randint(0, 6)) if rng.random() > 0.1 else None
        reports.append((doc, make_event(
            doc, f"ev-{i:03d}", type=rng.choice(["ASSAULT", "ASSAULT", "FIGHT", "COERCE"]),
            location=rng.choice(places), day=day, actors=rng.choice(actors),
            killed=rng.choice([None, 2, 3, 4, 10, 40]),
            mode=rng.choice([("explosives",), ("firearms",), ()]),
            modality=rng.choice(["occurred", "occurred", "occurred", "threatened"]))))
    return reports


def test_store_merges_exactly_as_merging_cluster(store: EventStore, kb):
    reports = _random_reports(60, seed=7)
    for doc, ev in reports:
        store.add(doc, [ev])
    expected = {frozenset(e.event_id for e in group) for group in cluster([e for _, e in
                                                                          reports], kb)}
    found: dict[str, set[str]] = {}
    for _, ev in reports:
        found.setdefault(store.incident_id(ev.event_id), set()).add(ev.event_id)
    assert {frozenset(v) for v in found.values()} == expected
    assert len(expected) < len(reports)  # some did merge


def test_store_candidate_query_uses_indexes(tmp_path, kb):
    from eventlens.store.incidents import _candidates

    store = EventStore.open(str(tmp_path / "plan.db"), kb=kb)
    try:
        doc = make_doc("d1")
        ev = make_event(doc, "ev-1", location=Location(
            text="Kabul", name="Kabul", country="AF", lat=34.5, lon=69.2, precision="city"))
        stmt, params = _candidates(ev, block(ev))
        with store.engine.connect() as conn:
            sql = str(stmt.params(**params).compile(conn, compile_kwargs={"literal_binds": True}))
            plan = " | ".join(r[-1] for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
    finally:
        store.close()
    # Both the country and the date range narrow the search (not the country alone).
    assert "USING INDEX ix_reports_country_date (country=? AND date_start>? AND date_start<?)" \
        in plan
    assert "SCAN reports" not in plan


def test_store_events_query_returns_merged_incident_for_any_report_filter(store: EventStore):
    incident_id = _three_reports(store)
    assert [e.event_id for e in store.events(EventQuery(doc_id="d2"))] == [incident_id]
    assert store.source_counts([incident_id, "in-x"]) == {incident_id: 3}
