"""Choosing the event's place among the places a text names (:mod:`eventlens.extract.locate`)."""

from __future__ import annotations

import pytest

from eventlens.extract.context import build_context
from eventlens.extract.locate import coherent_place, nearby_place
from eventlens.ingest import make_document
from eventlens.models import PlaceMention


def _place(doc_text: str, text: str, country: str, feature: str,
           demonym: bool = False) -> PlaceMention:
    start = doc_text.index(text)
    return PlaceMention(doc_id="t", start=start, end=start + len(text), text=text, name=text,
                        country=country, lat=0.0, lon=0.0, feature=feature, demonym=demonym)


@pytest.fixture()
def context(extraction_pipeline):
    def build(text: str, places: list[tuple[str, str, str]], with_actors: bool = False):
        doc = extraction_pipeline.nlp(text)
        mentions = [_place(text, *p) for p in places]
        actors = extraction_pipeline.actors(doc) if with_actors else []
        return build_context(doc, make_document(text, id="t"), actors, mentions, [])
    return build


def test_coherent_place_moves_a_town_to_the_country_of_its_province(context):
    text = "In Merida, Merida state, residents protested on Monday."
    ctx = context(text, [("Merida", "MX", "city"), ("Merida state", "VE", "admin1")])
    better = coherent_place(ctx, "MX", 0, len(ctx.doc))
    assert better is not None and better.country == "VE"


def test_coherent_place_keeps_a_town_the_sentence_supports(context):
    text = "In Merida, Yucatan, residents protested on Monday."
    ctx = context(text, [("Merida", "MX", "city"), ("Yucatan", "MX", "admin1")])
    assert coherent_place(ctx, "MX", 0, len(ctx.doc)) is None


def test_coherent_place_ignores_a_country_used_as_a_modifier(context):
    text = "US forces shot a man in Deir ez-Zor on Monday."
    ctx = context(text, [("US", "US", "country"), ("Deir ez-Zor", "SY", "city")])
    assert coherent_place(ctx, "SY", 0, len(ctx.doc)) is None


def test_nearby_place_prefers_the_finest_place_of_the_sentence(context):
    text = "Militants shelled positions north of Raqqa, Syria, on Monday."
    ctx = context(text, [("Raqqa", "SY", "city"), ("Syria", "SY", "country")])
    place = nearby_place(ctx, 0, len(ctx.doc), 1)
    assert place is not None and place.text == "Raqqa"


def test_nearby_place_skips_adjectives(context):
    text = "Turkish forces shelled a village on Monday."
    ctx = context(text, [("Turkish", "TR", "country", True)])
    assert nearby_place(ctx, 0, len(ctx.doc), 2) is None


def test_coherent_place_discounts_a_name_matched_only_in_part(context):
    # "Colonia" alone is a German city; "Colonia Roma" is a neighbourhood of the Mexican town.
    text = "In Puebla, gunmen shot a man in Colonia Roma on Monday."
    ctx = context(text, [("Puebla", "MX", "city"), ("Colonia", "DE", "city")])
    better = coherent_place(ctx, "DE", 0, len(ctx.doc))
    assert better is not None and better.text == "Puebla"


def test_coherent_place_ignores_a_town_its_stated_container_contradicts(context):
    # The bracket says where "Karsa" is: its resolution to a province abroad casts no vote.
    text = "Gunmen killed two farmers in Karsa area (Hilla) on Monday."
    ctx = context(text, [("Karsa", "JO", "admin1"), ("Hilla", "IQ", "city")])
    assert coherent_place(ctx, "IQ", 0, len(ctx.doc)) is None


def test_nearby_place_skips_countries_that_own_the_actor(context):
    text = "Soldiers of Chad and Niger exchanged fire near the border on Monday."
    ctx = context(text, [("Chad", "TD", "country"), ("Niger", "NE", "country")],
                  with_actors=True)
    assert nearby_place(ctx, 0, len(ctx.doc), 5) is None


def test_nearby_place_keeps_a_country_in_an_of_phrase_of_a_place_noun(context):
    text = "Rebels shelled villages in the north of Chad on Monday."
    ctx = context(text, [("Chad", "TD", "country")], with_actors=True)
    place = nearby_place(ctx, 0, len(ctx.doc), 1)
    assert place is not None and place.country == "TD"


def test_noun_places_skip_nationality_adjectives(context):
    text = "Nigerien soldiers guarded the Paris Olympics on Monday."
    ctx = context(text, [("Nigerien", "NE", "country", True), ("Paris", "FR", "city")])
    assert "soldier" not in ctx.noun_places
    assert ctx.noun_places["olympics"].text == "Paris"


@pytest.mark.parametrize("text", [
    "Gunmen fired on a Turkey-backed patrol in Jarablus on Monday.",
    "Gunmen fired on a Turkey backed patrol in Jarablus on Monday.",
])
def test_coherent_place_ignores_a_country_that_backs_an_actor(context, text):
    ctx = context(text, [("Turkey", "TR", "country"), ("Jarablus", "SY", "city")])
    assert coherent_place(ctx, "SY", 0, len(ctx.doc)) is None
    assert nearby_place(ctx, 0, len(ctx.doc), 1).country == "SY"


def test_coherent_place_ignores_every_country_of_an_acting_list(context):
    # "Russia" is the second conjunct of the subject: it acts as much as "Turkey".
    text = "Turkey and Russia conducted a joint patrol on the highway in Idleb on Monday."
    ctx = context(text, [("Turkey", "TR", "country"), ("Russia", "RU", "country"),
                         ("Idleb", "SY", "city")])
    assert coherent_place(ctx, "SY", 0, len(ctx.doc)) is None


def test_noun_places_skip_a_country_that_says_whose_troops(context):
    text = "Militants attacked Burundi troops near Jowhar on Monday."
    ctx = context(text, [("Burundi", "BI", "country"), ("Jowhar", "SO", "city")],
                  with_actors=True)
    assert "troop" not in ctx.noun_places


def test_coherent_place_lets_the_parties_break_a_tie(context):
    # A village abroad and a town at home weigh alike; the event's parties act at home.
    text = "Rebel forces shelled Salim and Dali on Monday."
    ctx = context(text, [("Salim", "PS", "city"), ("Dali", "YE", "city")])
    assert coherent_place(ctx, "PS", 0, len(ctx.doc)) is None
    better = coherent_place(ctx, "PS", 0, len(ctx.doc), frozenset({"YE"}))
    assert better is not None and better.country == "YE"
    # Parties at home in the chosen place's country keep it.
    assert coherent_place(ctx, "PS", 0, len(ctx.doc), frozenset({"PS"})) is None
