"""Within one document, fold mentions of the same incident into one event.

"ISIS-K claimed responsibility for an attack on Haqqani. Haqqani was killed in a suicide
bombing. This attack underscores ..." is one attack. Mentions merge when they have the same type
and one of: the later one is anaphoric ("this attack", "the summit") and close; they share a
named target or participant and are close; they happened at the same specific place (city or
finer) with compatible dates; or the later one, close behind, adds no place, date or named
actor of its own and does not announce "another" attack ("Two soldiers were killed."). They
never merge across different countries or different dates, nor a threatened, planned or
hypothetical attack with one that happened.
"""

from __future__ import annotations

from typing import Optional

from .candidates import Candidate, combine

__all__ = ["merge_candidates"]

_NEAR = 3  # sentences
_CONTINUE = 2  # sentences: how far a bare follow-up mention reaches back


_UNREAL = frozenset({"planned", "threatened", "hypothetical"})


def _compatible(a: Candidate, b: Candidate) -> bool:
    if a.type != b.type:
        return False
    if (a.modality in _UNREAL) != (b.modality in _UNREAL):
        return False  # "vowed more attacks, a day after it stormed the school": two events
    if a.location and b.location and a.location.country != b.location.country:
        if a.location_from_text and b.location_from_text:
            return False
    da, db = a.date, b.date
    if da and db and da.start and db.start and da.end and db.end and (
            da.start > db.end or db.start > da.end):
        return False
    state_sources = {p.actor.name for p in a.sources if p.actor.kind == "state"}
    other_states = {p.actor.name for p in b.sources if p.actor.kind == "state"}
    if state_sources and other_states and not state_sources & other_states:
        return False
    return True


def _same_place(a: Candidate, b: Candidate) -> bool:
    la, lb = a.location, b.location
    if not (la and lb and a.location_from_text and b.location_from_text):
        return False
    if la.precision in ("country", "region", "admin1") or lb.precision in ("country", "region",
                                                                          "admin1"):
        return False
    return la.name == lb.name and la.country == lb.country


def _match(prev: Candidate, cand: Candidate) -> Optional[int]:
    """Return a score (lower is better) when ``cand`` is a mention of ``prev``'s event."""
    if not _compatible(prev, cand):
        return None
    distance = cand.sent_index - prev.sent_index
    if distance == 0 and prev.trigger_index != cand.trigger_index:
        # "An airstrike hit a market, killing 9": one sentence, one incident of a type, unless
        # the places or the acting states differ (checked by _compatible).
        return 0
    if cand.anaphoric and distance <= _NEAR:
        same_word = prev.lemma == cand.lemma or cand.lemma in prev.extra_lemmas
        return distance + (0 if same_word else 2)
    # A shared victim identifies an incident; a shared group or state does not (many arrests
    # target ISIS members).
    shared = {p.actor.name for p in (*prev.targets, *prev.participants)
              if not p.generic and p.actor.kind == "person"} & cand.names
    if shared and distance <= _NEAR and distance > 0:
        return distance + 1
    if _same_place(prev, cand):
        return distance + 3
    if _continues(prev, cand, distance):
        return distance + 4
    return None


def _continues(prev: Candidate, cand: Candidate, distance: int) -> bool:
    """A later mention that adds nothing of its own continues the story of the earlier one:
    "Gunmen attacked a convoy near Gao. Two soldiers were killed." It names no other place, no
    date, no other named actor, and does not say "another" or "a second" attack."""
    if not 0 < distance <= _CONTINUE or cand.fresh:
        return False
    if cand.date is not None or (cand.location_from_text and not (
            prev.location_from_text and prev.location and cand.location
            and prev.location.name == cand.location.name)):
        return False
    named = {p.actor.name for p in cand.sources if not p.generic}
    return not named or bool(named & prev.names)


def merge_candidates(cands: list[Candidate]) -> list[Candidate]:
    """Merge mentions of the same incident, keeping document order.

    cands (list[Candidate]): candidates in document order.
    RETURNS (list[Candidate]): merged events; an anaphoric mention with nothing to refer to is
        dropped ("this attack" after no attack adds no event of its own).
    """
    merged: list[Candidate] = []
    for cand in cands:
        best: Optional[tuple[int, int]] = None
        for i, prev in enumerate(merged):
            score = _match(prev, cand)
            if score is not None and (best is None or score < best[0]):
                best = (score, i)
        if best is not None:
            merged[best[1]] = combine(merged[best[1]], cand)
        elif not (cand.anaphoric and cand.lemma and not cand.sources and not cand.targets
                  and cand.location is None and cand.date is None):
            merged.append(cand)
    return merged
