"""ACLED event types of events the lexicon used to miss or misfile, on sentences written for
these tests: protests without a protest verb ("held a sit-in", "picketed", owners who gathered to
demand), patrols carried out, property destroyed, heavy machine guns, and soldiers abducted in
an attack.
"""

from __future__ import annotations

import pytest

from eventlens.models import Event


def _acled_types(events: list[Event]) -> set[tuple[str, str]]:
    return {(e.acled.event_type, e.acled.sub_event_type) for e in events
            if e.acled is not None and e.modality == "occurred"}


@pytest.mark.parametrize("text", [
    "Dozens of nurses held a sit-in outside the hospital in Lusaka on Monday.",
    "Teachers picketed outside the education ministry in Lusaka on Monday.",
    "More than 40 shop owners gathered outside the town hall in Lusaka on Monday to demand "
    "permission to reopen.",
])
def test_protest_without_a_protest_verb(extract_text, text):
    assert ("Protests", "Peaceful protest") in _acled_types(extract_text(text))


def test_patrol_carried_out_is_a_change_of_activity(extract_text):
    events = extract_text("Foreign troops conducted a patrol near the border town of Kasane on "
                          "Monday.")
    assert ("Strategic developments", "Change to group/activity") in _acled_types(events)


def test_ordered_patrol_is_not_a_patrol_carried_out(extract_text):
    events = extract_text("The governor ordered a patrol near the border town of Kasane on "
                          "Monday.")
    assert not [e for e in events if e.type == "MOBILIZE" and e.modality == "occurred"]


def test_uprooted_trees_are_property_destruction(extract_text):
    events = extract_text("Settlers uprooted 200 olive trees in the village of Kasane on Monday.")
    assert ("Strategic developments", "Looting/property destruction") in _acled_types(events)


def test_heavy_machine_guns_are_heavy_weapons(extract_text):
    events = extract_text("Rebels fired heavy machine guns at army positions near Kasane on "
                          "Monday.")
    assert ("Explosions/Remote violence", "Shelling/artillery/missile attack") in \
        _acled_types(events)


def test_soldiers_abducted_in_an_attack_are_a_battle(extract_text):
    events = extract_text("Gunmen killed a policeman and abducted two soldiers near Kasane on "
                          "Monday.")
    assert ("Battles", "Armed clash") in _acled_types(events)


def test_civilians_abducted_stay_an_abduction(extract_text):
    events = extract_text("Gunmen abducted two farmers near Kasane on Monday.")
    assert ("Violence against civilians", "Abduction/forced disappearance") in \
        _acled_types(events)


def test_patrol_that_took_place_is_a_change_of_activity(extract_text):
    events = extract_text("On Monday a foreign patrol took place near the border town of Kasane.")
    assert ("Strategic developments", "Change to group/activity") in _acled_types(events)


def test_off_duty_police_officer_shot_is_violence_against_civilians(extract_text):
    events = extract_text("Gunmen shot and wounded an off-duty police officer at his home in "
                          "Kasane on Monday.")
    assert ("Violence against civilians", "Attack") in _acled_types(events)


def test_police_officer_on_duty_shot_is_a_battle(extract_text):
    events = extract_text("Gunmen shot and wounded a police officer at a checkpoint in Kasane "
                          "on Monday.")
    assert ("Battles", "Armed clash") in _acled_types(events)


def test_heavy_calibre_machine_guns_are_heavy_weapons(extract_text):
    events = extract_text("Rebels fired 14.5mm machine guns at farms near Kasane on Monday.")
    assert ("Explosions/Remote violence", "Shelling/artillery/missile attack") in \
        _acled_types(events)


def test_sticks_and_stones_against_police_are_mob_violence(extract_text):
    events = extract_text("On Monday in Kasane, ten people were arrested after they attacked "
                          "police officers with sticks and stones.")
    assert ("Riots", "Mob violence") in _acled_types(events)


def test_attack_in_a_relative_clause_under_an_arrest_is_its_own_event(extract_text):
    events = extract_text("Police arrested two men who attacked a farmer with machetes in Kasane "
                          "on Monday.")
    assert {e.type for e in events if e.modality == "occurred"} >= {"COERCE", "ASSAULT"}


