"""Find event triggers in a sentence: words and short phrases from the lexicon.

Besides single lemmas, a few verb constructions only mean violence with their particle or
object ("opened fire", "set fire to", "blew up", "gunned down", "fired rockets"), and a few
triggers only count with the right object ("released prisoners", not "released a statement").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from spacy.tokens import Span, Token

from .context import DocContext
from .lexicon import Lexicon, TriggerSpec

__all__ = ["Trigger", "find_triggers"]

_FIRE_OBJECTS = {
    "rocket": "heavy-weapons", "missile": "heavy-weapons", "mortar": "heavy-weapons",
    "shell": "heavy-weapons", "shot": "firearms", "bullet": "firearms", "round": "firearms",
    "grenade": "explosives",
}


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger occurrence: the token, and what it means."""

    token: Token
    spec: TriggerSpec


def _construction(tok: Token) -> Optional[TriggerSpec]:
    """Verb constructions that signal violence only with a particle or an object."""
    lemma = tok.lemma_.lower()
    kids = {c.lower_: c for c in tok.children if c.dep_ in ("dobj", "prt", "acomp", "oprd")}
    if lemma == "open" and "fire" in kids:
        return TriggerSpec("open fire", "VERB", "ASSAULT", ("firearms",), 0.9)
    if lemma == "set" and ("fire" in kids or "ablaze" in kids or "alight" in kids):
        return TriggerSpec("set fire", "VERB", "ASSAULT", ("primitive", "destroy"), 0.8)
    if lemma == "blow" and "up" in kids:
        return TriggerSpec("blow up", "VERB", "ASSAULT", ("explosives",), 0.85)
    if lemma == "gun" and "down" in kids:
        return TriggerSpec("gun down", "VERB", "ASSAULT", ("firearms",), 0.9)
    if lemma == "round" and "up" in kids:
        return TriggerSpec("round up", "VERB", "COERCE", ("arrest",), 0.8)
    if lemma in ("fire", "launch", "lob"):
        for child in tok.children:
            mode = _FIRE_OBJECTS.get(child.lemma_.lower())
            if child.dep_ == "dobj" and mode:
                return TriggerSpec(f"{lemma} {child.lemma_.lower()}", "VERB", "ASSAULT",
                                   (mode,), 0.85)
    return None


def _object_ok(tok: Token, spec: TriggerSpec, ctx: DocContext) -> bool:
    if not spec.objects:
        return True
    for child in tok.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            heads = [child, *child.conjuncts]
            if any(h.lemma_.lower() in spec.objects or ctx.actor(h) for h in heads):
                return True
    return False


def find_triggers(sent: Span, lexicon: Lexicon, ctx: DocContext) -> Iterator[Trigger]:
    """Yield the triggers of one sentence, in order.

    sent (Span): the sentence.
    lexicon (Lexicon): trigger lexicon.
    ctx (DocContext): document context (a word inside an actor's name is not a trigger).
    YIELDS (Trigger): each trigger found.
    """
    for tok in sent:
        pos = tok.pos_
        if pos == "PROPN" and tok.is_upper and len(tok) > 2:
            pos = "NOUN"
        if pos not in ("VERB", "NOUN") or ctx.actor(tok) is not None:
            continue
        if tok.ent_type_ in ("ORG", "WORK_OF_ART", "LAW", "FAC") and tok.ent_iob_ != "O":
            continue
        spec = _construction(tok) if pos == "VERB" else None
        if spec is None and pos == "NOUN":
            compound = [c for c in tok.lefts if c.dep_ in ("compound", "amod")]
            for c in compound:
                spec = lexicon.phrases.get(f"{c.lemma_.lower()} {tok.lemma_.lower()}")
                if spec:
                    break
        if spec is None:
            spec = lexicon.lookup(tok.lemma_.lower(), pos)
        if spec is None or not _object_ok(tok, spec, ctx):
            continue
        yield Trigger(tok, spec)
