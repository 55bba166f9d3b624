"""The intermediate record of one event mention before merging and finishing."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional

from ..models import DateSpan, Location
from .roles import Party

__all__ = ["Candidate", "combine"]

_PRECISION_RANK = {"point": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4, "region": 5}
_DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
_MODALITY_RANK = {"occurred": 0, "denied": 1, "alleged": 2, "planned": 3, "threatened": 4,
                  "hypothetical": 5}


@dataclass(frozen=True)
class Candidate:
    """One event as read from one trigger (and later, merged from several)."""

    sent_index: int
    trigger_index: int
    trigger_start: int
    lemma: str
    type: str
    modes: tuple[str, ...]
    modality: str
    sources: tuple[Party, ...]
    targets: tuple[Party, ...]
    participants: tuple[Party, ...]
    date: Optional[DateSpan]
    location: Optional[Location]
    location_from_text: bool
    killed: Optional[int] = None
    injured: Optional[int] = None
    arrested: Optional[int] = None
    claimed_by: tuple[str, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()
    anaphoric: bool = False
    weight: float = 0.6
    extra_lemmas: tuple[str, ...] = field(default=())
    object_lemmas: tuple[str, ...] = ()
    two_sided: bool = False
    fresh: bool = False  # "another attack", "a second blast": announces a new incident
    riot_cue: bool = False  # a protest whose sentence tells of stones, fire or a clash
    explicit_threat: bool = False  # "threatened to", "vowed to", "... unless"
    own_time: bool = False  # "a day after ...": the narrative's date is not this event's

    @property
    def names(self) -> set[str]:
        """Canonical names of the non-generic actors in any role."""
        return {p.actor.name for p in (*self.sources, *self.targets, *self.participants)
                if not p.generic}


def _union_parties(a: tuple[Party, ...], b: tuple[Party, ...]) -> tuple[Party, ...]:
    out = list(a)
    for p in b:
        if all(q.actor.name != p.actor.name for q in out):
            out.append(p)
    return tuple(out)


def _max(a: Optional[int], b: Optional[int]) -> Optional[int]:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _better_location(a: Optional[Location], a_text: bool, b: Optional[Location],
                     b_text: bool) -> tuple[Optional[Location], bool]:
    if a is None:
        return b, b_text
    if b is None:
        return a, a_text
    if a_text != b_text:
        return (a, a_text) if a_text else (b, b_text)
    if _PRECISION_RANK.get(b.precision, 9) < _PRECISION_RANK.get(a.precision, 9):
        return b, b_text
    return a, a_text


def combine(first: Candidate, other: Candidate) -> Candidate:
    """Merge two mentions of one event; ``first`` is the earlier, primary one.

    first (Candidate): the earlier mention (its id and trigger are kept).
    other (Candidate): the later mention.
    RETURNS (Candidate): counts take the highest figure reported for the incident, the date and
        place the most precise one, modes, actors and the things acted on the union, modality
        the firmest.
    """
    date = first.date
    if other.date is not None and (
        date is None or _DATE_RANK[other.date.precision] < _DATE_RANK[date.precision]
    ):
        date = other.date
    location, from_text = _better_location(first.location, first.location_from_text,
                                           other.location, other.location_from_text)
    modality = min(first.modality, other.modality, key=lambda m: _MODALITY_RANK[m])
    return replace(
        first,
        modes=tuple(dict.fromkeys(first.modes + other.modes)),
        modality=modality,
        sources=_union_parties(first.sources, other.sources),
        targets=_union_parties(first.targets, other.targets),
        participants=_union_parties(first.participants, other.participants),
        date=date,
        location=location,
        location_from_text=from_text,
        killed=_max(first.killed, other.killed),
        injured=_max(first.injured, other.injured),
        arrested=_max(first.arrested, other.arrested),
        claimed_by=tuple(dict.fromkeys(first.claimed_by + other.claimed_by)),
        sentences=tuple(sorted(set(first.sentences + other.sentences))),
        weight=max(first.weight, other.weight),
        extra_lemmas=tuple(dict.fromkeys(first.extra_lemmas + (other.lemma,))),
        object_lemmas=tuple(dict.fromkeys(first.object_lemmas + other.object_lemmas)),
        two_sided=first.two_sided or other.two_sided,
        riot_cue=first.riot_cue or other.riot_cue,
        explicit_threat=first.explicit_threat or other.explicit_threat,
        own_time=first.own_time and other.own_time,
    )
