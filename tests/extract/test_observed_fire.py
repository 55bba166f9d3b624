"""Fire recorded by observers, and verbs the tagger misreads, on sentences written for these
tests: counted explosions with no device named are shelling, shots "involving" a weapon are an
event whose weapon gives the mode, small-arms fire or fire "in both directions" is a battle, and
"shot dead" / "raped" are found although the model tags or lemmatizes them wrongly.
"""

from __future__ import annotations

import pytest

from eventlens.extract.lexicon import load_lexicon
from eventlens.extract.numbers import find_counts
from eventlens.models import Event


def _assaults(events: list[Event]) -> list[Event]:
    return [e for e in events if e.type == "ASSAULT" and e.modality == "occurred"]


def _acled(events: list[Event]) -> tuple[str, str]:
    found = _assaults(events)
    assert len(found) == 1, [(e.type, e.mode, e.acled) for e in events]
    assert found[0].acled is not None
    return found[0].acled.event_type, found[0].acled.sub_event_type


def test_counted_explosions_without_device_are_shelling(extract_text):
    events = extract_text("Ceasefire monitors recorded 31 explosions near Grivna on Monday.")
    assert _acled(events) == ("Explosions/Remote violence", "Shelling/artillery/missile attack")


def test_counted_explosions_of_a_named_bomb_stay_explosives(extract_text):
    events = extract_text("Two explosions from a roadside bomb hit a bus near Grivna on Monday.")
    assert _acled(events)[1] == "Remote explosive/landmine/IED"


def test_single_explosion_stays_explosives(extract_text):
    events = extract_text("An explosion killed three people at a market in Grivna on Monday.")
    assert _acled(events)[1] == "Remote explosive/landmine/IED"


def test_shots_involving_small_arms_are_an_armed_clash(extract_text):
    events = extract_text("Monitors counted 12 shots involving small arms near Grivna on Monday.")
    assert _acled(events) == ("Battles", "Armed clash")


def test_shots_without_a_weapon_are_no_event(extract_text):
    assert not _assaults(extract_text("The photographer took 12 shots of the river on Monday."))


def test_fire_involving_heavy_machineguns_is_shelling(extract_text):
    events = extract_text(
        "Monitors counted 9 bursts of fire involving heavy machineguns near Grivna on Monday.")
    assert _acled(events) == ("Explosions/Remote violence", "Shelling/artillery/missile attack")


def test_unknown_weapons_give_no_mode(extraction_pipeline):
    lexicon = load_lexicon()
    doc = extraction_pipeline.nlp("Monitors counted 9 shots involving unknown weapons.")
    shots = next(t for t in doc if t.lower_ == "shots")
    found = lexicon.constructions.match(shots, "NOUN")
    assert found is not None and found.modes == ()


def test_fire_in_both_directions_is_a_battle(extract_text):
    events = extract_text("Monitors recorded 40 explosions in both directions of the frontline "
                          "near Grivna on Monday.")
    assert _acled(events) == ("Battles", "Armed clash")


def test_mortar_rounds_are_heavy_weapons():
    lexicon = load_lexicon()
    assert lexicon.constructions.weapons["mortar round"] == "heavy-weapons"


def test_shot_dead_tagged_as_noun_is_a_killing(extract_text):
    events = extract_text("Gunmen riding a motorcycle shot dead a farmer in Grivna on Monday.")
    (event,) = _assaults(events)
    assert "firearms" in event.mode
    assert event.killed == 1


def test_shot_dead_counts_one_killed():
    assert find_counts("Gunmen shot dead two farmers near the village.").killed == 2


def test_raped_is_sexual_violence_despite_the_lemmatizer(extract_text):
    events = extract_text("Two women were raped by militiamen in Grivna on Monday.")
    assert _acled(events) == ("Violence against civilians", "Sexual violence")


@pytest.mark.parametrize("text", [
    "The centre forward missed a shot dead on target.",
])
def test_determiner_before_shot_keeps_it_a_noun(extract_text, text):
    assert not _assaults(extract_text(text))
