"""Whether a trigger reports something that happened, was planned, threatened, alleged or denied.

The rule reads the words that govern the trigger in the dependency tree, nearest first: "a plan
to attack" is planned, "encouraged its forces to target" threatened, "on charges of planning
attacks" planned, "can organise attacks" hypothetical. Reporting verbs ("said", "reported") are
transparent: the modality of what was reported is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Token

from .lexicon import Cues

__all__ = ["ModalityReading", "own_clause", "read_modality", "reciprocal", "temporal_clause"]

REPORTING = frozenset(
    "say report tell state announce add confirm write quote note reveal indicate learn "
    "show according".split()
)
NEGATIONS = frozenset({"not", "never", "n't", "no"})
# "Reportedly" attributes a fact to the sources (news and event coders treat it as happened);
# these adverbs question it.
ALLEGING_ADVERBS = frozenset({"allegedly", "purportedly", "apparently", "supposedly"})
ALLEGING_ADJECTIVES = frozenset({"alleged", "suspected", "apparent", "possible", "attempted"})
# Conjunctions whose clause states a fact of its own, whatever governs the main clause.
FACTUAL_MARKS = frozenset({"as", "while", "when", "after", "because", "since", "before",
                           "although", "though", "whereas"})
# Prepositions whose object is a fact that frames the main clause, whatever its modality.
FACTUAL_PREPS = frozenset({"after", "before", "since", "following", "despite", "amid", "during",
                           "over"})
_MAX_CLIMB = 8


@dataclass(frozen=True, slots=True)
class ModalityReading:
    """The modality of one trigger, and whether it is negated or habitual."""

    modality: str
    negated: bool
    habitual: bool
    cue: Optional[str]


def _own_cues(tok: Token, cues: Cues) -> tuple[Optional[str], bool, bool]:
    """Modal auxiliaries, negation and habitual adverbs attached directly to ``tok``."""
    modality, negated, habitual = None, False, False
    for child in tok.children:
        low = child.lower_
        if child.dep_ == "neg" or (child.dep_ == "det" and low == "no"):
            negated = True
        elif child.dep_ == "aux" and low in cues.modal_aux:
            modality = modality or cues.modal_aux[low]
        elif child.dep_ == "advmod" and low in ALLEGING_ADVERBS:
            modality = modality or "alleged"
        elif child.dep_ == "amod" and low in ALLEGING_ADJECTIVES and low != "attempted":
            modality = modality or ("alleged" if low in ("alleged", "suspected") else None)
        if child.dep_ == "advmod" and child.lemma_.lower() in cues.habitual:
            habitual = True
        if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless"
                                         for m in child.children):
            # "will withdraw its troops unless ...": an act made conditional is a threat,
            # whatever auxiliary it has.
            modality = "threatened"
    return modality, negated, habitual


def read_modality(trigger: Token, cues: Cues) -> ModalityReading:
    """Read the modality of an event trigger from the words that govern it.

    trigger (Token): the trigger word.
    cues (Cues): the cue lists from ``data/cues.yaml``.
    RETURNS (ModalityReading): modality ("occurred" when nothing qualifies it), plus flags for a
        negated trigger ("did not attack") and a habitual one ("continues to attack").
    """
    modality, negated, habitual = _own_cues(trigger, cues)
    if modality:
        # Own cues give "threatened" only through an "unless" clause.
        cue = "unless" if modality == "threatened" else trigger.lower_
        return ModalityReading(modality, negated, habitual, cue)
    tok = trigger
    came_by = trigger.dep_
    for _ in range(_MAX_CLIMB):
        head = tok.head
        if head.i == tok.i:
            break
        if tok.dep_ in ("advcl", "conj") and any(m.dep_ == "mark" and m.lower_ in FACTUAL_MARKS
                                                 for m in tok.children):
            break  # "... as street battles raged": a fact beside the plan, not part of it
        if tok.dep_ == "pobj" and tok.head.lower_ in FACTUAL_PREPS:
            break  # "ordered patrols after violent protests": the protests happened
        if tok.dep_ == "relcl" or (tok.dep_ == "acl" and tok.tag_ == "VBN"):
            # "will return the equipment seized last year", "the leaders whom they had taken
            # hostage": a relative clause or participle describes what already happened.
            break
        lemma = head.lemma_.lower()
        if lemma in REPORTING and head.pos_ == "VERB":
            break
        if lemma in cues.habitual:
            habitual = True
        if lemma == "claim" and came_by == "ccomp":
            return ModalityReading("alleged", negated, habitual, lemma)
        found = cues.modality.get(lemma)
        if found and lemma != "claim":
            return ModalityReading(found, negated, habitual, lemma)
        aux_mod, aux_neg, aux_hab = _own_cues(head, cues)
        if head.pos_ in ("VERB", "AUX"):
            negated = negated or aux_neg
        habitual = habitual or aux_hab
        if aux_mod:
            return ModalityReading(aux_mod, negated, habitual, lemma)
        came_by = head.dep_ if head.dep_ != "prep" else came_by
        tok = head
    return ModalityReading("occurred", negated, habitual, None)


# -- clause structure: which clause an event word belongs to ---------------------------------


def own_clause(tok: Token, governor: Token) -> bool:
    """Whether ``tok`` heads a clause of its own below ``governor`` ("imposed a curfew as
    battles raged", "arrested two men who attacked a farmer") rather than describing it
    ("arrested on charges of planning attacks")."""
    cur = tok
    while cur.i != governor.i and cur.head.i != cur.i:
        if cur.dep_ in ("advcl", "conj", "ccomp", "parataxis", "relcl"):
            return True
        cur = cur.head
    return False


_TEMPORAL_LINKS = frozenset({"after", "before", "since", "until", "following"})
_TIME_UNITS = frozenset({"day", "week", "month", "year", "hour", "night", "weekend"})


def _offset(tok: Token) -> bool:
    return any(c.dep_ == "npadvmod" and c.lemma_.lower() in _TIME_UNITS for c in tok.children)


def temporal_clause(tok: Token) -> Optional[Token]:
    """The clause or phrase that puts ``tok`` a stated time before or after another event ("a
    day after its fighters stormed ...", "two weeks before the attack"), if any, up to the
    first clause. Without a stated gap ("after he was arrested") the events share their day."""
    cur = tok
    for _ in range(6):
        if cur.dep_ in ("advcl", "conj") and _offset(cur) and any(
                m.dep_ == "mark" and m.lower_ in _TEMPORAL_LINKS for m in cur.children):
            return cur
        if cur.dep_ in ("pobj", "pcomp") and cur.head.lower_ in _TEMPORAL_LINKS and \
                _offset(cur.head):
            return cur
        if cur.dep_ in ("ROOT", "ccomp", "conj", "relcl") or cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def reciprocal(tok: Token) -> bool:
    """ "attacked each other", "fired at one another": both sides fought."""
    return any(t.lower_ == "other" and t.i > 0 and t.nbor(-1).lower_ in ("each", "one")
               or t.lower_ == "another" and t.i > 0 and t.nbor(-1).lower_ == "one"
               for t in tok.subtree)
