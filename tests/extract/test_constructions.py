"""Loading trigger constructions (``data/constructions.yaml``)."""

from __future__ import annotations

import pytest
import yaml

from eventlens.errors import ResolutionError
from eventlens.extract.constructions import parse_constructions
from eventlens.extract.lexicon import PLOVER_TYPES, load_lexicon


def test_constructions_packaged_file_loads():
    lexicon = load_lexicon()
    assert lexicon.constructions.by_lemma["fire"]
    assert lexicon.constructions.weapons["mortar"] == "heavy-weapons"


def test_constructions_bare_on_is_refused():
    data = yaml.safe_load("constructions:\n"
                          "  - {lemmas: [go], preps: {on: [strike]}, type: PROTEST}\n")
    with pytest.raises(ResolutionError, match="quote"):
        parse_constructions(data, PLOVER_TYPES)


def test_constructions_unknown_type_is_refused():
    data = {"constructions": [{"lemmas": ["fire"], "objects": ["gun"], "type": "FIGHTING"}]}
    with pytest.raises(ResolutionError, match="unknown PLOVER type"):
        parse_constructions(data, PLOVER_TYPES)


def test_constructions_weapon_mode_from_modifier(extraction_pipeline):
    lexicon = load_lexicon()
    doc = extraction_pipeline.nlp("They fired grenade launchers and machine guns.")
    modes = {lexicon.constructions.weapon_mode(t) for t in doc if t.pos_ == "NOUN"}
    assert {"heavy-weapons", "firearms"} <= modes


def test_a_meeting_that_took_place_is_no_deployment(extract_text):
    events = extract_text("The 40th meeting of the working group took place in Moscow on Monday.")
    assert "MOBILIZE" not in {e.type for e in events}
    events = extract_text("A joint patrol took place along the highway in Idlib on Monday.")
    assert "MOBILIZE" in {e.type for e in events}


def test_saying_where_threats_come_from_is_an_accusation(extract_text):
    (event,) = [e for e in extract_text("Iran says the threats come from Israel.")
                if e.type == "ACCUSE"]
    parties = {(a.role, a.name) for a in event.actors}
    assert ("source", "Iran") in parties and ("target", "Israel") in parties
    # Where people come from accuses nobody.
    assert "ACCUSE" not in {e.type for e in extract_text("Most of the migrants come from Syria.")}
