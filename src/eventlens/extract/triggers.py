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
    # "shots involving small arms": direct fire recorded between the lines is an exchange.
    two_sided = c.two_sided or bool(c.two_sided_with.intersection(found.modes))
    return TriggerSpec(f"{tok.lemma_.lower()}+", pos, c.type, modes, c.weight,
                       two_sided=two_sided, attribution=c.attribution)


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
    """A word the tokenizer split at its hyphen ("shoot-out", "fire-fight", "sit-in"): the
    lexicon knows it written solid ("shootout") or hyphenated ("sit-in")."""
    if tok.i + 2 >= sent.end or tok.doc[tok.i + 1].text != "-":
        return None
    joined = tok.lower_ + tok.doc[tok.i + 2].lower_
    hyphened = f"{tok.lower_}-{tok.doc[tok.i + 2].lower_}"  # "sit-in" is listed as written
    return (lexicon.lookup(joined, "NOUN") or lexicon.lookup(joined.rstrip("s"), "NOUN")
            or lexicon.lookup(hyphened, "NOUN") or lexicon.lookup(hyphened.rstrip("s"), "NOUN"))


def _resultative(tok: Token, sent: Span) -> bool:
    """A bare singular noun followed by "dead" ("shot dead", "hacked dead") is a verb the
    tagger misread (it may even hang "a motorcycle" on it), unless a determiner comes right
    before it ("the shot dead centre")."""
    return (tok.tag_ == "NN" and tok.i + 1 < sent.end and tok.nbor(1).lower_ == "dead"
            and (tok.i == sent.start or tok.nbor(-1).pos_ != "DET"))


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
            if pos == "NOUN" and _resultative(tok, sent):
                pos = "VERB"  # "gunmen shot dead a civilian": the tagger took "shot" for a noun
            spec = lexicon.lookup(lexicon.cues.lemma(tok.lower_, tok.lemma_), pos)
        if spec is None or not _object_ok(tok, spec, ctx):
            continue
        yield Trigger(tok, spec)
