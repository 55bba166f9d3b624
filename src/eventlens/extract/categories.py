"""Map a PLOVER event (type, modes, actors) to ACLED and GTD categories, in their own words.

ACLED (codebook 2023): Battles / Explosions/Remote violence / Violence against civilians /
Protests / Riots / Strategic developments, each with its sub-event types. GTD (codebook):
Assassination, Armed Assault, Bombing/Explosion, Hijacking, Hostage Taking (Kidnapping),
Facility/Infrastructure Attack, Unarmed Assault. Only events that happened get a GTD attack type.
Once the category is known, ACLED's conventions also fill in actors: the unnamed perpetrator of
violence against civilians (an unidentified armed group) and the crowd that civilians form when
they riot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from ..models import AcledCategory, Actor, ActorRef, GtdCategory

__all__ = ["AcledSetting", "acled_category", "gtd_category", "is_crowd", "with_implied_perpetrator",
           "with_rioters"]

ARMED_KINDS = frozenset({"group", "military", "police", "state", "government"})
# Kinds that carry arms themselves (a mayor or a ministry is a government target, not a side).
FIGHTING_KINDS = frozenset({"group", "military", "police"})
_EXPLOSION_SUBTYPES = (
    ("unconventional", "Chemical weapon"),
    ("suicide-attack", "Suicide bomb"),
    ("drone", "Air/drone strike"),
    ("aerial", "Air/drone strike"),
    ("heavy-weapons", "Shelling/artillery/missile attack"),
    ("grenade", "Grenade"),
    ("explosives", "Remote explosive/landmine/IED"),
)


CROWD_IDS = frozenset({"generic:protesters"})
# Verbal acts that a crowd performs by protesting.
_VOICED = frozenset({"DEMAND", "REQUEST", "DISAPPROVE", "ACCUSE", "REJECT"})
# Modes that need an armed group's weapons.
_WEAPON_MODES = frozenset({"firearms", "explosives", "heavy-weapons", "grenade", "aerial", "drone",
                           "suicide-attack", "unconventional"})


@dataclass(frozen=True, slots=True)
class AcledSetting:
    """What the rest of the document says about an event, for the ACLED category.

    two_sided (bool): the words say both sides fought ("clashed", "exchanged fire").
    armed_target (bool): the attack hit a military object ("an army checkpoint", "a convoy").
    harmed (bool): someone was killed or injured.
    protest (bool): the document reports a protest (a crowd's violence is then a violent
        demonstration rather than mob violence).
    crowd_violence (bool): the protesters turned violent (a protest is then a riot).
    intervention (bool): police or troops broke up, arrested or fired on the protesters.
    lethal_force (bool): that intervention killed someone.
    off_duty (bool): the soldiers or police attacked were off duty (ACLED: civilians).
    """

    two_sided: bool = False
    armed_target: bool = False
    harmed: bool = False
    protest: bool = False
    crowd_violence: bool = False
    intervention: bool = False
    lethal_force: bool = False
    off_duty: bool = False


_NO_SETTING = AcledSetting()


def _kinds(actors: Iterable[ActorRef], role: str) -> set[str]:
    return {a.kind for a in actors if a.role == role}


def is_crowd(actor: ActorRef) -> bool:
    """Whether an actor is a crowd: protesters, rioters, a mob.

    actor (ActorRef): an event's actor.
    RETURNS (bool): True for the generic protesters actor.
    """
    return (actor.id or "") in CROWD_IDS


_GROUP_WORDS = ("people", "men", "women", "youth", "children")


def _unnamed_civilians(actor: ActorRef) -> bool:
    """Several unnamed civilians ("villagers", "locals"); one man is a perpetrator, not a mob."""
    text = (actor.text or "").lower()
    return actor.kind == "civilians" and (actor.id or "").startswith("generic:") and (
        text.endswith("s") or text.endswith(_GROUP_WORDS))


def _assault_category(modes: list[str], actors: list[ActorRef],
                      setting: AcledSetting) -> AcledCategory:
    """Battles, remote violence, riots or violence against civilians, for an attack that
    happened."""
    sources, targets = _kinds(actors, "source"), _kinds(actors, "target")
    participants = _kinds(actors, "participant")
    if setting.off_duty and targets & FIGHTING_KINDS:
        # "shot dead an off-duty policeman at his home": not a fight with an armed side.
        targets = (targets - FIGHTING_KINDS) | {"civilians"}
    civilian_targets = bool(targets & {"civilians", "person"})
    armed_target = bool(targets & ARMED_KINDS) or setting.armed_target
    armed = bool(_WEAPON_MODES & set(modes))
    # Men who shoot or throw bombs are armed assailants, not an unorganised crowd.
    if any(is_crowd(a) or (_unnamed_civilians(a) and not armed) for a in actors
           if a.role in ("source", "participant")):
        # Violence by a crowd or by unorganised civilians ("villagers pelted the police with
        # stones", "locals clashed with traders") is rioting, not a battle.
        sub = "Violent demonstration" if setting.protest else "Mob violence"
        return AcledCategory(event_type="Riots", sub_event_type=sub)
    if "primitive" in modes and targets & {"police", "military"} and \
            not (sources | participants) & ARMED_KINDS and not _WEAPON_MODES & set(modes):
        # Stones and sticks against the police, thrown by no armed group ("they attacked
        # police officers with sticks and stones"): a crowd's violence, not a battle.
        sub = "Violent demonstration" if setting.protest else "Mob violence"
        return AcledCategory(event_type="Riots", sub_event_type=sub)
    if setting.protest and "crowd-control" in modes:
        # Tear gas or water cannon at a protest: ACLED records the protest, with intervention.
        return _protest_category([], setting)
    only_civilians = bool(targets) and targets <= {"civilians", "person"}
    armed_side = bool((sources | participants) & ARMED_KINDS)
    if setting.two_sided and not armed_side and not (targets & ARMED_KINDS) and \
            civilian_targets:
        # "Two village groups clashed ... twelve people were injured": a fight between
        # unorganised civilians is mob violence.
        return AcledCategory(event_type="Riots", sub_event_type="Mob violence")
    sides = sources | targets | participants
    if setting.two_sided and not armed and not armed_target and "group" not in sides and (
            "civilians" in sides or "primitive" in modes):
        # "Two communities clashed with sticks", "shopkeepers clashed with the police": no
        # armed group and no guns, and civilians or their sticks and stones on one side: a
        # brawl of unorganised people (or of people with the police) is a riot.
        sub = "Violent demonstration" if setting.protest else "Mob violence"
        return AcledCategory(event_type="Riots", sub_event_type=sub)
    if setting.two_sided and (armed_side or not only_civilians) and \
            not {"sexual", "abduct"} & set(modes):
        # "Militias clashed over land; four people were killed": the dead of a fight between
        # armed sides do not make it one-sided violence.
        return AcledCategory(event_type="Battles", sub_event_type="Armed clash")
    if "firearms" in modes and armed_target and not civilian_targets and \
            not {"suicide-attack", "aerial", "drone", "unconventional"} & set(modes):
        # Small-arms fire at troops means the sides were in contact: a clash, even when heavier
        # weapons were fired too.
        return AcledCategory(event_type="Battles", sub_event_type="Armed clash")
    for mode, sub in _EXPLOSION_SUBTYPES:
        if mode in modes:
            return AcledCategory(event_type="Explosions/Remote violence", sub_event_type=sub)
    if "sexual" in modes:
        return AcledCategory(event_type="Violence against civilians",
                             sub_event_type="Sexual violence")
    if "abduct" in modes and not targets & FIGHTING_KINDS:
        # Soldiers or police taken in an attack ("killed a policeman and abducted two
        # guards") were taken in fighting: ACLED's abduction is violence against civilians.
        return AcledCategory(event_type="Violence against civilians",
                             sub_event_type="Abduction/forced disappearance")
    if "destroy" in modes and not setting.harmed and not civilian_targets and not armed_target:
        # Houses razed, vehicles torched, crops burnt, and no one hurt: ACLED's property
        # destruction, a strategic development.
        return AcledCategory(event_type="Strategic developments",
                             sub_event_type="Looting/property destruction")
    armed_sources = [a for a in actors if a.role == "source" and a.kind in ARMED_KINDS]
    # An attack on soldiers, police or an armed group is a battle even when the text does not
    # say who attacked ("three soldiers were killed in an ambush").
    armed_both = armed_target or (
        len(participants & ARMED_KINDS) >= 1 and not targets) or (
        len(armed_sources) >= 2 and not targets)
    if targets & FIGHTING_KINDS or (armed_both and not civilian_targets):
        # Attacking soldiers, police or fighters is fighting an armed side, even when civilians
        # die too ("killed a policeman and two passers-by").
        return AcledCategory(event_type="Battles", sub_event_type="Armed clash")
    return AcledCategory(event_type="Violence against civilians", sub_event_type="Attack")


def _protest_category(modes: list[str], setting: AcledSetting) -> AcledCategory:
    if "riot" in modes or setting.crowd_violence:
        return AcledCategory(event_type="Riots", sub_event_type="Violent demonstration")
    if setting.lethal_force:
        return AcledCategory(event_type="Protests",
                             sub_event_type="Excessive force against protesters")
    if setting.intervention:
        return AcledCategory(event_type="Protests", sub_event_type="Protest with intervention")
    return AcledCategory(event_type="Protests", sub_event_type="Peaceful protest")


def acled_category(etype: str, modes: list[str], actors: list[ActorRef], modality: str,
                   setting: AcledSetting = _NO_SETTING) -> Optional[AcledCategory]:
    """Return the ACLED event type and sub-event type an event maps to.

    etype (str): PLOVER type.
    modes (list[str]): PLOVER modes.
    actors (list[ActorRef]): the event's actors (kinds decide battles vs. one-sided violence;
        a crowd's violence is a riot).
    modality (str): only events that occurred are violent events; a foiled plot is a strategic
        development ("Disrupted weapons use"), a threat has no ACLED category.
    setting (AcledSetting): what the rest of the document says (two-sided fighting, a protest
        that turned violent or was broken up).
    RETURNS (AcledCategory | None): the category, or None where none fits.
    """
    if "disrupt" in modes and modality == "occurred" and etype in ("ASSAULT", "COERCE"):
        # "defused two IEDs", "shot down a drone": weapons stopped before they were used.
        return AcledCategory(event_type="Strategic developments",
                             sub_event_type="Disrupted weapons use")
    if etype == "ASSAULT":
        if modality in ("planned",) and "explosives" in modes:
            return AcledCategory(event_type="Strategic developments",
                                 sub_event_type="Disrupted weapons use")
        if modality != "occurred":
            return None
        return _assault_category(modes, actors, setting)
    if modality != "occurred":
        return None
    if etype == "PROTEST":
        return _protest_category(modes, setting)
    if etype in _VOICED and not setting.protest and any(
            is_crowd(a) or _unnamed_civilians(a) for a in actors
            if a.role in ("source", "participant")):
        # "Hundreds of workers demanded their unpaid wages", "protesters denounced the
        # decision": a crowd that voices a demand or a grievance is protesting (where the
        # document reports the protest itself, that event carries it).
        return _protest_category(modes, setting)
    if etype == "COERCE":
        if "arrest" in modes:
            return AcledCategory(event_type="Strategic developments", sub_event_type="Arrests")
        if "seize" in modes:
            return AcledCategory(event_type="Strategic developments",
                                 sub_event_type="Looting/property destruction")
        return AcledCategory(event_type="Strategic developments", sub_event_type="Other")
    if etype in ("AGREE", "CONCEDE"):
        return AcledCategory(event_type="Strategic developments", sub_event_type="Agreement")
    if etype == "CRIME" and "loot" in modes:
        if any(is_crowd(a) for a in actors if a.role == "source"):
            return AcledCategory(event_type="Riots", sub_event_type="Mob violence")
        return AcledCategory(event_type="Strategic developments",
                             sub_event_type="Looting/property destruction")
    if etype in ("MOBILIZE", "RETREAT"):
        return AcledCategory(event_type="Strategic developments",
                             sub_event_type="Change to group/activity")
    return None


def with_implied_perpetrator(acled: Optional[AcledCategory], actors: list[ActorRef],
                             armed_group: Optional[Actor],
                             country: Optional[str]) -> list[ActorRef]:
    """Add the unnamed perpetrator of violence against civilians that the text leaves implicit.

    "A man was found shot dead", "two women were abducted": someone did it, and ACLED's convention
    codes an attacker the text does not name as an unidentified armed group. Other categories are
    left alone: unattributed shelling or a clash is mostly fought by state forces.
    acled (AcledCategory | None): the event's ACLED category.
    actors (list[ActorRef]): the event's actors.
    armed_group (Actor | None): the generic "unidentified armed group" actor of the KB.
    country (str | None): the event's country, which the unnamed attackers take.
    RETURNS (list[ActorRef]): ``actors``, plus the implied source where one applies.
    """
    if acled is None or acled.event_type != "Violence against civilians" or armed_group is None \
            or any(a.role in ("source", "participant") for a in actors):
        return actors
    implied = ActorRef(role="source", text=None, name=armed_group.name, id=armed_group.id,
                       kind=armed_group.kind, country=country, aliases=list(armed_group.aliases))
    return [implied, *actors]


def with_rioters(acled: Optional[AcledCategory], actors: list[ActorRef],
                 crowd: Optional[Actor]) -> list[ActorRef]:
    """Name the unorganised people who riot as the crowd they form.

    "Villagers pelted the police with stones": in a riot, the villagers act as rioters, and the
    event names them as the crowd actor (the text they were read from is kept).
    acled (AcledCategory | None): the event's ACLED category.
    actors (list[ActorRef]): the event's actors.
    crowd (Actor | None): the generic crowd (protesters, rioters) actor of the KB.
    RETURNS (list[ActorRef]): ``actors`` with rioting civilians replaced by the crowd.
    """
    if acled is None or acled.event_type != "Riots" or crowd is None:
        return actors
    return [a.model_copy(update={"name": crowd.name, "id": crowd.id, "kind": crowd.kind,
                                 "aliases": list(crowd.aliases)})
            if a.role in ("source", "participant") and _unnamed_civilians(a) else a
            for a in actors]


def gtd_category(etype: str, modes: list[str], modality: str) -> Optional[GtdCategory]:
    """Return the GTD attack type of an attack that happened, else None.

    etype (str): PLOVER type.
    modes (list[str]): PLOVER modes.
    modality (str): GTD records attacks, including failed ones, but not plots or threats.
    RETURNS (GtdCategory | None): the attack type.
    """
    if etype != "ASSAULT" or modality != "occurred" or "disrupt" in modes:
        return None  # a drone shot down or a missile intercepted is no attack by the shooter
    if "targeted" in modes:
        return GtdCategory(attack_type="Assassination")
    if {"explosives", "suicide-attack", "drone", "aerial", "heavy-weapons", "grenade"} & set(modes):
        return GtdCategory(attack_type="Bombing/Explosion")
    if "abduct" in modes:
        return GtdCategory(attack_type="Hostage Taking (Kidnapping)")
    if "destroy" in modes:
        return GtdCategory(attack_type="Facility/Infrastructure Attack")
    if "beat" in modes or "primitive" in modes and "firearms" not in modes:
        return GtdCategory(attack_type="Unarmed Assault" if "beat" in modes else "Armed Assault")
    return GtdCategory(attack_type="Armed Assault")
