"""PLOVER's rules for intentions: a promised act is coded by what it promises.

The PLOVER manual codes cooperative acts reported in the future tense ("will send aid", "offered
to mediate") as AGREE, announcements of future retreats ("will withdraw its troops") as CONCEDE,
and threats ("threatened to impose sanctions", "vowed to attack", "will withdraw its troops
unless ...") as THREATEN, as are announced coercion, sanctions and protest ("will extend the
curfew", "said they would boycott"). The extractor reads the act and its modality first; this module turns the pair into
the PLOVER type.
"""

from __future__ import annotations

__all__ = ["plover_type"]

# Verbal and material cooperation whose future form is an agreement (PLOVER "AGREE").
_COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})
# Conflictual acts whose threat is a THREATEN event, with the THREATEN mode each gives.
_THREAT_MODES = {"ASSAULT": "violence", "COERCE": "coerce", "SANCTION": "sanction",
                 "MOBILIZE": "mobilize", "PROTEST": "protest"}
# Coercion, sanctions and protest announced for the future are threats ("will extend the
# curfew", "is prepared to impose martial law", "said they would boycott"); a planned attack
# stays a planned attack (a plot).
_ANNOUNCED_THREATS = frozenset({"COERCE", "SANCTION", "PROTEST"})


def plover_type(etype: str, modality: str, modes: list[str],
                explicit_threat: bool = False) -> tuple[str, list[str]]:
    """The PLOVER type (and modes) of an act read with its modality.

    etype (str): the type of the act itself ("AID" for "will send aid").
    modality (str): "occurred", "planned", "threatened", ...
    modes (list[str]): the act's modes.
    explicit_threat (bool): the text holds the act over someone ("threatened to", "vowed to",
        "unless"), rather than urging or ordering it: then any act is threatened, not only a
        conflictual one.
    RETURNS (tuple[str, list[str]]): AGREE for planned cooperation, CONCEDE for a planned
        retreat, THREATEN (mode "violence", "coerce", ...) for a threatened conflictual act, any
        explicitly threatened act, and announced coercion, sanctions or protest; otherwise the
        type and modes unchanged.
    """
    if modality == "planned" and etype in _COOPERATIVE:
        return "AGREE", list(modes)
    if modality == "planned" and etype == "RETREAT":
        return "CONCEDE", list(modes)
    if (modality == "threatened" and (etype in _THREAT_MODES or explicit_threat)) or (
            modality == "planned" and etype in _ANNOUNCED_THREATS):
        mode = _THREAT_MODES.get(etype)
        return "THREATEN", [mode, *modes] if mode else list(modes)
    return etype, list(modes)
