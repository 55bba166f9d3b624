"""Where and when a trigger's event happened, chosen among the places and dates of its sentence.

The event's place is the one the text attaches to the event with a locative preposition ("took
place ... in Moscow", "the summit in Astana", "a man in the US was arrested"), not every place
the sentence names: "citizens of Tajikistan" and "Tajik citizens" say who, not where.
"""

from __future__ import annotations

from typing import Iterable, Optional

from spacy.tokens import Token

from ..models import DateSpan, PlaceMention
from .context import LOCATIVE_PREPS, DocContext
from .lexicon import Cues

__all__ = ["anchors_of", "date_for", "places_for"]

OCCUR_VERBS = frozenset({"take", "occur", "happen", "erupt", "break", "unfold", "hold", "be",
                         "strike", "hit", "rock", "kill", "leave", "claim"})


def anchors_of(trigger: Token, cues: Cues) -> list[Token]:
    """The tokens whose modifiers describe the event: the trigger and its supporting verb.

    trigger (Token): the trigger.
    cues (Cues): cue lists (light verbs such as "conduct", "carry", "hold"; lemma fixes).
    RETURNS (list[Token]): the trigger, plus the verb that a nominal trigger is the subject or
        object of ("The meeting took place in Moscow", "ISIS claimed the attack on Monday").
    """
    out = [trigger]
    if trigger.pos_ != "VERB":
        cur = trigger
        for _ in range(3):
            head = cur.head
            if head.i == cur.i:
                break
            lemma = cues.lemma(head.lower_, head.lemma_)
            if head.pos_ in ("VERB", "AUX") and (lemma in OCCUR_VERBS
                                                 or lemma in cues.light_verbs):
                out.append(head)
                break
            if cur.dep_ not in ("pobj", "prep", "dobj"):
                break
            cur = head
    return out


def _locative_pobjs(tok: Token) -> Iterable[Token]:
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in LOCATIVE_PREPS:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    yield pobj
                    yield from pobj.conjuncts


def _place_in_phrase(ctx: DocContext, head: Token) -> Optional[PlaceMention]:
    place = ctx.place(head)
    if place is not None:
        return place
    for child in head.children:
        if child.dep_ in ("compound", "nmod", "amod", "appos"):
            place = ctx.place(child)
            if place is not None and not place.demonym:
                return place
    return None


def places_for(ctx: DocContext, anchors: list[Token], blocked: set[int]) -> list[PlaceMention]:
    """Return the places the text attaches to the event, best first (conjuncts kept in order).

    ctx (DocContext): document context.
    anchors (list[Token]): from :func:`anchors_of`.
    blocked (set[int]): token indices that belong to other triggers' phrases.
    RETURNS (list[PlaceMention]): places attached by a locative preposition to an anchor, then
        to an anchor's object, then anywhere below the trigger; empty when the text gives none.
    """
    found: list[PlaceMention] = []

    def add(tok: Token) -> None:
        if tok.i in blocked:
            return
        place = _place_in_phrase(ctx, tok)
        if place is not None and place not in found:
            found.append(place)

    for anchor in anchors:
        for pobj in _locative_pobjs(anchor):
            add(pobj)
    if found:
        return found
    for anchor in anchors:
        for child in anchor.children:
            if child.dep_ in ("dobj", "nsubjpass", "nsubj", "pobj", "attr"):
                for pobj in _locative_pobjs(child):
                    add(pobj)
        for prep in (c for c in anchor.children if c.dep_ == "prep"):
            for pobj in (p for p in prep.children if p.dep_ == "pobj"):
                for inner in _locative_pobjs(pobj):
                    add(inner)
    if found:
        return found
    # Deeper: "staged a protest in front of the ministry in Baghdad".
    for anchor in anchors:
        for tok in anchor.subtree:
            if tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS:
                add(tok)
        if found:
            break
    return found


def date_for(ctx: DocContext, trigger: Token, others: list[Token],
             sentence_dates: list[tuple[Token, DateSpan]]) -> Optional[DateSpan]:
    """Pick the date expression of the sentence that belongs to ``trigger``.

    ctx (DocContext): document context.
    trigger (Token): the trigger.
    others (list[Token]): the sentence's other triggers (a date attached below one of them is
        theirs).
    sentence_dates (list[tuple[Token, DateSpan]]): the sentence's dates with their root tokens.
    RETURNS (DateSpan | None): the date, or None when none is attached to this trigger.
    """
    ancestors = {trigger.i, *(a.i for a in trigger.ancestors)}
    below = {t.i for t in trigger.subtree}
    best: Optional[tuple[int, DateSpan]] = None
    for root, span in sentence_dates:
        attach = root.head
        steps = 0
        while attach.dep_ in ("prep", "pobj", "npadvmod", "appos", "nummod") and \
                attach.head.i != attach.i and steps < 4:
            attach = attach.head
            steps += 1
        if root.i in below:
            owner_dist = 0
        elif attach.i in ancestors:
            owner_dist = 1 + sum(1 for a in trigger.ancestors if a.i != attach.i
                                 and attach.is_ancestor(a))
        else:
            continue
        nested = (o for o in others if o.i != trigger.i and o.i in below)
        if any(root.i in {t.i for t in o.subtree} for o in nested):
            continue
        if best is None or owner_dist < best[0]:
            best = (owner_dist, span)
    if best is None and len(sentence_dates) == 1 and not others:
        return sentence_dates[0][1]
    return best[1] if best else None