@pytest.mark.parametrize("text", [
    "On Monday a man was found dead near Kasane. The body was wrapped in a blanket.",
    "On Monday two human heads were found near Kasane along with a threatening message.",
    # No place the gazetteer knows and no named perpetrator: still a killing.
    "On Monday a female body was found in Mojolo. The body was burned.",
    "On Monday the body of a man with signs of violence was found near Kasane.",
    # A dead person, remains in bags, a severed head, a person with the marks of violence.
    "On Monday a dead man was thrown from a car near Kasane. His legs were tied.",
    "On Monday, in Kasane, Chobe, two bags that contained human remains were found.",
    "On Monday a human head was found near the market of Kasane.",
    "On Monday a man was found on the road near Kasane. The body was burned.",
    # The subject the parser hangs on the fronted place list ("Chobe, a dead body").
    "On 3 June 2024, in Mineral Chico municipality, Hidalgo, a dead body with signs of "
    "violence was found floating in a river.",
])
def test_body_found_with_signs_of_murder_is_an_attack(extract_text, text):
    assert ("Violence against civilians", "Attack") in _acled_types(extract_text(text))


@pytest.mark.parametrize("text", [
    "On Monday police found a man with a gun in his car in Kasane.",
    "On Monday a missing girl was found safe in a park in Kasane.",
    "On Monday a dead whale was found on a beach near Kasane.",
])
def test_person_found_without_marks_of_violence_is_no_attack(extract_text, text):
    assert ("Violence against civilians", "Attack") not in _acled_types(extract_text(text))


def test_operation_that_left_militants_dead_is_a_battle(extract_text):
    events = extract_text("On Monday an army operation near Kasane left three militants dead.")
    assert ("Battles", "Armed clash") in _acled_types(events)
    # The adjective after the object, as the model parses "leaving 2 militants dead".
    events = extract_text("On Monday the army carried out an operation near Kasane, leaving "
                          "2 IS militants dead.")
    assert any(e.type == "ASSAULT" for e in events), [(e.type, e.modality) for e in events]


def test_crowd_voicing_a_demand_is_a_protest(extract_text):
    events = extract_text("On Monday hundreds of workers in Kasane demanded the payment of "
                          "their wages.")
    assert ("Protests", "Peaceful protest") in _acled_types(events)


def test_crowd_demand_after_a_fronted_place_list_is_a_protest(extract_text):
    # The model reads "a group of drivers" as one more apposition of "Celaya, Guanajuato".
    events = extract_text("On 2 June 2024, in Celaya, Guanajuato, a group of drivers demanded "
                          "guarantees to respect their rights.")
    assert ("Protests", "Peaceful protest") in _acled_types(events)


def test_official_demand_is_no_protest(extract_text):
    events = extract_text("On Monday the minister demanded an inquiry into the crash in Kasane.")
    assert not _acled_types(events)


def test_demand_at_a_reported_protest_is_not_a_second_protest(extract_text):
    events = extract_text("On Monday demonstrators took to the streets of Kasane, demanding "
                          "the governor resign.")
    assert [e.type for e in events if e.acled is not None] == ["PROTEST"]


def test_two_communities_clashing_with_sticks_is_mob_violence(extract_text):
    events = extract_text("On Monday two communities clashed with sticks and stones over a "
                          "water point in Kasane. Four people were injured.")
    assert ("Riots", "Mob violence") in _acled_types(events)


def test_clash_between_armed_forces_without_weapons_named_stays_a_battle(extract_text):
    events = extract_text("On Monday the army clashed with rebels near Kasane.")
    assert ("Battles", "Armed clash") in _acled_types(events)


def test_men_who_shoot_are_not_a_mob(extract_text):
    events = extract_text("On Monday four men opened fire on a shop in Kasane, wounding the "
                          "owner.")
    assert ("Violence against civilians", "Attack") in _acled_types(events)


