"""What a document's events say about each other, for their ACLED categories.

ACLED types a protest by what happened around it: protesters who threw stones or torched a
police station make it a riot; police who dispersed, arrested or fired on them make it a protest
with intervention (excessive force when they killed). A crowd's violence is a riot, and a
villager who joins a demonstration is a protester. These facts come from several events of one
document, so they are gathered here once, after merging.
"""

from __future__ import annotations

from dataclasses import dataclass

from .candidates import Candidate
from .roles import Party

__all__ = ["DocSetting", "read_setting", "is_crowd_party"]

STATE_FORCES = frozenset({"police", "military", "state", "government"})
CROWD_ID = "generic:protesters"
_VIOLENT_CROWD_MODES = frozenset({"riot", "vandalize", "destroy"})
_RIOTER_WORDS = ("rioter", "mob")


@dataclass(frozen=True, slots=True)
class DocSetting:
    """Document-level facts about protests (see the module docstring)."""

    protest: bool = False
    crowd_violence: bool = False
    intervention: bool = False
    lethal_force: bool = False


def is_crowd_party(party: Party, protest: bool) -> bool:
    """Whether a party is a crowd: protesters or rioters, or, in a document that reports a
    protest, unnamed civilians ("local people", "residents").

    party (Party): a source or participant.
    protest (bool): the document reports a protest.
    RETURNS (bool): True for a crowd.
    """
    if party.actor.id == CROWD_ID:
        return True
    return protest and party.generic and party.actor.kind in ("civilians", "other")


def _crowd_violence(c: Candidate) -> bool:
    """Violence by the protesters: their own attack, a riot cue in the protest's sentence
    ("blocked the road with burning tyres", "threw stones"), a clash with the police, or a crowd
    the text calls rioters."""
    if any((p.text or "").lower().startswith(_RIOTER_WORDS) for p in (*c.sources, *c.participants)):
        return True
    if c.type == "PROTEST":
        return bool(_VIOLENT_CROWD_MODES & set(c.modes)) or c.riot_cue
    if c.type != "ASSAULT":
        return False
    # The protesters' own attack, or a clash between them and the police.
    crowd = any(is_crowd_party(p, True) for p in (*c.sources, *c.participants))
    if crowd or not c.two_sided:
        return crowd
    forces_sides = _forces(c) + any(p.actor.kind in STATE_FORCES for p in c.targets)
    return forces_sides == 1


def _forces(c: Candidate) -> bool:
    return any(p.actor.kind in STATE_FORCES for p in c.sources)


def _same_days(a: Candidate, b: Candidate) -> bool:
    da, db = a.date, b.date
    if not (da and db and da.start and da.end and db.start and db.end):
        return True
    return not (da.start > db.end or db.start > da.end)


def read_setting(cands: list[Candidate], about: Candidate) -> DocSetting:
    """Gather the protest facts around one event from the document's merged candidates.

    cands (list[Candidate]): the document's candidates after merging.
    about (Candidate): the event the setting is for; events on other days ("riots last week")
        do not count.
    RETURNS (DocSetting): whether it reports a protest, whether the crowd turned violent, and
        whether (and how lethally) state forces intervened.
    """
    happened = [c for c in cands if c.modality == "occurred" and _same_days(c, about)]
    protest = any(c.type == "PROTEST" for c in happened)
    if not protest:
        return DocSetting()
    crowd_violence = any(_crowd_violence(c) for c in happened)
    intervention = any(
        (c.type == "COERCE" and _forces(c)) or (c.type == "ASSAULT" and (
            "crowd-control" in c.modes or (_forces(c) and not c.two_sided)))
        for c in happened)
    lethal = any(c.type == "ASSAULT" and _forces(c) and (c.killed or 0) > 0
                 and not any(p.actor.kind in STATE_FORCES for p in c.targets)
                 for c in happened)
    return DocSetting(protest=True, crowd_violence=crowd_violence,
                      intervention=intervention or lethal, lethal_force=lethal)
