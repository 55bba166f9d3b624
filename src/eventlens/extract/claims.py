"""Who an attack is credited to: claims of responsibility and attribution by others.

"ISIS-K claimed responsibility for the attack" makes ISIS-K the attack's claimant and, when the
text names no perpetrator, its source. "No group claimed responsibility" and "did not claim" are
not claims. "Police blamed Boko Haram for the bombing" names a perpetrator without a claim: the
accused becomes the attack's source (never its claimant) when the attack has none.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from .candidates import Candidate
from .context import DocContext
from .lexicon import Cues
from .modality import read_modality
from .roles import Party, find_parties

__all__ = ["attach_attributions", "attach_claims"]

_CLAIM_VERBS = frozenset({"claim", "take", "accept", "assume"})
_CLAIM_OBJECTS = frozenset({"responsibility", "credit"})
# Verbs by which officials or witnesses attribute an attack ("blamed X for", "accused X of",
# "attributed the attack to X", "held X responsible").
_ATTRIBUTING = frozenset({"blame", "accuse", "attribute", "suspect", "hold"})
_REACH = 3  # sentences back to the attack a claim or an attribution refers to


def _referent(cands: list[Candidate], s_i: int, tok: Token) -> list[int]:
    """The attack candidates a claim or attribution at ``tok`` refers to: those below it
    ("claimed the bombing"), else the latest attack of the last few sentences."""
    below = {t.i for t in tok.subtree}
    idx = [i for i, c in enumerate(cands) if c.trigger_index in below and c.type == "ASSAULT"]
    if idx:
        return idx
    return [i for i, c in enumerate(cands) if c.type == "ASSAULT"
            and 0 <= s_i - c.sent_index <= _REACH][-1:]


def attach_claims(ctx: DocContext, cands: list[Candidate], cues: Cues) -> list[Candidate]:
    """Credit claims of responsibility to the attacks they claim.

    ctx (DocContext): the document context.
    cands (list[Candidate]): the document's candidates, in order.
    cues (Cues): cue lists.
    RETURNS (list[Candidate]): the candidates, claimed attacks with ``claimed_by`` (and their
        source when they had none).
    """
    triggers = {x.trigger_index for x in cands}
    for s_i, sent in enumerate(ctx.doc.sents):
        for tok in sent:
            if tok.lemma_.lower() not in _CLAIM_VERBS or tok.pos_ != "VERB":
                continue
            objs = [c for c in tok.children if c.dep_ == "dobj"]
            if not any(o.lemma_.lower() in _CLAIM_OBJECTS for o in objs) and \
                    not any(c.i in triggers for c in objs):
                continue
            reading = read_modality(tok, cues)
            sources, _ = find_parties(ctx, tok, cues)
            subj_no = any(d.lower_ == "no" for c in tok.children if c.dep_ == "nsubj"
                          for d in c.children)
            if reading.negated or subj_no or not sources:
                continue
            names = tuple(p.actor.name for p in sources)
            for i in _referent(cands, s_i, tok):
                c = cands[i]
                cands[i] = replace(c, claimed_by=tuple(dict.fromkeys(c.claimed_by + names)),
                                   sources=c.sources or tuple(sources))
    return cands


def _accused(ctx: DocContext, tok: Token, cues: Cues) -> list[Party]:
    """The parties an attributing verb names as perpetrators: its object ("blamed X for"),
    or the object of "to" ("attributed the attack to X")."""
    _, objects = find_parties(ctx, tok, cues)
    accused = [p for p in objects if p.actor.kind not in ("civilians",)]
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "to":
            for pobj in prep.children:
                m = ctx.actor(pobj) if pobj.dep_ == "pobj" else None
                if m is not None:
                    accused.append(Party("source", m.text, m.actor, m.generic, m.start, m.end))
    return accused


def attach_attributions(ctx: DocContext, cands: list[Candidate],
                        cues: Cues) -> list[Candidate]:
    """Give an attack without a named perpetrator the one officials blame for it.

    ctx (DocContext): the document context.
    cands (list[Candidate]): the document's candidates, in order.
    cues (Cues): cue lists.
    RETURNS (list[Candidate]): the candidates; an attributed attack gets the accused as its
        source when it had no source (a denial or a negated accusation gives nothing).
    """
    for s_i, sent in enumerate(ctx.doc.sents):
        for tok in sent:
            if tok.lemma_.lower() not in _ATTRIBUTING or tok.pos_ != "VERB":
                continue
            if tok.lemma_.lower() == "hold" and not any(
                    c.lower_ == "responsible" for c in tok.children):
                continue
            reading = read_modality(tok, cues)
            if reading.negated or reading.modality == "denied":
                continue
            accused = [replace(p, role="source") for p in _accused(ctx, tok, cues)]
            if not accused:
                continue
            for i in _referent(cands, s_i, tok):
                c = cands[i]
                if not c.sources:
                    cands[i] = replace(c, sources=tuple(accused))
    return cands
