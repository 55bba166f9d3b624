"""Where, when and with what toll, when the event's own words do not say (issue 4).

Short reports tell the date once ("On 9 May 2024, ..."), name the place in an aside and give the
toll in a sentence of its own; these rules read them from the rest of the text. Sentences are
written for these tests.
"""

from __future__ import annotations

import datetime as dt

import pytest

from eventlens.models import Event


def _assault(events: list[Event]) -> Event:
    found = [e for e in events if e.type == "ASSAULT" and e.modality == "occurred"]
    assert len(found) == 1, [(e.type, e.evidence[0].sentence) for e in events]
    return found[0]


@pytest.mark.issue(4)
def test_narrative_date_of_the_lead_sentence(extract_text):
    ev = _assault(extract_text(
        "On 9 May 2024, gunmen stormed a village near Gao. Two soldiers were killed in the "
        "fighting that followed.", published="2024-05-11"))
    assert ev.date.start == ev.date.end == dt.date(2024, 5, 9)
    assert ev.killed == 2


@pytest.mark.issue(4)
def test_narrative_toll_in_a_sentence_of_its_own(extract_text):
    ev = _assault(extract_text(
        "On 3 March 2024, armed men attacked a farm in Zamfara state. 4 fatalities.",
        published="2024-03-05"))
    assert ev.killed == 4


@pytest.mark.issue(4)
def test_narrative_another_attack_is_a_new_event(extract_text):
    events = extract_text(
        "On 3 March 2024, gunmen killed a trader in Gusau. In another attack, bandits killed "
        "two farmers in Anka.", published="2024-03-05")
    assert len([e for e in events if e.type == "ASSAULT"]) == 2


@pytest.mark.issue(4)
def test_narrative_place_named_in_an_aside(extract_text):
    ev = _assault(extract_text(
        "On 4 May 2024, militants ambushed a convoy on the road north of Kandahar.",
        published="2024-05-06"))
    assert ev.location is not None and ev.location.country == "AF"


@pytest.mark.issue(4)
def test_narrative_place_from_an_earlier_sentence(extract_text):
    ev = _assault(extract_text(
        "Tension has been high in Maiduguri for weeks. On Monday, gunmen killed three "
        "traders.", published="2024-05-08"))
    assert ev.location is not None and ev.location.country == "NG"


@pytest.mark.issue(4)
def test_narrative_country_as_modifier_is_not_the_place(extract_text):
    ev = _assault(extract_text(
        "On 4 May 2024, protesters angry at the falling value of the US dollar attacked a bank "
        "in Tripoli, Lebanon.", published="2024-05-06"))
    assert ev.location is not None and ev.location.country != "US"


@pytest.mark.issue(4)
def test_narrative_home_country_of_a_named_group(extract_text):
    ev = _assault(extract_text("On 4 May 2024, al-Shabaab militants ambushed a convoy.",
                               published="2024-05-06"))
    assert ev.location is not None and ev.location.country == "SO"


@pytest.mark.issue(4)
def test_narrative_folded_verb_keeps_its_victims(extract_text):
    ev = _assault(extract_text(
        "On 2 May 2024, Taliban militants ambushed and killed four policemen in Baghlan.",
        published="2024-05-06"))
    assert any(a.kind == "police" for a in ev.actors if a.role == "target")
    assert ev.acled is not None and ev.acled.event_type == "Battles"


@pytest.mark.issue(4)
def test_narrative_place_in_an_of_phrase(extract_text):
    ev = _assault(extract_text(
        "On 1 May 2024, US forces shot dead a shepherd near a gas field in the eastern "
        "countryside of Deir ez-Zor.", published="2024-05-03"))
    assert ev.location is not None and ev.location.country == "SY"


@pytest.mark.issue(4)
def test_narrative_ambiguous_town_follows_its_province(extract_text):
    ev = _assault(extract_text(
        "On 5 May 2024, in Foz do Iguacu, Parana, a man was shot dead by two armed men.",
        published="2024-05-06"))
    assert ev.location is not None and ev.location.country == "BR"


@pytest.mark.issue(4)
def test_narrative_threat_and_past_attack_in_one_sentence_stay_apart(extract_text):
    events = extract_text(
        "JNIM threatened on Wednesday to carry out more attacks in Bamako, a day after its "
        "fighters stormed a police school in the city.", published="2024-09-19")
    stormed = [e for e in events if e.type == "ASSAULT" and e.modality == "occurred"]
    assert len(stormed) == 1
    # "a day after": Wednesday is the threat's date, not the attack's.
    assert stormed[0].date.start != dt.date(2024, 9, 18)


@pytest.mark.issue(4)
def test_narrative_after_without_a_gap_shares_the_day(extract_text):
    events = extract_text("On 3 May 2024, police arrested two men in Kano after they attacked "
                          "a bus.", published="2024-05-05")
    assault = [e for e in events if e.type == "ASSAULT"][0]
    assert assault.date.start == dt.date(2024, 5, 3)
