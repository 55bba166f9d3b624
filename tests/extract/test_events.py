"""End-to-end extraction rules on sentences written for these tests (not the example articles)."""

from __future__ import annotations

import datetime as dt

from eventlens.models import Event


def _one(events: list[Event], etype: str) -> Event:
    found = [e for e in events if e.type == etype]
    assert len(found) == 1, [(e.type, e.evidence[0].sentence) for e in events]
    return found[0]


def _names(event: Event, *roles: str) -> set[str]:
    return {a.name for a in event.actors if a.role in roles}


def test_extract_assault_with_count_place_and_date(extract_text):
    events = extract_text("Gunmen killed five soldiers in Maiduguri on Tuesday.",
                          published="2024-06-13")
    ev = _one(events, "ASSAULT")
    assert ev.modality == "occurred"
    assert ev.killed == 5
    assert ev.location is not None and ev.location.country == "NG"
    assert ev.location.name == "Maiduguri"
    assert ev.date.start == ev.date.end == dt.date(2024, 6, 11)
    assert "firearms" in ev.mode
    assert ev.acled is not None and ev.acled.event_type in ("Battles", "Violence against civilians")


def test_extract_arrest_with_affiliation_and_absolute_date(extract_text):
    events = extract_text(
        "Police arrested three suspected members of al-Shabaab in Mombasa on 3 March 2023.")
    ev = _one(events, "COERCE")
    assert "arrest" in ev.mode
    assert ev.arrested == 3
    assert "Al-Shabaab" in {a.name for a in ev.actors if a.role == "target"} or any(
        "shabaab" in a.name.lower() for a in ev.actors if a.role == "target")
    assert ev.location is not None and ev.location.country == "KE"
    assert ev.date.start == dt.date(2023, 3, 3) and ev.date.anchor == "text"
    assert ev.acled is not None and ev.acled.sub_event_type == "Arrests"


def test_extract_foiled_plot_is_not_an_attack(extract_text):
    events = extract_text("French police foiled a plot to bomb a concert in Lyon last week.")
    assert not [e for e in events if e.type == "ASSAULT" and e.modality == "occurred"]


def test_extract_threat_is_not_an_attack(extract_text):
    events = extract_text("Boko Haram threatened to attack schools in Borno state.")
    assert events, "the threat itself is an event"
    assert all(e.modality != "occurred" or e.type != "ASSAULT" for e in events)


def test_extract_claim_in_next_sentence_merges_into_one_attack(extract_text):
    events = extract_text(
        "A suicide bomber attacked a mosque in Peshawar on Friday, killing 12 worshippers. "
        "The Pakistani Taliban claimed responsibility for the bombing.",
        published="2024-03-10")
    ev = _one(events, "ASSAULT")
    assert "suicide-attack" in ev.mode
    assert ev.killed == 12
    assert ev.claimed_by and "Taliban" in ev.claimed_by[0] or "Tehrik" in ev.claimed_by[0]
    assert len(ev.evidence) == 2
    assert ev.location is not None and ev.location.country == "PK"
    assert ev.gtd is not None and ev.gtd.attack_type == "Bombing/Explosion"


def test_extract_no_group_claimed_is_not_a_claim(extract_text):
    events = extract_text(
        "A roadside bomb killed two policemen in Kandahar. No group has claimed responsibility "
        "for the attack.")
    ev = _one(events, "ASSAULT")
    assert ev.claimed_by == []
    assert ev.killed == 2
    assert "explosives" in ev.mode


def test_extract_two_states_arresting_are_two_events(extract_text):
    events = extract_text("Kenya and Uganda arrested dozens of ADF members last month.")
    arrests = [e for e in events if e.type == "COERCE"]
    assert {a.name for e in arrests for a in e.actors if a.role == "source"} == {"Kenya", "Uganda"}
    assert {e.location.country for e in arrests if e.location} == {"KE", "UG"}


