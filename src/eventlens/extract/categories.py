"""Map a PLOVER event (type, modes, actors) to ACLED and GTD categories, in their own words.

ACLED (codebook 2023): Battles / Explosions/Remote violence / Violence against civilians /
Protests / Riots / Strategic developments, each with its sub-event types. GTD (codebook):
Assassination, Armed Assault, Bombing/Explosion, Hijacking, Hostage Taking (Kidnapping),
Facility/Infrastructure Attack, Unarmed Assault. Only events that happened get a GTD attack type.
"""

from __future__ import annotations

from typing import Iterable, Optional

from ..models import AcledCategory, ActorRef, GtdCategory

__all__ = ["acled_category", "gtd_category"]

ARMED_KINDS = frozenset({"group", "military", "police", "state", "government"})
_EXPLOSION_SUBTYPES = (
    ("unconventional", "Chemical weapon"),
    ("suicide-attack", "Suicide bomb"),
    ("drone", "Air/drone strike"),
    ("aerial", "Air/drone strike"),
    ("heavy-weapons", "Shelling/artillery/missile attack"),
    ("grenade", "Grenade"),
    ("explosives", "Remote explosive/landmine/IED"),
)


def _kinds(actors: Iterable[ActorRef], role: str) -> set[str]:
    return {a.kind for a in actors if a.role == role}


def acled_category(etype: str, modes: list[str], actors: list[ActorRef],
                   modality: str) -> Optional[AcledCategory]:
    """Return the ACLED event type and sub-event type an event maps to.

    etype (str): PLOVER type.
    modes (list[str]): PLOVER modes.
    actors (list[ActorRef]): the event's actors (kinds decide battles vs. one-sided violence).
    modality (str): only events that occurred are violent events; a foiled plot is a strategic
        development ("Disrupted weapons use"), a threat has no ACLED category.
    RETURNS (AcledCategory | None): the category, or None where none fits.
    """
    if etype == "ASSAULT":
        if modality in ("planned",) and "explosives" in modes:
            return AcledCategory(event_type="Strategic developments",
                                 sub_event_type="Disrupted weapons use")
        if modality != "occurred":
            return None
        for mode, sub in _EXPLOSION_SUBTYPES:
            if mode in modes:
                return AcledCategory(event_type="Explosions/Remote violence", sub_event_type=sub)
        if "sexual" in modes:
            return AcledCategory(event_type="Violence against civilians",
                                 sub_event_type="Sexual violence")
        if "abduct" in modes:
            return AcledCategory(event_type="Violence against civilians",
                                 sub_event_type="Abduction/forced disappearance")
        sources, targets = _kinds(actors, "source"), _kinds(actors, "target")
        participants = _kinds(actors, "participant")
        armed_sources = [a for a in actors if a.role == "source" and a.kind in ARMED_KINDS]
        armed_both = (sources & ARMED_KINDS and targets & ARMED_KINDS) or (
            len(participants & ARMED_KINDS) >= 1 and not targets) or (
            len(armed_sources) >= 2 and not targets)
        if armed_both and "civilians" not in targets and "person" not in targets:
            return AcledCategory(event_type="Battles", sub_event_type="Armed clash")
        return AcledCategory(event_type="Violence against civilians", sub_event_type="Attack")
    if modality != "occurred":
        return None
    if etype == "PROTEST":
        if "riot" in modes:
            return AcledCategory(event_type="Riots", sub_event_type="Violent demonstration")
        return AcledCategory(event_type="Protests", sub_event_type="Peaceful protest")
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
        return AcledCategory(event_type="Riots", sub_event_type="Mob violence")
    if etype in ("MOBILIZE", "RETREAT"):
        return AcledCategory(event_type="Strategic developments",
                             sub_event_type="Change to group/activity")
    return None


def gtd_category(etype: str, modes: list[str], modality: str) -> Optional[GtdCategory]:
    """Return the GTD attack type of an attack that happened, else None.

    etype (str): PLOVER type.
    modes (list[str]): PLOVER modes.
    modality (str): GTD records attacks, including failed ones, but not plots or threats.
    RETURNS (GtdCategory | None): the attack type.
    """
    if etype != "ASSAULT" or modality != "occurred":
        return None
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