def test_tear_gas_shells_are_not_heavy_weapons(extract_text):
    events = extract_text("On Monday residents pelted stones at police, who lobbed tear gas "
                          "shells at them, in Kasane.")
    types = _acled_types(events)
    assert ("Riots", "Mob violence") in types
    assert not any(sub == "Shelling/artillery/missile attack" for _, sub in types)


def test_molotov_cocktails_are_incendiaries_not_explosives(extract_text):
    events = extract_text("On Monday a group of people threw molotov cocktails at a parking lot "
                          "in Kasane.")
    assert not any(t == "Explosions/Remote violence" for t, _ in _acled_types(events))


def test_hand_grenade_is_acled_grenade(extract_text):
    events = extract_text("On Monday attackers threw a hand grenade at a house in Kasane, "
                          "injuring two people.")
    assert ("Explosions/Remote violence", "Grenade") in _acled_types(events)


@pytest.mark.parametrize("text", [
    "On Monday police unearthed and defused three IEDs near Kasane.",
    "On Monday soldiers uncovered a weapons cache near Kasane.",
    "On Monday government forces shot down a rebel drone near Kasane.",
    "On Monday air defences intercepted a ballistic missile over Kasane.",
])
def test_weapons_stopped_before_use_are_disrupted_weapons_use(extract_text, text):
    assert ("Strategic developments", "Disrupted weapons use") in _acled_types(extract_text(text))


def test_shot_down_a_person_is_not_disrupted_weapons_use(extract_text):
    events = extract_text("On Monday gunmen shot down a policeman in Kasane.")
    assert not any(sub == "Disrupted weapons use" for _, sub in _acled_types(events))


@pytest.mark.parametrize("text", [
    "Government troops captured three rebels near the border town of Kasane on Monday.",
    "The army recaptured the town of Kasane on Monday.",
    "Rebels seized control of the town of Kasane on Monday.",
])
def test_capturing_fighters_or_ground_is_a_battle(extract_text, text):
    assert ("Battles", "Armed clash") in _acled_types(extract_text(text))


def test_counted_projectiles_are_shelling(extract_text):
    events = extract_text("Monitors recorded 26 projectiles near the village of Kasane on Monday.")
    assert ("Explosions/Remote violence", "Shelling/artillery/missile attack") in \
        _acled_types(events)


def test_set_alight_is_read_with_its_dative_particle(extract_text):
    events = extract_text("About 200 residents set alight a bar in Kasane on Monday.")
    assert any(e.type == "ASSAULT" and "destroy" in e.mode for e in events)


def test_defection_is_a_change_of_activity(extract_text):
    events = extract_text("A police battalion defected to the rebels in Kasane on Monday.")
    assert ("Strategic developments", "Change to group/activity") in _acled_types(events)


def test_transitive_disappear_is_an_abduction(extract_text):
    events = extract_text("Soldiers forcibly disappeared a street vendor in Kasane on Monday.")
    assert ("Violence against civilians", "Abduction/forced disappearance") in \
        _acled_types(events)


def test_an_intransitive_disappearance_is_no_event(extract_text):
    assert not [e for e in extract_text("The vendor disappeared in Kasane on Monday.")
                if e.type == "ASSAULT"]


def test_joining_the_ranks_of_an_armed_group_is_a_change_to_the_group(extract_text):
    events = extract_text("Twenty policemen joined the ranks of the rebels in Kasane on Monday.")
    assert ("Strategic developments", "Change to group/activity") in _acled_types(events)


def test_small_arms_fired_at_positions_in_a_weapons_list_is_a_clash(extract_text):
    # The parser reads "grenade" as a verb conjoined to "fired" and hangs "at ..." on it.
    events = extract_text("On Monday, the separatist forces fired heavy machine guns, grenade "
                          "launchers and small arms at the government positions near Kasane.")
    assert ("Battles", "Armed clash") in _acled_types(events)


def test_reimposed_restrictions_are_coercion(extract_text):
    events = extract_text("The army reimposed a curfew in the town of Kasane on Friday.")
    assert any(e.type == "COERCE" and e.modality == "occurred" for e in events)
