"""Cross-document merging rules on hand-built reports (no database, no pipeline)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from eventlens.errors import StoreError
from eventlens.models import ActorRef, Event, EventDate, Evidence, Location
from eventlens.resolve.actor_kb import ActorKB
from eventlens.store import merging
from eventlens.store.merging import (block, cluster, combine, compare, compatible_types, in_block,
                                     reconcile_killed)

TUESDAY = dt.date(2024, 3, 5)
KABUL = ("Kabul", "AF", "Kabul", 34.5281, 69.1723)
JALALABAD = ("Jalalabad", "AF", "Nangarhar", 34.4265, 70.4515)
MOGADISHU = ("Mogadishu", "SO", "Banadir", 2.0371, 45.3438)
AFGOYE = ("Afgooye", "SO", "Shabeellaha Hoose", 2.1381, 45.1212)
BANNU = ("Bannu", "PK", "Khyber Pakhtunkhwa", 32.9889, 70.6056)
DI_KHAN = ("Dera Ismail Khan", "PK", "Khyber Pakhtunkhwa", 31.8314, 70.9017)


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


def place(spec: tuple, precision: str = "city") -> Location:
    name, cc, admin1, lat, lon = spec
    return Location(text=name, name=name, country=cc, admin1=admin1, lat=lat, lon=lon,
                    precision=precision)


def country(cc: str, name: str, lat: float, lon: float) -> Location:
    return Location(text=name, name=name, country=cc, lat=lat, lon=lon, precision="country")


def group(name: str, actor_id: str, role: str = "source") -> ActorRef:
    return ActorRef(role=role, text=name, name=name, id=actor_id, kind="group")


def generic(kind: str, role: str = "target") -> ActorRef:
    names = {"civilians": "Civilians", "military": "Security forces", "police": "Police"}
    return ActorRef(role=role, text=names[kind].lower(), name=names[kind], id=f"generic:{kind}",
                    kind=kind)


def person(name: str, actor_id: str) -> ActorRef:
    return ActorRef(role="target", text=name, name=name, id=actor_id, kind="person")


def report(event_id: str, *, day: dt.date | None = TUESDAY, where: Location | None = None,
           etype: str = "ASSAULT", modality: str = "occurred", mode: tuple[str, ...] = (),
           actors: tuple[ActorRef, ...] = (), killed: int | None = None,
           injured: int | None = None, claimed: tuple[str, ...] = (),
           precision: str = "day", end: dt.date | None = None, doc_id: str | None = None
           ) -> Event:
    date = EventDate()
    if day is not None:
        date = EventDate(start=day, end=end or day, precision=precision, anchor="text")
    return Event(doc_id=doc_id or f"doc-{event_id}", event_id=event_id, type=etype,
                 mode=list(mode), modality=modality, actors=list(actors), date=date,
                 location=where, killed=killed, injured=injured, claimed_by=list(claimed),
                 evidence=[Evidence(sentence=f"Sentence of {event_id}.", start=0, end=20)],
                 confidence=0.8)


# -- block / in_block ---------------------------------------------------------------------------

def test_block_window_country_bbox_and_types():
    blk = block(report("a", where=place(KABUL)))
    assert (blk.date_from, blk.date_to) == (dt.date(2024, 3, 3), dt.date(2024, 3, 7))
    assert blk.country == "AF"
    min_lat, min_lon, max_lat, max_lon = blk.bbox
    assert min_lat < KABUL[3] < max_lat and min_lon < KABUL[4] < max_lon
    assert max_lat - min_lat < 6.0  # about 300 km each way, not the whole map
    assert blk.types == ("ASSAULT", "FIGHT")
    assert blk.searchable


def test_block_country_level_place_has_no_bbox():
    blk = block(report("a", where=country("AF", "Afghanistan", 33.0, 65.0)))
    assert blk.country == "AF" and blk.bbox is None


def test_block_without_usable_date_has_no_candidates():
    undated = report("a", day=None, where=place(KABUL))
    year_only = report("b", day=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31),
                       precision="year", where=place(KABUL))
    dated = report("c", where=place(KABUL))
    for ev in (undated, year_only):
        assert not block(ev).searchable
        assert not in_block(block(ev), dated)
        assert not in_block(block(dated), ev)


def test_in_block_filters_type_date_country_and_distance():
    blk = block(report("a", where=place(KABUL)))
    assert in_block(blk, report("same", where=place(JALALABAD)))
    assert in_block(blk, report("two days", day=TUESDAY + dt.timedelta(days=2),
                                where=place(KABUL)))
    assert not in_block(blk, report("three days", day=TUESDAY + dt.timedelta(days=3),
                                    where=place(KABUL)))
    assert not in_block(blk, report("arrest", etype="COERCE", where=place(KABUL)))
    assert not in_block(blk, report("other country", where=place(BANNU)))
    # A country-level or unknown place may still be the same incident: it stays a candidate.
    assert in_block(blk, report("country", where=country("AF", "Afghanistan", 33.0, 65.0)))
    assert in_block(blk, report("nowhere"))
    herat = ("Herat", "AF", "Herat", 34.3482, 62.1997)  # about 640 km west of Kabul
    assert not in_block(blk, report("far", where=place(herat)))


def test_compatible_types_pairs_assault_with_fight_only():
    assert compatible_types("ASSAULT") == ("ASSAULT", "FIGHT")
    assert compatible_types("COERCE") == ("COERCE",)


# -- compare: merges ---------------------------------------------------------------------------

def test_compare_same_day_same_city_merges_with_specific_reasons():
    a = report("a", where=place(KABUL), mode=("explosives",), killed=12)
    b = report("b", where=place(KABUL), mode=("suicide-attack", "explosives"), killed=14)
    d = compare(a, b)
    assert d.merge and d.score >= 0 and not d.vetoed
    assert "same type ASSAULT" in d.reasons
    assert "same date 2024-03-05 (day precision)" in d.reasons
    assert any(r.startswith("places 0 km apart (Kabul, city precision)") for r in d.reasons)
    assert "fatalities 12 vs 14: close (+1.0)" in d.reasons


def test_compare_is_symmetric():
    events = [
        report("a", where=place(KABUL), killed=5, actors=(group("ISKP", "iskp"),)),
        report("b", where=place(KABUL), killed=6, day=TUESDAY + dt.timedelta(days=1)),
        report("c", where=country("AF", "Afghanistan", 33.0, 65.0), killed=5,
               claimed=("Islamic State",)),
        report("d", where=place(JALALABAD), actors=(group("Taliban", "taliban"),)),
        report("e", day=TUESDAY, end=TUESDAY + dt.timedelta(days=6), precision="week"),
    ]
    kb = ActorKB.load()
    for a in events:
        for b in events:
            one, other = compare(a, b, kb), compare(b, a, kb)
            assert (one.merge, one.score) == (other.merge, other.score), (a.event_id, b.event_id)


def test_compare_alleged_and_occurred_can_merge():
    d = compare(report("a", where=place(KABUL)), report("b", where=place(KABUL),
                                                         modality="alleged"))
    assert d.merge


def test_compare_one_day_apart_merges_only_with_corroboration(kb):
    wed = TUESDAY + dt.timedelta(days=1)
    shabaab = group("al-Shabaab", "al-shabaab")
    bare = compare(report("a", where=place(MOGADISHU)), report("b", day=wed,
                                                               where=place(MOGADISHU)), kb)
    assert not bare.merge and not bare.vetoed
    assert any("1 day apart (day precision)" in r for r in bare.reasons)
    late = compare(report("a", where=place(MOGADISHU), actors=(shabaab,), killed=9),
                   report("b", day=wed, where=place(MOGADISHU), actors=(shabaab,), killed=10),
                   kb)
    assert late.merge


def test_compare_country_only_place_needs_actor_or_toll(kb):
    city = report("a", where=place(KABUL), actors=(person("Khalil-ur-Rahman Haqqani",
                                                          "khalil-haqqani"),))
    vague = report("b", where=country("AF", "Afghanistan", 33.0, 65.0))
    d = compare(city, vague, kb)
    assert not d.merge and not d.vetoed
    assert any("only the country is known" in r for r in d.reasons)
    named = report("c", where=country("AF", "Afghanistan", 33.0, 65.0),
                   actors=(person("Khalil-ur-Rahman Haqqani", "khalil-haqqani"),))
    d = compare(city, named, kb)
    assert d.merge
    assert "shared person Khalil-ur-Rahman Haqqani (+3.0)" in d.reasons


def test_compare_month_precision_is_weak_evidence(kb):
    march = dict(day=dt.date(2024, 3, 1), end=dt.date(2024, 3, 31), precision="month")
    precise = report("a", where=place(KABUL), killed=7)
    assert not compare(precise, report("b", where=place(KABUL), **march), kb).merge
    corroborated = report("c", where=place(KABUL), killed=7,
                          actors=(person("Khalil-ur-Rahman Haqqani", "khalil-haqqani"),),
                          **march)
    precise = report("a2", where=place(KABUL), killed=7,
                     actors=(person("Khalil-ur-Rahman Haqqani", "khalil-haqqani"),))
    assert compare(precise, corroborated, kb).merge


def test_compare_related_groups_count_as_shared(kb):
    a = report("a", where=place(KABUL), actors=(group("Islamic State Khorasan Province", "iskp"),))
    b = report("b", where=place(KABUL), claimed=("Islamic State",))
    d = compare(a, b, kb)
    assert d.merge
    assert any("Islamic State Khorasan Province is part of Islamic State" in r
               for r in d.reasons)


def test_compare_nearby_places_need_more_evidence():
    near = ("Riasi", "IN", "Jammu and Kashmir", 33.0815, 74.8343)
    far = ("Jammu", "IN", "Jammu and Kashmir", 32.7357, 74.8691)  # about 39 km
    d = compare(report("a", where=place(near)), report("b", where=place(far)))
    assert not d.merge and not d.vetoed
    assert any("neighbouring places" in r for r in d.reasons)
    d = compare(report("a", where=place(near), killed=9), report("b", where=place(far), killed=9))
    assert d.merge


# -- compare: hard negatives -------------------------------------------------------------------

def test_compare_bombings_a_day_apart_in_one_city_stay_apart(kb):
    shabaab = group("al-Shabaab", "al-shabaab")
    restaurant = report("restaurant", where=place(MOGADISHU), mode=("explosives",), killed=9,
                        actors=(shabaab, generic("civilians")), claimed=("al-Shabaab",))
    convoy = report("convoy", day=TUESDAY + dt.timedelta(days=1), where=place(AFGOYE),
                    mode=("explosives",), killed=3, actors=(shabaab, generic("military")),
                    claimed=("al-Shabaab",))
    d = compare(restaurant, convoy, kb)
    assert not d.merge
    assert "targets differ: civilians vs security forces (-1.0)" in d.conflicts
    assert any(c.startswith("fatalities 9 vs 3") for c in d.conflicts)


def test_compare_same_group_same_day_other_city_is_vetoed(kb):
    ttp = group("Tehrik-i-Taliban Pakistan", "ttp")
    d = compare(report("bannu", where=place(BANNU), actors=(ttp,), killed=4),
                report("dikhan", where=place(DI_KHAN), actors=(ttp,), killed=4), kb)
    assert d.vetoed and not d.merge
    assert any(c.startswith("places 13") and "more than 60 km" in c for c in d.conflicts)


def test_compare_threat_is_not_the_attack():
    jnim = group("JNIM", "jnim")
    d = compare(report("attack", where=place(MOGADISHU), actors=(jnim,)),
                report("threat", where=place(MOGADISHU), actors=(jnim,), modality="threatened"))
    assert d.vetoed
    assert d.conflicts[0] == "occurred vs threatened: a threat or plan is not the event itself"


def test_compare_arrest_after_attack_is_another_event():
    d = compare(report("attack", where=place(KABUL)),
                report("arrest", etype="COERCE", mode=("arrest",), where=place(KABUL)))
    assert d.vetoed
    assert "types ASSAULT and COERCE cannot be one incident" in d.conflicts


def test_compare_disjoint_groups_are_vetoed(kb):
    d = compare(report("a", where=place(KABUL), actors=(group("Taliban", "taliban"),)),
                report("b", where=place(KABUL), actors=(group("al-Shabaab", "al-shabaab"),)),
                kb)
    assert d.vetoed
    assert "actors disjoint: Taliban vs al-Shabaab" in d.conflicts


def test_compare_dates_far_apart_and_undated_are_vetoed():
    d = compare(report("a", where=place(KABUL)),
                report("b", day=TUESDAY + dt.timedelta(days=5), where=place(KABUL)))
    assert "dates 2024-03-05 and 2024-03-10: 5 days apart" in d.conflicts
    d = compare(report("a", where=place(KABUL)), report("b", day=None, where=place(KABUL)))
    assert d.vetoed and "no usable date for b" in d.conflicts[0]


def test_compare_different_countries_and_provinces_are_vetoed():
    d = compare(report("a", where=place(KABUL)), report("b", where=place(BANNU)))
    assert d.conflicts[0] == "different countries AF (Kabul) vs PK (Bannu)"
    kirkuk = Location(text="Kirkuk", name="Kirkuk", country="IQ", admin1="Kirkuk", lat=35.47,
                      lon=44.39, precision="admin1")
    diyala = Location(text="Diyala", name="Diyala", country="IQ", admin1="Diyala", lat=33.97,
                      lon=45.05, precision="admin1")
    d = compare(report("a", where=kirkuk), report("b", where=diyala))
    assert "different provinces: Kirkuk vs Diyala" in d.conflicts


def test_compare_kidnapping_and_bombing_modes_differ():
    d = compare(report("a", where=place(KABUL), mode=("abduct",)),
                report("b", where=place(KABUL), mode=("explosives",)))
    assert "attack modes differ: abduction vs explosive (-1.5)" in d.conflicts


# -- reconcile_killed / combine ----------------------------------------------------------------

def test_reconcile_killed_takes_the_most_conservative_figure_and_keeps_the_range():
    assert reconcile_killed([12, None, 14]) == (12, 12, 14)
    assert reconcile_killed([40, 63, 54]) == (40, 40, 63)
    assert reconcile_killed([0, 3]) == (0, 0, 3)
    assert reconcile_killed([None, None]) == (None, None, None)
    assert reconcile_killed([]) == (None, None, None)


def test_combine_builds_one_incident_from_its_reports(kb):
    march = dict(day=dt.date(2024, 3, 1), end=dt.date(2024, 3, 31), precision="month")
    reports = [
        report("r1", where=country("AF", "Afghanistan", 33.0, 65.0), modality="alleged",
               actors=(ActorRef(role="source", text="militants", name="Militants",
                                id="generic:militants", kind="group"),), killed=14, **march),
        report("r2", where=place(KABUL), mode=("explosives",), killed=12,
               actors=(group("ISKP", "iskp"), generic("civilians")), claimed=("ISKP",)),
        report("r3", where=place(KABUL), mode=("suicide-attack",), killed=None,
               actors=(group("ISKP", "iskp"),), injured=30),
    ]
    merged = combine(reports, "inc-1")
    assert merged.event_id == "inc-1" and merged.doc_id == "doc-r1"
    assert merged.modality == "occurred"  # occurred beats alleged
    assert merged.date.start == TUESDAY and merged.date.precision == "day"
    assert merged.location.name == "Kabul"
    assert merged.killed == 12 and merged.injured == 30
    assert merged.mode == ["explosives", "suicide-attack"]
    assert merged.claimed_by == ["ISKP"]
    names = [(a.role, a.name) for a in merged.actors]
    assert names == [("source", "ISKP"), ("target", "Civilians")]  # generic source dropped
    assert [e.sentence for e in merged.evidence] == [
        "Sentence of r1.", "Sentence of r2.", "Sentence of r3."]
    assert reports[0].event_id == "r1"  # inputs unchanged


def test_combine_picks_the_date_most_reports_give_when_days_disagree():
    wed = TUESDAY + dt.timedelta(days=1)
    merged = combine([report("a", day=wed), report("b"), report("c")], "inc")
    assert merged.date.start == TUESDAY


def test_combine_without_reports_raises():
    with pytest.raises(StoreError, match="no reports"):
        combine([], "inc-empty")


# -- cluster -------------------------------------------------------------------------------------

def test_cluster_groups_reports_and_keeps_hard_negatives_apart(kb):
    wed = TUESDAY + dt.timedelta(days=1)
    shabaab, ttp = group("al-Shabaab", "al-shabaab"), group("TTP", "ttp")
    events = [
        report("restaurant-1", where=place(MOGADISHU), mode=("explosives",), killed=9,
               actors=(shabaab, generic("civilians"))),
        report("convoy-1", day=wed, where=place(MOGADISHU), mode=("explosives",), killed=3,
               actors=(shabaab, generic("military"))),
        report("restaurant-2", where=place(MOGADISHU), mode=("explosives",), killed=11),
        report("bannu-1", where=place(BANNU), actors=(ttp, generic("police")), killed=4),
        report("dikhan-1", where=place(DI_KHAN), actors=(ttp, generic("military")), killed=2),
        report("convoy-2", day=wed, where=place(AFGOYE), killed=3,
               actors=(generic("military"),)),
        report("bannu-2", day=wed, where=place(BANNU), actors=(ttp,), killed=4,
               claimed=("TTP",)),
        report("threat", where=place(MOGADISHU), modality="threatened", actors=(shabaab,)),
        report("undated", day=None, where=place(MOGADISHU), killed=9),
    ]
    groups = [[e.event_id for e in g] for g in cluster(events, kb)]
    assert groups == [["restaurant-1", "restaurant-2"], ["convoy-1", "convoy-2"],
                      ["bannu-1", "bannu-2"], ["dikhan-1"], ["threat"], ["undated"]]


def test_cluster_keeps_a_report_out_of_an_incident_it_conflicts_with(kb):
    first = report("first", where=place(KABUL), killed=5)
    taliban = report("taliban", where=place(KABUL), killed=5, claimed=("Taliban",))
    other = report("other", where=place(KABUL), actors=(group("al-Shabaab", "al-shabaab"),))
    groups = cluster([first, taliban, other], kb)
    assert [[e.event_id for e in g] for g in groups] == [["first", "taliban"], ["other"]]


def test_cluster_never_merges_two_events_of_one_document():
    a = report("a", where=place(KABUL), killed=5, doc_id="same")
    b = report("b", where=place(KABUL), killed=5, doc_id="same")
    c = report("c", where=place(KABUL), killed=5, doc_id="other")
    assert [[e.event_id for e in g] for g in cluster([a, b, c])] == [["a", "c"], ["b"]]


def test_cluster_is_not_quadratic(monkeypatch):
    rng = random.Random(7)
    countries = [("AF", 34.5, 69.2), ("SO", 2.0, 45.3), ("NG", 11.8, 13.1), ("IQ", 33.3, 44.4),
                 ("SY", 35.9, 36.6), ("ML", 12.6, -8.0), ("YE", 15.4, 44.2), ("PK", 33.7, 73.1)]
    events = []
    for i in range(2000):
        cc, lat, lon = rng.choice(countries)
        where = Location(text="x", name=f"town-{i % 50}", country=cc, precision="city",
                         lat=lat + rng.uniform(-2, 2), lon=lon + rng.uniform(-2, 2))
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(365))
        events.append(report(f"e{i}", day=day, where=where, killed=rng.randrange(20)))
    calls = {"compare": 0, "in_block": 0}

    def counting(name):
        real = getattr(merging, name)

        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return wrapper

    # Both the candidates looked at and the comparisons made are counted: an all-pairs loop that
    # filtered with in_block() first would still be quadratic.
    monkeypatch.setattr(merging, "compare", counting("compare"))
    monkeypatch.setattr(merging, "in_block", counting("in_block"))
    groups = cluster(events)
    assert sum(len(g) for g in groups) == 2000
    all_pairs = 2000 * 1999 // 2  # 1,999,000
    assert 0 < calls["compare"] <= calls["in_block"] < all_pairs / 100
