"""Find event triggers in a sentence: words and short phrases from the lexicon.

Besides single lemmas, constructions (``data/constructions.yaml``) only mean an event with their
particle, object, preposition or modifier ("opened fire", "fired mortars at", "exchanged fire",
"blocked the highway", "artillery fire"), and a few triggers only count with the right object
("released prisoners", not "released a statement").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from spacy.tokens import Span, Token

from .context import DocContext
from .lexicon import Lexicon, TriggerSpec

__all__ = ["Trigger", "find_triggers"]


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger occurrence: the token, and what it means."""

    token: Token
    spec: TriggerSpec


def _construction(tok: Token, pos: str, lexicon: Lexicon) -> Optional[TriggerSpec]:
    """A construction from ``data/constructions.yaml`` that the token completes."""
    found = lexicon.constructions.match(tok, pos)
    if found is None:
        return None
    c = found.construction
    # The weapon named says more than the construction's default ("fired mortars at").
    modes = found.modes or c.modes
    if found.modes:
        modes = tuple(dict.fromkeys(found.modes + tuple(m for m in c.modes if m == "destroy")))
    return TriggerSpec(f"{tok.lemma_.lower()}+", pos, c.type, modes, c.weight,
                       two_sided=c.two_sided)


def _object_ok(tok: Token, spec: TriggerSpec, ctx: DocContext) -> bool:
    if not spec.objects:
        return True
    for child in tok.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            heads = [child, *child.conjuncts]
            if any(h.lemma_.lower() in spec.objects or ctx.actor(h) for h in heads):
                return True
    return False


def _hyphenated(tok: Token, sent: Span, lexicon: Lexicon) -> Optional[TriggerSpec]:
    """A word the tokenizer split at its hyphen ("shoot-out", "fire-fight"): the lexicon
    knows it written solid ("shootout")."""
    if tok.i + 2 >= sent.end or tok.doc[tok.i + 1].text != "-":
        return None
    joined = tok.lower_ + tok.doc[tok.i + 2].lower_
    return lexicon.lookup(joined, "NOUN") or lexicon.lookup(joined.rstrip("s"), "NOUN")


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
        if pos == "VERB" and tok.dep_ == "amod":
            continue  # a participle used as an adjective ("Turkish-backed", "UN-brokered")
        spec = _construction(tok, pos, lexicon)
        if spec is None and pos == "NOUN":
            compound = [c for c in tok.lefts if c.dep_ in ("compound", "amod")]
            for c in compound:
                spec = lexicon.phrases.get(f"{c.lemma_.lower()} {tok.lemma_.lower()}")
                if spec:
                    break
        if spec is None:
            spec = _hyphenated(tok, sent, lexicon)
        if spec is None:
            spec = lexicon.lookup(tok.lemma_.lower(), pos)
        if spec is None or not _object_ok(tok, spec, ctx):
            continue
        yield Trigger(tok, spec)
