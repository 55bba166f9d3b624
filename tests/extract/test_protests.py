"""Protests, riots and interventions (issue 4), on sentences written for these tests."""

from __future__ import annotations

import pytest

from eventlens.models import Event


def _protest(events: list[Event]) -> Event:
    found = [e for e in events if e.type == "PROTEST"]
    assert found, [(e.type, e.evidence[0].sentence) for e in events]
    return found[0]


def _sub(event: Event) -> str:
    assert event.acled is not None
    return event.acled.sub_event_type


@pytest.mark.issue(4)
def test_protest_road_blockade_is_a_protest(extract_text):
    ev = _protest(extract_text("Hundreds of traders blocked the main highway in Nakuru on "
                               "Monday.", published="2024-06-13"))
    assert "obstruct" in ev.mode
    assert _sub(ev) == "Peaceful protest"
    assert ev.location is not None and ev.location.country == "KE"


@pytest.mark.issue(4)
def test_protest_gathering_with_a_demand_is_a_protest(extract_text):
    ev = _protest(extract_text("Nurses gathered outside the health ministry in Accra on Monday "
                               "to demand unpaid salaries.", published="2024-06-13"))
    assert any(a.name == "Protesters" for a in ev.actors if a.role == "source")


@pytest.mark.issue(4)
def test_protest_gathering_alone_is_no_protest(extract_text):
    events = extract_text("Relatives gathered at the hospital in Accra on Monday.",
                          published="2024-06-13")
    assert not [e for e in events if e.type == "PROTEST"]


@pytest.mark.issue(4)
def test_protest_with_burning_tyres_is_a_riot(extract_text):
    ev = _protest(extract_text("Demonstrators blocked roads with burning tyres in Sfax on "
                               "Monday to demand jobs.", published="2024-06-13"))
    assert ev.acled is not None and ev.acled.event_type == "Riots"
    assert _sub(ev) == "Violent demonstration"


@pytest.mark.issue(4)
def test_protest_dispersed_by_police_is_a_protest_with_intervention(extract_text):
    events = extract_text("Police fired tear gas to disperse students who had gathered "
                          "outside parliament in Nairobi on Monday.", published="2024-06-13")
    ev = _protest(events)
    assert _sub(ev) == "Protest with intervention"
    assert any(e.type == "ASSAULT" and "crowd-control" in e.mode for e in events)


@pytest.mark.issue(4)
def test_protest_where_police_kill_is_excessive_force(extract_text):
    ev = _protest(extract_text(
        "Thousands protested in Conakry on Monday. Police opened fire on the protesters, "
        "killing two people.", published="2024-06-13"))
    assert _sub(ev) == "Excessive force against protesters"


@pytest.mark.issue(4)
def test_protest_villagers_stoning_police_is_mob_violence(extract_text):
    events = extract_text("Villagers pelted police with stones in Bihar on Friday.",
                          published="2024-06-13")
    ev = [e for e in events if e.type == "ASSAULT"][0]
    assert ev.acled is not None and (ev.acled.event_type, ev.acled.sub_event_type) == (
        "Riots", "Mob violence")


@pytest.mark.issue(4)
def test_protest_single_attacker_is_not_a_mob(extract_text):
    events = extract_text("A man stabbed a nurse in Puebla on Friday.", published="2024-06-13")
    ev = [e for e in events if e.type == "ASSAULT"][0]
    assert ev.acled is not None and ev.acled.event_type == "Violence against civilians"


@pytest.mark.issue(4)
def test_protest_strike_is_a_protest(extract_text):
    ev = _protest(extract_text("Doctors went on strike in Lagos on Monday over unpaid wages.",
                               published="2024-06-13"))
    assert "strike" in ev.mode


@pytest.mark.issue(4)
def test_protest_riots_on_other_days_do_not_make_it_violent(extract_text):
    ev = _protest(extract_text(
        "On 30 April 2024, residents of Rosario held a peaceful protest against the release of "
        "prisoners. Riots broke out in several prisons in March.", published="2024-05-02"))
    assert _sub(ev) == "Peaceful protest"


@pytest.mark.issue(4)
def test_protest_killing_by_a_thing_is_not_the_crowd(extract_text):
    ev = _protest(extract_text(
        "On 9 May 2024, hundreds of residents held a protest in Vizag after a gas leak killed "
        "11 people.", published="2024-05-10"))
    assert _sub(ev) == "Peaceful protest"


@pytest.mark.issue(4)
def test_protest_clash_between_villagers_is_mob_violence(extract_text):
    events = extract_text("Two village groups clashed over land in Samastipur on Friday. Twelve "
                          "people were injured.", published="2024-06-13")
    ev = [e for e in events if e.type == "ASSAULT"][0]
    assert ev.acled is not None and ev.acled.sub_event_type == "Mob violence"
    assert ev.injured == 12


@pytest.mark.issue(4)
def test_protest_attacking_each_other_is_two_sided(extract_text):
    events = extract_text("Soldiers and rebels attacked each other near Beni on Friday.",
                          published="2024-06-13")
    ev = [e for e in events if e.type == "ASSAULT"][0]
    assert ev.acled is not None and ev.acled.event_type == "Battles"


def test_protest_riot_cue_in_the_next_sentence(extract_text):
    events = extract_text("Dozens of farmers demonstrated on the highway near Kasane on Monday. "
                          "They blocked it with burning objects.")
    protests = [e for e in events if e.type == "PROTEST"]
    assert protests and protests[0].acled is not None
    assert protests[0].acled.event_type == "Riots"


def test_protest_looted_funds_is_no_riot_cue(extract_text):
    events = extract_text("Dozens of farmers demonstrated outside the bank in Kasane on Monday. "
                          "They demanded the return of looted funds.")
    protests = [e for e in events if e.type == "PROTEST"]
    assert protests and protests[0].acled is not None
    assert protests[0].acled.event_type == "Protests"


@pytest.mark.issue(4)
def test_protest_motorcade_with_a_cause_is_a_protest(extract_text):
    ev = _protest(extract_text("On Monday in Nakuru, gym owners did a motorcade to demand the "
                               "re-opening of gyms.", published="2024-06-13"))
    assert ev.location is not None and ev.location.country == "KE"
    events = extract_text("The president's motorcade drove through Nakuru on Monday.",
                          published="2024-06-13")
    assert not [e for e in events if e.type == "PROTEST"]


@pytest.mark.issue(4)
def test_protest_merchants_voicing_a_demand_are_a_crowd(extract_text):
    events = extract_text("On Monday about 100 merchants in Nakuru demanded the reopening of "
                          "the market.", published="2024-06-13")
    assert [a.name for e in events for a in e.actors if a.role == "source"]
