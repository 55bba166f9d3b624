"""Choosing an event's location from its sentence and story (:mod:`eventlens.extract.placing`).

The places are given by hand (not by the resolver) so that each test pins one placing rule: the
sentences are real English run through the real model, the place mentions are what a resolver
might have made of them, mistakes included.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

import pytest

from eventlens.extract.context import build_context
from eventlens.ingest import make_document
from eventlens.models import Event, PlaceMention
from eventlens.resolve.dates import find_dates

# (text in the sentence, country, feature, admin1, demonym, (lat, lon)); coordinates default
# to one point for all places
PlaceSpec = tuple


def _place(text: str, spec: PlaceSpec, after: int = 0) -> PlaceMention:
    name, country, feature, *rest = spec
    admin1: Optional[str] = rest[0] if rest else None
    demonym = bool(rest[1]) if len(rest) > 1 else False
    lat, lon = rest[2] if len(rest) > 2 else (1.0, 1.0)
    start = text.index(name, after)
    return PlaceMention(doc_id="t", start=start, end=start + len(name), text=name, name=name,
                        country=country, admin1=admin1, lat=lat, lon=lon, feature=feature,
                        demonym=demonym)


@pytest.fixture()
def events_with(extraction_pipeline):
    """Run the extractor over a text whose place mentions are given by hand."""

    def run(text: str, places: list[PlaceSpec]) -> list[Event]:
        pipe = extraction_pipeline
        doc = pipe.nlp(text)
        document = make_document(text, id="t", published=dt.date(2024, 6, 12))
        mentions, after = [], 0
        for spec in places:
            mention = _place(text, spec, after)
            mentions.append(mention)
            after = mention.end
        ctx = build_context(doc, document, pipe.actors(doc), mentions,
                            find_dates(doc.text, document.published))
        return pipe.extractor.extract(ctx)

    return run


def _location(events: list[Event], etype: str):
    found = [e for e in events if e.type == etype]
    assert found, [(e.type, e.location) for e in events]
    return found[0].location


def test_place_follows_the_stated_container_over_a_namesake_in_another_country(events_with):
    # "Karsa" resolved to a province abroad; the town named in brackets says where it is. The
    # province outweighs the town in a plain country vote, so only the container rule moves it.
    events = events_with("Gunmen killed two farmers in Karsa area (Hilla) on Monday.",
                         [("Karsa", "JO", "admin1", "Karsa"), ("Hilla", "IQ", "city", "Babil")])
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.country == "IQ" and loc.name == "Hilla"


def test_place_follows_the_stated_province_over_a_namesake_in_another_province(events_with):
    events = events_with(
        "Gunmen killed two farmers in Rampur village near Barmer town (Rajasthan) on Monday.",
        [("Rampur", "IN", "city", "Uttar Pradesh"), ("Barmer", "IN", "city", "Rajasthan"),
         ("Rajasthan", "IN", "admin1", "Rajasthan")])
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.name == "Barmer"


def test_place_keeps_a_town_when_only_its_province_is_contradicted(events_with):
    # Without a town of the stated province, the town is still nearer than the province.
    events = events_with(
        "Gunmen killed two farmers in Rampur village (Kota district, Rajasthan) on Monday.",
        [("Rampur", "IN", "city", "Uttar Pradesh"), ("Rajasthan", "IN", "admin1", "Rajasthan")])
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.name == "Rampur"


def test_place_keeps_a_town_that_its_province_contains(events_with):
    events = events_with(
        "Gunmen killed two farmers in Rampur village (Rampur district, Uttar Pradesh) on Monday.",
        [("Rampur", "IN", "city", "Uttar Pradesh"),
         ("Uttar Pradesh", "IN", "admin1", "Uttar Pradesh")])
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.name == "Rampur"


def test_place_narrows_a_country_to_a_town_of_the_sentence(events_with):
    # The locative phrase gives the country; the town the sentence names lies inside it.
    events = events_with(
        "Gunmen attacked a police post in northern Mali (Tessit, Gao) on Monday.",
        [("Mali", "ML", "country"), ("Tessit", "ML", "city", "Gao"),
         ("Gao", "ML", "admin1", "Gao")])
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.name == "Tessit"


def test_place_of_a_state_acting_at_home_is_where_the_story_is_set(events_with):
    events = events_with(
        "Gunmen robbed a bank in Kasama on Monday. Zambian police arrested two suspects.",
        [("Kasama", "ZM", "city", "Northern"), ("Zambian", "ZM", "country", None, True)])
    loc = _location(events, "COERCE")
    assert loc is not None and loc.country == "ZM" and loc.name == "Kasama"


def test_place_of_a_state_acting_at_home_ignores_a_story_set_abroad(events_with):
    events = events_with(
        "Gunmen robbed a bank in Kasama on Monday. Malawian police arrested two suspects.",
        [("Kasama", "ZM", "city", "Northern"), ("Malawian", "MW", "country", None, True)])
    loc = _location(events, "COERCE")
    assert loc is not None and loc.country == "MW" and loc.precision == "country"


def test_place_of_a_state_acting_abroad_is_the_town_its_sentence_names(events_with):
    # "at the entrance of Kufra" is no locative phrase; the town still says the arrest
    # happened abroad rather than in the troops' home country.
    events = events_with(
        "Chadian troops arrested four smugglers at the entrance of Kufra (Al Kufrah) on Monday.",
        [("Chadian", "TD", "country", None, True), ("Kufra", "LY", "city", "Al Kufrah"),
         ("Al Kufrah", "LY", "admin1", "Al Kufrah")])
    loc = _location(events, "COERCE")
    assert loc is not None and loc.country == "LY" and loc.name == "Kufra"


def test_place_of_troops_is_not_read_from_their_nationality(events_with):
    events = events_with("Nigerien soldiers were deployed to Gao on Monday.",
                         [("Nigerien", "NE", "country", None, True), ("Gao", "ML", "city", "Gao")])
    loc = _location(events, "MOBILIZE")
    assert loc is not None and loc.name == "Gao"


def test_place_of_a_statement_is_the_town_the_story_is_set_in(events_with):
    events = events_with(
        "In Envigado, Antioquia, gunmen killed a farmer on Monday. The mayor condemned the "
        "killing.",
        [("Envigado", "CO", "city", "Antioquia"), ("Antioquia", "CO", "admin1", "Antioquia")])
    loc = _location(events, "DISAPPROVE")
    assert loc is not None and loc.name == "Envigado"


def test_place_of_a_village_named_like_a_province_is_its_district(events_with):
    events = events_with(
        "A mine exploded in Takeo village, Phnum Srok district of Battambang province, "
        "Cambodia, on Monday.",
        [("Takeo", "KH", "admin1", "Takeo"), ("Phnum Srok", "KH", "city", "Battambang"),
         ("Battambang", "KH", "admin1", "Battambang"), ("Cambodia", "KH", "country")])
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.name == "Phnum Srok"


def test_place_of_a_shared_town_name_follows_the_country_of_the_text(events_with):
    # Nothing supports the resolver's Libyan "Tripoli"; the army's and the adjective's country
    # has a town of that name.
    events = events_with(
        "Protesters blocked the main road in Tripoli on Monday. Lebanese Army soldiers "
        "reopened the road.",
        [("Tripoli", "LY", "city", "Tripoli"), ("Lebanese", "LB", "country", None, True)])
    loc = _location(events, "PROTEST")
    assert loc is not None and loc.country == "LB" and loc.name == "Tripoli"


def test_place_of_a_shared_town_name_ignores_a_country_that_classifies_a_thing(events_with):
    # "the US dollar" names a currency, not the country the story is set in.
    events = events_with(
        "Rioters angry at the rising US dollar exchange rate blocked a road in Sidon on Monday.",
        [("Sidon", "LB", "city", "South Governorate")])
    loc = _location(events, "PROTEST")
    assert loc is not None and loc.country == "LB"


def test_place_of_a_neighbourhood_in_another_province_is_the_stated_town(events_with):
    # "Vila Quarta" resolved to a namesake in another state; the sentence names one state and
    # a town there. (The gazetteer has no "Vila Quarta" in Bahia.)
    events = events_with(
        "Gunmen attacked a house in Vila Quarta on Monday, in Feira Alta municipality, Bahia.",
        [("Vila Quarta", "BR", "city", "Xingu"), ("Feira Alta", "BR", "city", "Bahia"),
         ("Bahia", "BR", "admin1", "Bahia")])
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.name == "Feira Alta"


def test_place_of_a_town_in_another_province_is_its_namesake_in_the_stated_one(events_with):
    # The gazetteer has a "San Pedro" in Sinaloa: the namesake the writer meant beats the
    # stated town, which is only the municipality around it.
    events = events_with(
        "Gunmen attacked a house in San Pedro on Monday, in Navolato municipality, Sinaloa.",
        [("San Pedro", "MX", "city", "Jalisco"), ("Navolato", "MX", "city", "Sinaloa"),
         ("Sinaloa", "MX", "admin1", "Sinaloa")])
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.name == "San Pedro" and loc.admin1 == "Sinaloa"


def test_place_of_an_unknown_village_is_the_area_of_the_text_actor(events_with):
    # The village is unknown; the mission that reports it works in one country, mainly in
    # one province (its KB areas).
    events = events_with("On 9 May 2020, the OSCE SMM observed 2 explosions near Bolotene.", [])
    loc = _location(events, "ASSAULT")
    assert loc is not None and (loc.country, loc.precision) == ("UA", "admin1")
    assert loc.name == "Donetska oblast"


def test_place_of_a_village_namesake_far_from_the_actor_area(extract_text):
    # The gazetteer's only "Lozove" villages lie in Crimea and Khmelnytskyi; the mission's
    # village lies on the line of contact, so the province it works in is the better guess.
    events = extract_text("On 9 May 2020, the OSCE SMM observed 5 explosions near Lozove.")
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.name == "Donetska oblast" and loc.text == "Lozove"
    # Where the text places the village itself, it stays.
    events = extract_text("On 9 May 2020, the OSCE SMM observed 5 explosions near Lozove, "
                          "in Crimea.")
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.admin1 == "Crimea"


def test_place_of_a_village_abroad_far_from_the_actor_area(events_with, extract_text):
    # The only "Komsomolets" the gazetteer knows lies in Tambov oblast, 700 km from the line of
    # contact the mission watches: the mission's province is the better guess.
    text = "On 9 May 2020, the OSCE SMM observed 15 explosions near Komsomolets."
    events = events_with(text, [("Komsomolets", "RU", "city", "Tambov", False, (52.9, 41.5))])
    loc = _location(events, "ASSAULT")
    assert loc is not None and (loc.country, loc.name) == ("UA", "Donetska oblast")
    # A town the text calls by another of its names is no better, whatever its size:
    # "Elenovka" is also a name of Sevan, Armenia.
    events = extract_text("On 9 May 2020, the OSCE SMM observed 10 explosions near Elenovka.")
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.country == "UA"
    # A namesake just across the border (Rostov oblast) may be the place meant, and stays.
    events = events_with(text, [("Komsomolets", "RU", "city", "Rostov", False, (47.8, 39.6))])
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.country == "RU"


def test_place_is_not_moved_to_the_country_goods_come_from(extract_text):
    # "from Turkey" would outweigh one town in a plain country vote, but it says where the
    # goods come from, not where the drivers protested.
    events = extract_text("On 5 May 2020, drivers of trailers who transport goods from Turkey "
                          "organized a protest in Batumi.")
    loc = _location(events, "PROTEST")
    assert loc is not None and (loc.country, loc.name) == ("GE", "Batumi")


def test_place_of_an_alleged_event_is_where_the_story_is_set(extract_text):
    events = extract_text(
        "On 30 April 2020, a prisoner died in Battambang province of Cambodia. A relative "
        "claimed that he was tortured to death by prison guards.")
    alleged = [e for e in events if e.modality == "alleged"]
    assert alleged and alleged[0].location is not None
    assert alleged[0].location.country == "KH"


def test_place_of_a_province_namesake_in_the_country_a_force_intervenes_in(extract_text):
    # Saudi Arabia and Yemen both have an Al Jawf province; the coalition's strikes are in
    # Yemen (its KB areas), even though its name only classifies the airstrikes.
    events = extract_text("On 8 May 2020, 21 Saudi-led coalition airstrikes reportedly "
                          "targeted Khabb district (Al Jawf). No injuries were reported.")
    loc = _location(events, "ASSAULT")
    assert loc is not None and (loc.country, loc.precision) == ("YE", "admin1")


def test_place_of_a_province_namesake_in_an_armed_groups_country(extract_text):
    # A Yemeni group's attack, even named only as a modifier ("a pro-Houthi attack"), puts
    # Al Jawf in Yemen.
    events = extract_text("On 30 April 2020, government forces repelled a pro-Houthi attack "
                          "near a military camp (Khabb wa ash Shaaf, Al Jawf), killing two "
                          "fighters.")
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.country == "YE"


def test_place_of_a_foreign_village_with_no_namesake_is_the_groups_country(extract_text):
    # The only "Sokoura" the gazetteer knows is a hamlet in Cote d'Ivoire; the Malian
    # militia's killing happened in Mali, in a village the gazetteer lacks.
    events = extract_text("Around 1 May 2020, Dan Na Ambassagou militiamen reportedly killed a "
                          "member of the Fulani community in the commune of Sokoura.")
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.country == "ML"
    # A town a continent away is no better: "Zari" is also a name of Zary, Poland.
    events = extract_text("On 1 May 2020, 9 soldiers were killed following attacks by Taliban "
                          "militants in Zari district center.")
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.country == "AF"
    # So is a province: "Al Krimiyah" is also a name of Crimea.
    events = extract_text("On 6 May 2020, shells fired by LNA forces killed four civilians in "
                          "Al Krimiyah.")
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.country == "LY"
    # A group attacked abroad says nothing of where: its attackers came to it.
    events = extract_text("Around 27 April 2020, French forces killed presumed ISGS militants "
                          "40km north of Gorom-Gorom.")
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.country == "BF"


def test_place_of_a_village_given_with_a_distant_town_is_that_town(extract_text):
    # A "Jalalpur" far from Shamli is a namesake: the district seat the writer added is
    # nearer the event.
    events = extract_text("On 9 May 2020, two farmers were killed in a clash in Jalalpur, "
                          "Shamli (UP) over a land dispute.")
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.name.startswith("Sh") and loc.admin1 == "Uttar Pradesh"


def test_place_of_a_town_far_outside_its_stated_province_is_the_province(events_with):
    # Only the province disagrees, but the town lies 700 km from it: a namesake, not a town
    # near the provincial border.
    events = events_with(
        "Gunmen killed a man in Pipri, Kaushambi (Uttar Pradesh) on Monday.",
        [("Pipri", "IN", "city", "Maharashtra", False, (20.79, 78.59)),
         ("Uttar Pradesh", "IN", "admin1", "Uttar Pradesh", False, (27.13, 80.86))])
    loc = _location(events, "ASSAULT")
    assert loc is not None and loc.name == "Uttar Pradesh"


def test_place_of_a_threat_to_a_named_event_is_where_the_text_put_it(extract_text):
    # "this competition" refers back to the named event the text set in Qatar; the threat is
    # merged with the fear of an attack in the sentence before, which names no place.
    events = extract_text(
        "With the World Cup in Qatar approaching, officials are on high alert. As the World "
        "Cup approaches, concerns about an attack have increased. Recently, ISIS has urged its "
        "fighters to target this competition.")
    threats = [e for e in events if e.modality in ("threatened", "planned")]
    assert threats and threats[0].location is not None and threats[0].location.country == "QA"


def test_merged_mentions_keep_what_each_acted_on():
    from eventlens.extract.candidates import Candidate, combine

    def mention(index: int, objects: tuple[str, ...]) -> Candidate:
        return Candidate(sent_index=index, trigger_index=index, trigger_start=index,
                         lemma="attack", type="ASSAULT", modes=(), modality="threatened",
                         sources=(), targets=(), participants=(), date=None, location=None,
                         location_from_text=False, object_lemmas=objects)
    # "concerns about an attack ... ISIS urged its fighters to target this competition"
    merged = combine(mention(1, ()), mention(2, ("competition",)))
    assert merged.object_lemmas == ("competition",) and merged.trigger_index == 1


def test_people_acted_upon_say_where_more_than_the_actor(extract_text):
    # No place of the sentence is known: the farmers' nationality sets it, not the forces'.
    events = extract_text("On Friday Israeli forces fired tear gas at Palestinian farmers in "
                          "their lands east of Khuzaa.", published="2024-06-13")
    assert events and all(e.location and e.location.country == "PS" for e in events)


def test_place_is_not_the_country_of_a_machine(extract_text):
    # "a Turkish drone operated by GNA": whose drone, not where it flew; the Libyan parties
    # say where. Forces keep their country as a last resort.
    events = extract_text("On 8 May 2020, LNA forces shot down a Turkish drone operated by GNA "
                          "near an airbase.")
    assert events and all(e.location is None or e.location.country == "LY" for e in events)
    assert any(e.location is not None for e in events)
    events = extract_text("On 8 May 2020, Turkish forces shelled a village.")
    assert any(e.location is not None and e.location.country == "TR" for e in events)