def test_extract_denied_attack_is_not_occurred(extract_text):
    events = extract_text("The Houthis denied carrying out the attack on the tanker.")
    assert not [e for e in events if e.type == "ASSAULT" and e.modality == "occurred"]


def test_extract_protest_location(extract_text):
    events = extract_text("Thousands of protesters rallied in Khartoum on Monday against the army.")
    ev = _one(events, "PROTEST")
    assert ev.location is not None and ev.location.country == "SD"
    assert ev.acled is not None and ev.acled.event_type == "Protests"


def test_extract_event_ids_are_stable(extract_text):
    text = "Militants stormed a police station in Quetta, killing four officers."
    first = [e.event_id for e in extract_text(text)]
    second = [e.event_id for e in extract_text(text)]
    assert first and first == second


def test_extract_evidence_offsets_slice_the_text(extract_text):
    text = "Officials said on Sunday.\nAn airstrike hit a market in Idlib, killing 9 civilians."
    events = extract_text(text, published="2024-01-08")
    ev = _one(events, "ASSAULT")
    for item in ev.evidence:
        assert text[item.start:item.end] == item.sentence
    assert "aerial" in ev.mode
    assert ev.acled is not None and ev.acled.sub_event_type == "Air/drone strike"


def test_extract_no_event_after_publication(extract_text):
    events = extract_text("Gunmen shot dead a judge in Mogadishu on December 20.",
                          published="2024-12-12")
    ev = _one(events, "ASSAULT")
    assert ev.date.start is not None and ev.date.start <= dt.date(2024, 12, 12)


def test_extract_without_published_date_says_anchor_none(extract_text):
    events = extract_text("Gunmen attacked a checkpoint in Mosul on Monday.", published=None)
    ev = _one(events, "ASSAULT")
    assert ev.date.anchor == "none" and ev.date.start is None
    assert ev.location is not None and ev.location.country == "IQ"


def test_extract_threat_inherits_place_of_named_event(extract_text):
    events = extract_text(
        "Security was tightened ahead of the London Marathon. Al-Shabaab has released a plan "
        "to attack the Marathon with trucks.")
    threats = [e for e in events if e.type in ("ASSAULT", "THREATEN")]
    assert threats and all(e.modality != "occurred" for e in threats)
    assert any(e.location and e.location.country == "GB" for e in threats)


def test_extract_clash_between_two_armed_sides_is_a_battle(extract_text):
    events = extract_text("On 4 May 2020, clashes erupted between Houthi forces and "
                          "government troops near Marib.", published="2020-05-09")
    ev = _one(events, "ASSAULT")
    assert len(_names(ev, "source")) == 2
    assert ev.acled is not None and ev.acled.event_type == "Battles"
    assert ev.date.start == dt.date(2020, 5, 4)


def test_extract_protest_by_unlisted_group_has_protesters(extract_text):
    events = extract_text("Nurses staged a protest outside the hospital in Lagos on Monday.")
    ev = _one(events, "PROTEST")
    assert "Protesters" in _names(ev, "source")
    assert ev.location is not None and ev.location.country == "NG"


def test_troop_movement_with_a_place_but_no_named_actor_is_an_event(extract_text):
    events = extract_text("On 9 June 2024, coalition reinforcements, including 6 armored "
                          "vehicles and other military vehicles, reached Al Awadh area (Radman "
                          "al Awadh, Al Bayda).", published="2024-06-13")
    moves = [e for e in events if e.type == "MOBILIZE"]
    assert moves and moves[0].location is not None and moves[0].location.country == "YE"
    # Without a place it stays a vague report.
    assert not [e for e in extract_text("On Monday reinforcements arrived.",
                                        published="2024-06-13") if e.type == "MOBILIZE"]


def test_forces_stopping_a_patrol_coerce_it(extract_text):
    events = extract_text("On Monday US forces prevented a Russian military police patrol from "
                          "entering the town of Rmelan in Al-Hasakeh.", published="2024-06-13")
    assert [e for e in events if e.type == "COERCE" and e.location
            and e.location.country == "SY"]
