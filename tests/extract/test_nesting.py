"""How the places of a sentence nest (:mod:`eventlens.extract.nesting`)."""

from __future__ import annotations

from typing import Optional

import pytest

from eventlens.extract.context import build_context, is_partial_name
from eventlens.extract.nesting import (container_fix, place_within, stated_container,
                                       stated_province)
from eventlens.ingest import make_document
from eventlens.models import Location, PlaceMention


def _place(doc_text: str, text: str, country: str, feature: str,
           admin1: Optional[str] = None) -> PlaceMention:
    start = doc_text.index(text)
    return PlaceMention(doc_id="t", start=start, end=start + len(text), text=text, name=text,
                        country=country, admin1=admin1, lat=0.0, lon=0.0, feature=feature)


def _location(text: str, country: str, precision: str,
              admin1: Optional[str] = None) -> Location:
    return Location(text=text, name=text, country=country, admin1=admin1, lat=0.0, lon=0.0,
                    precision=precision)


@pytest.fixture()
def context(extraction_pipeline):
    def build(text: str, places: list[tuple]):
        doc = extraction_pipeline.nlp(text)
        mentions = [_place(text, *p) for p in places]
        return build_context(doc, make_document(text, id="t"), [], mentions, [])
    return build


def test_stated_container_runs_through_area_words_and_prepositions(context):
    text = "A mine exploded in Badush area west of Salba in Raqqa countryside on Monday."
    ctx = context(text, [("Badush", "IQ", "city"), ("Raqqa", "SY", "city")])
    better = stated_container(ctx, _location("Badush", "IQ", "city"), 0, len(ctx.doc))
    assert better is not None and better.text == "Raqqa"


def test_stated_container_prefers_the_finest_place_inside_the_container(context):
    text = "Gunmen attacked Rampur village near Barmer town (Jalore, Rajasthan) on Monday."
    ctx = context(text, [("Rampur", "IN", "city", "Uttar Pradesh"),
                         ("Barmer", "IN", "city", "Rajasthan"),
                         ("Rajasthan", "IN", "admin1", "Rajasthan")])
    better = stated_container(ctx, _location("Rampur", "IN", "city", "Uttar Pradesh"), 0,
                              len(ctx.doc))
    assert better is not None and better.text == "Barmer"


def test_stated_container_stops_at_words_that_do_not_nest_places(context):
    # "in violation of ..." is no container: the country there names an agreement.
    text = "Troops shelled Kafr Nabl in violation of the Russia-Turkey ceasefire."
    ctx = context(text, [("Kafr Nabl", "SY", "city"), ("Russia", "RU", "country"),
                         ("Turkey", "TR", "country")])
    assert stated_container(ctx, _location("Kafr Nabl", "SY", "city"), 0, len(ctx.doc)) is None


def test_stated_container_is_not_read_from_a_list_of_places(context):
    text = "Protests were held in Lagos, Accra, Dakar and Abidjan on Monday."
    ctx = context(text, [("Lagos", "NG", "city"), ("Accra", "GH", "city"),
                         ("Dakar", "SN", "city"), ("Abidjan", "CI", "city")])
    assert stated_container(ctx, _location("Lagos", "NG", "city"), 0, len(ctx.doc)) is None


def test_stated_container_leaves_a_country_named_after_a_town_to_the_votes(context):
    # "Niger" after a Nigerian town is as likely the Nigerian state as the country.
    text = "Gunmen killed a trader in Bida (Niger) on Monday."
    ctx = context(text, [("Bida", "NG", "city", "Niger"), ("Niger", "NE", "country")])
    assert stated_container(ctx, _location("Bida", "NG", "city", "Niger"), 0,
                            len(ctx.doc)) is None


def test_container_fix_keeps_a_town_in_its_container(context):
    text = "Gunmen attacked Rampur village (Rampur district, Uttar Pradesh) on Monday."
    ctx = context(text, [("Rampur", "IN", "city", "Uttar Pradesh"),
                         ("Uttar Pradesh", "IN", "admin1", "Uttar Pradesh")])
    end = next(e for s, e, p in ctx.places if p.text == "Rampur")
    assert container_fix(ctx, end, ctx.places[0][2], len(ctx.doc)) is None


def test_place_within_takes_the_finest_place_of_the_country(context):
    text = "Residents of Tessit (Gao) rallied for self-rule in northern Mali on Monday."
    ctx = context(text, [("Tessit", "ML", "city", "Gao"), ("Gao", "ML", "admin1", "Gao"),
                         ("Mali", "ML", "country")])
    finer = place_within(ctx, _location("Mali", "ML", "country"), 0, len(ctx.doc), 5)
    assert finer is not None and finer.text == "Tessit"


def test_place_within_a_province_skips_towns_of_other_provinces(context):
    text = "Residents of Tessit rallied in Mopti on Monday."
    ctx = context(text, [("Tessit", "ML", "city", "Gao"), ("Mopti", "ML", "admin1", "Mopti")])
    assert place_within(ctx, _location("Mopti", "ML", "admin1", "Mopti"), 0, len(ctx.doc),
                        3) is None


def test_is_partial_name_spots_the_start_of_a_longer_name(context):
    text = "Gunmen shot a man in Colonia Roma and in Santiago de la Pena, near Puebla."
    ctx = context(text, [("Colonia", "DE", "city"), ("Santiago", "CL", "city"),
                         ("Puebla", "MX", "city")])
    partial = {ctx.doc[s].text for s, e, p in ctx.places
               if is_partial_name(ctx.doc, s, e, ctx.place_at)}
    assert partial == {"Colonia", "Santiago"}


def test_stated_province_is_the_one_province_the_sentence_names(context):
    text = "In Porto Alto, Bahia, police raided a house in Vila Nova neighborhood."
    ctx = context(text, [("Porto Alto", "BR", "city", "Bahia"),
                         ("Bahia", "BR", "admin1", "Bahia"), ("Vila Nova", "BR", "city", "Parana")])
    province = stated_province(ctx, _location("Vila Nova", "BR", "city", "Parana"), 0,
                               len(ctx.doc))
    assert province is not None and province.text == "Bahia"


def test_stated_province_keeps_a_town_its_own_province_supports(context):
    text = "Police raided houses in Vila Nova and Curitiba, Bahia and Parana."
    ctx = context(text, [("Vila Nova", "BR", "city", "Parana"),
                         ("Curitiba", "BR", "city", "Parana"), ("Bahia", "BR", "admin1", "Bahia")])
    assert stated_province(ctx, _location("Vila Nova", "BR", "city", "Parana"), 0,
                           len(ctx.doc)) is None
