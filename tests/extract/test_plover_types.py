"""PLOVER types beyond violence, and PLOVER's rules for intentions (issue 4).

Sentences written for these tests; the rules follow the PLOVER manual's category definitions.
"""

from __future__ import annotations

import pytest

from eventlens.extract.plover import plover_type


@pytest.mark.parametrize("etype,modality,expected", [
    ("AID", "planned", "AGREE"),
    ("CONSULT", "planned", "AGREE"),
    ("RETREAT", "planned", "CONCEDE"),
    ("ASSAULT", "threatened", "THREATEN"),
    ("SANCTION", "threatened", "THREATEN"),
    ("ASSAULT", "planned", "ASSAULT"),
    ("AID", "occurred", "AID"),
])
def test_plover_type_of_intentions(etype, modality, expected):
    assert plover_type(etype, modality, [])[0] == expected


def test_plover_type_threat_mode():
    assert plover_type("ASSAULT", "threatened", ["drone"]) == ("THREATEN", ["violence", "drone"])


@pytest.mark.issue(4)
@pytest.mark.parametrize("text,expected", [
    ("Norway will send aid to Sudan.", "AGREE"),
    ("Kenya and Somalia reached an agreement on border security on Monday.", "AGREE"),
    ("Japan gave Kenya 5 million dollars of aid on Monday.", "AID"),
    ("The government lifted the curfew in Abidjan on Monday.", "CONCEDE"),
    ("The union called off its strike on Monday.", "CONCEDE"),
    ("The European Union imposed sanctions on Belarus on Monday.", "SANCTION"),
    ("Ghana recalled its ambassador from Togo on Monday.", "SANCTION"),
    ("The rebels released 20 hostages on Monday.", "RETREAT"),
    ("Iran threatened to impose sanctions on Iraq.", "THREATEN"),
    ("The opposition called for new elections on Monday.", "DEMAND"),
    ("Nigeria urged Niger to reopen its border on Monday.", "DEMAND"),
    ("Egypt asked Sudan for help on Monday.", "REQUEST"),
    ("The president turned down the proposal on Monday.", "REJECT"),
    ("The minister apologized to the families on Monday.", "CONCEDE"),
    ("The president received a delegation from Mali on Monday.", "CONSULT"),
    ("Hundreds of rebels surrendered to the army on Monday.", "RETREAT"),
    ("Chad cancelled a planned visit to Sudan on Monday.", "SANCTION"),
    ("The government accepted the demands of the strikers on Monday.", "CONCEDE"),
    ("France said Iraq must comply with the resolution.", "DEMAND"),
    ("The rebels said they would boycott the elections.", "THREATEN"),
    ("Kenya will withdraw its troops from Somalia unless the attacks stop.", "THREATEN"),
    ("The rebels have sworn to fight until they take the capital.", "THREATEN"),
    ("Ghana said it would not provide support to the junta.", "REJECT"),
    ("Russia and Belarus agreed to share intelligence on Monday.", "AGREE"),
    ("The army put its units on alert on Monday.", "MOBILIZE"),
    ("Teachers began an indefinite strike in Harare on Monday.", "PROTEST"),
    ("Algeria lodged a protest with Morocco on Monday.", "DISAPPROVE"),
    ("Hunger strikers continued their hunger strike in Rabat on Monday.", "PROTEST"),
    ("Thousands of Syrians sought refuge in Turkey last month.", "REQUEST"),
    ("Egypt defended Sudan against criticism of its elections on Monday.", "SUPPORT"),
    ("Kenya said it will not accept more refugees from Somalia.", "REJECT"),
    ("Peru issued an ultimatum to Ecuador on Monday.", "THREATEN"),
    ("Serb forces were engaged in ethnic cleansing in Kosovo, the report said.", "ASSAULT"),
])
def test_plover_types_from_text(extract_text, text, expected):
    types = {e.type for e in extract_text(text, published="2024-06-13")}
    assert expected in types, types


@pytest.mark.issue(4)
def test_plover_participle_is_not_a_trigger(extract_text):
    events = extract_text("Turkish-backed fighters shelled a village in Afrin on Monday.",
                          published="2024-06-13")
    assert "SUPPORT" not in {e.type for e in events}


@pytest.mark.issue(4)
def test_plover_clause_of_its_own_keeps_its_modality(extract_text):
    events = extract_text("The government said it is prepared to impose martial law as "
                          "battles raged between rebels and troops in Bangui.",
                          published="2024-06-13")
    assert any(e.type == "THREATEN" and any(a.kind == "government" for a in e.actors)
               for e in events)
    assert any(e.type == "ASSAULT" and e.modality == "occurred" for e in events)


@pytest.mark.issue(4)
def test_plover_relative_clause_describes_what_happened(extract_text):
    events = extract_text("The rebels will return the weapons they seized from the army last "
                          "year.", published="2024-06-13")
    assert "THREATEN" not in {e.type for e in events}


@pytest.mark.issue(4)
def test_plover_hyphenated_trigger(extract_text):
    events = extract_text("A shoot-out took place in Soweto on Monday.", published="2024-06-13")
    assert any(e.type == "ASSAULT" and "firearms" in e.mode for e in events)


@pytest.mark.issue(4)
def test_plover_failed_agreement_did_not_happen(extract_text):
    events = extract_text("Ethiopia and Egypt failed to reach an agreement on the dam on Monday.",
                          published="2024-06-13")
    assert not [e for e in events if e.type == "AGREE" and e.modality == "occurred"]


@pytest.mark.issue(4)
def test_plover_defending_a_town_is_not_support(extract_text):
    events = extract_text("Troops defended the town against a rebel assault on Monday.",
                          published="2024-06-13")
    assert "SUPPORT" not in {e.type for e in events}


@pytest.mark.issue(4)
def test_plover_what_followed_a_protest_does_not_make_it_a_threat(extract_text):
    events = extract_text("The government ordered patrols by police after violent protests by "
                          "students in Karachi.", published="2024-06-13")
    assert "THREATEN" not in {e.type for e in events}
    assert any(e.type == "PROTEST" and e.modality == "occurred" for e in events)
