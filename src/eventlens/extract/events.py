"""The event extractor: triggers -> candidates -> merged, located, dated, categorised events."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Optional, Protocol

from spacy.tokens import Span, Token

from ..models import Actor, Event, EventDate, Evidence, Location, PlaceMention
from ..resolve.dates import to_event_date
from .candidates import Candidate
from .categories import acled_category, gtd_category
from .context import DocContext
from .lexicon import Lexicon
from .locate import anchors_of, date_for, places_for
from .merge import merge_candidates
from .modality import read_modality
from .numbers import find_counts
from .roles import Party, affiliation, find_parties
from .triggers import Trigger, find_triggers

__all__ = ["EventExtractor"]

ANAPHORIC_DETS = frozenset({"this", "that", "these", "those", "the", "its", "their", "such"})
SYMMETRIC = frozenset({"CONSULT"})
STATE_ORGANS = frozenset({"state", "government", "military", "police"})
_FEATURE_PRECISION = {"city": "city", "admin1": "admin1", "admin2": "admin2",
                      "country": "country", "other": "point"}
# Verbal or material acts a state performs at home when the text names no place.
DOMESTIC_TYPES = frozenset({"COERCE", "MOBILIZE", "INVESTIGATE", "PROTEST"})


class StateLookup(Protocol):
    """What the extractor needs from the actor knowledge base."""

    def state_for_country(self, cc: str) -> Optional[Actor]: ...

    def generic(self, term: str) -> Optional[Actor]: ...


class CountryLookup(Protocol):
    """What the extractor needs from the gazetteer."""

    def country(self, cc: str): ...


def _location(place: PlaceMention) -> Location:
    return Location(text=place.text, name=place.name, country=place.country, admin1=place.admin1,
                    lat=place.lat, lon=place.lon,
                    precision=_FEATURE_PRECISION.get(place.feature, "point"),
                    geonames_id=place.geonames_id)


class EventExtractor:
    """Rule-based PLOVER event extraction over a parsed, annotated document.

    lexicon (Lexicon): triggers and cues.
    states (StateLookup): the actor KB, to name the state that arrests when the text names none.
    countries (CountryLookup): the gazetteer, for country-level fallback locations.
    """

    def __init__(self, lexicon: Lexicon, states: StateLookup, countries: CountryLookup) -> None:
        self.lexicon = lexicon
        self.states = states
        self.countries = countries

    def extract(self, ctx: DocContext) -> list[Event]:
        """Extract the events of one document.

        ctx (DocContext): the parsed document with its actors, places and dates.
        RETURNS (list[Event]): events in document order, merged within the document.
        """
        cands: list[Candidate] = []
        for s_i, sent in enumerate(ctx.doc.sents):
            cands.extend(self._sentence(ctx, s_i, sent))
        cands = self._attach_claims(ctx, cands)
        merged = merge_candidates(cands)
        events, seen = [], set()
        for cand in merged:
            if not self._keep(cand):
                continue
            event = self._finish(ctx, cand)
            if event.event_id in seen:
                continue  # the same reading twice adds nothing
            seen.add(event.event_id)
            events.append(event)
        return events

    # -- sentence level ---------------------------------------------------------------------

    def _sentence(self, ctx: DocContext, s_i: int, sent: Span) -> list[Candidate]:
        triggers = list(find_triggers(sent, self.lexicon, ctx))
        if not triggers:
            return []
        trigger_ids = {t.token.i for t in triggers}
        kept = [t for t in triggers if not self._subordinate(t, trigger_ids, triggers)]
        sent_dates = []
        for d in ctx.dates_in(sent.start_char, sent.end_char):
            span = ctx.doc.char_span(d.start_char, d.end_char, alignment_mode="expand")
            if span is not None:
                sent_dates.append((span.root, d))
        out: list[Candidate] = []
        for trig in kept:
            folded = [t for t in triggers if t not in kept and t.spec.type == trig.spec.type
                      and self._governs(trig.token, t.token)]
            out.extend(self._candidates(ctx, s_i, sent, trig, folded, kept, sent_dates))
        counts = find_counts(sent.text)
        return self._assign_counts(out, counts)

    @staticmethod
    def _governs(head: Token, tok: Token) -> bool:
        return head.is_ancestor(tok)

    def _subordinate(self, trig: Trigger, ids: set[int], triggers: list[Trigger]) -> bool:
        """A trigger that only describes another: "killed in a bombing", "arrested ... on
        charges of planning attacks"."""
        for other in triggers:
            if other is trig or not other.token.is_ancestor(trig.token):
                continue
            if other.spec.type == trig.spec.type:
                return True
            if other.spec.type == "COERCE":
                return True
        return False

    def _candidates(self, ctx: DocContext, s_i: int, sent: Span, trig: Trigger,
                    folded: list[Trigger], kept: list[Trigger],
                    sent_dates: list) -> list[Candidate]:
        tok = trig.token
        cues = self.lexicon.cues
        reading = read_modality(tok, cues)
        if reading.negated and reading.modality != "denied":
            return []
        if reading.habitual and trig.spec.type in ("ASSAULT", "COERCE"):
            return []
        modes = list(trig.spec.modes)
        for f in folded:
            modes.extend(f.spec.modes)
        modes.extend(self._mode_cues(tok, sent, folded))
        sources, targets = find_parties(ctx, tok, cues)
        if trig.spec.type == "COERCE" and not any(p.actor.kind == "group" for p in targets):
            group = affiliation(ctx, sent, cues)
            if group is not None:
                targets = [*targets, group]
        anchors = anchors_of(tok, cues)
        other_ids = set()
        for o in kept:
            if o is not trig and not o.token.is_ancestor(tok):
                other_ids.update(t.i for t in o.token.subtree)
        party_ids = set()
        for p in (*sources, *targets):
            span = ctx.doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is not None:
                party_ids.update(range(span.start, span.end))
        places = [p for p in places_for(ctx, anchors, other_ids) if not p.demonym]
        date = date_for(ctx, tok, [o.token for o in kept], sent_dates)
        det = [c for c in tok.children if c.dep_ in ("det", "poss")]
        anaphoric = tok.pos_ == "NOUN" and any(d.lower_ in ANAPHORIC_DETS for d in det)
        participants: list[Party] = []
        if trig.spec.type in SYMMETRIC:
            participants = self._participants(ctx, tok, other_ids)
        objects = [c.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        objects += [p.lemma_.lower() for c in tok.children if c.dep_ == "prep"
                    and c.lower_ in ("on", "against", "at") for p in c.children]
        base = Candidate(
            object_lemmas=tuple(objects),
            sent_index=s_i, trigger_index=tok.i, trigger_start=tok.idx,
            lemma=tok.lemma_.lower(), type=trig.spec.type,
            modes=tuple(dict.fromkeys(modes)), modality=reading.modality,
            sources=tuple(sources), targets=tuple(targets), participants=tuple(participants),
            date=date, location=None, location_from_text=False,
            sentences=((sent.start_char, sent.end_char),), anaphoric=anaphoric,
            weight=trig.spec.weight,
        )
        return self._split(base, places)

    def _participants(self, ctx: DocContext, tok: Token, blocked: set[int]) -> list[Party]:
        seen: list[Party] = []
        for t in tok.subtree:
            m = ctx.actor(t)
            if m is None or t.i in blocked or any(p.actor.name == m.actor.name for p in seen):
                continue
            if t.dep_ == "compound" and t.head.pos_ == "PROPN" and ctx.actor(t.head) is not m:
                continue  # "the Afghanistan Working Group" is not Afghanistan
            seen.append(Party("participant", m.text, m.actor, m.generic, m.start, m.end))
        named = [p for p in seen if not p.generic]
        return named or seen

    def _mode_cues(self, tok: Token, sent: Span, folded: list[Trigger]) -> list[str]:
        words = {t.lower_ for t in tok.subtree} | {t.lemma_.lower() for t in tok.subtree}
        for f in folded:
            words |= {t.lower_ for t in f.token.subtree}
        words |= {t.lower_ for t in tok.children}
        text = " ".join(sorted(words))
        sentence = sent.text.lower()
        found = []
        for cue, mode in self.lexicon.cues.modes:
            if (" " in cue and cue in sentence) or cue in words or (
                    len(cue) > 6 and cue in text):
                found.append(mode)
        return found

    def _split(self, base: Candidate, places: list[PlaceMention]) -> list[Candidate]:
        """One event per arresting state ("Italy and Turkey arrested") and per country of a
        conjoined place list ("attacks in Russia, Iran, and Pakistan")."""
        states = [p for p in base.sources if p.actor.kind == "state"]
        if base.type == "COERCE" and len(states) > 1:
            out = []
            for s in states:
                one = replace(base, sources=(s,))
                out.extend(self._split(one, places))
            return out
        countries = list(dict.fromkeys(p.country for p in places))
        if len(countries) > 1 and all(p.feature == "country" for p in places):
            return [replace(base, location=_location(p), location_from_text=True,
                            trigger_start=base.trigger_start + i) for i, p in enumerate(places)]
        if places:
            return [replace(base, location=_location(places[0]), location_from_text=True)]
        return [base]

    @staticmethod
    def _assign_counts(cands: list[Candidate], counts) -> list[Candidate]:
        out, got_violent, got_arrest = [], False, False
        for c in cands:
            if c.type == "ASSAULT" and not got_violent and c.modality == "occurred":
                c = replace(c, killed=counts.killed, injured=counts.injured)
                got_violent = True
            elif c.type == "COERCE" and "arrest" in c.modes and not got_arrest:
                c = replace(c, arrested=counts.arrested)
                got_arrest = counts.arrested is not None and len(c.sources) <= 1
            out.append(c)
        return out

    # -- claims -----------------------------------------------------------------------------

    def _attach_claims(self, ctx: DocContext, cands: list[Candidate]) -> list[Candidate]:
        """ "X claimed responsibility for the attack": X is the claimant and the source."""
        sents = list(ctx.doc.sents)
        for s_i, sent in enumerate(sents):
            for tok in sent:
                if tok.lemma_.lower() not in ("claim", "take", "accept", "assume") or \
                        tok.pos_ not in ("VERB",):
                    continue
                objs = [c for c in tok.children if c.dep_ == "dobj"]
                if not any(o.lemma_.lower() in ("responsibility", "credit") for o in objs) and \
                        not any(c.i in {x.trigger_index for x in cands} for c in objs):
                    continue
                reading = read_modality(tok, self.lexicon.cues)
                sources, _ = find_parties(ctx, tok, self.lexicon.cues)
                subj_no = any(d.lower_ == "no" for c in tok.children if c.dep_ == "nsubj"
                              for d in c.children)
                if reading.negated or subj_no or not sources:
                    continue
                cands = self._credit(cands, s_i, tok, sources)
        return cands

    @staticmethod
    def _credit(cands: list[Candidate], s_i: int, claim: Token,
                sources: list[Party]) -> list[Candidate]:
        below = {t.i for t in claim.subtree}
        idx = [i for i, c in enumerate(cands) if c.trigger_index in below and c.type == "ASSAULT"]
        if not idx:
            idx = [i for i, c in enumerate(cands) if c.type == "ASSAULT"
                   and 0 <= s_i - c.sent_index <= 3][-1:]
        names = tuple(p.actor.name for p in sources)
        for i in idx:
            c = cands[i]
            cands[i] = replace(c, claimed_by=tuple(dict.fromkeys(c.claimed_by + names)),
                               sources=c.sources or tuple(sources))
        return cands

    # -- finishing --------------------------------------------------------------------------

    @staticmethod
    def _keep(c: Candidate) -> bool:
        # A protest always has protesters (filled in by _finish).
        has_actor = bool(c.sources or c.targets or c.participants) or c.type == "PROTEST"
        if c.modality == "hypothetical" and not c.sources:
            return False
        return has_actor or (c.location is not None and c.modality == "occurred")

    def _fallback_location(self, ctx: DocContext, c: Candidate) -> Optional[Location]:
        organs = [p.actor for p in c.sources if p.actor.kind in STATE_ORGANS and p.actor.country]
        if c.type in DOMESTIC_TYPES and organs:
            return self._country_location(organs[0].country)
        for lemma in c.object_lemmas:
            if lemma in ctx.noun_places:
                return _location(ctx.noun_places[lemma])
        if c.modality == "occurred" and ctx.focus_country:
            return self._country_location(ctx.focus_country)
        return None

    def _country_location(self, cc: str) -> Optional[Location]:
        entry = self.countries.country(cc)
        if entry is None:
            return None
        return Location(text=None, name=entry.name, country=cc, admin1=None, lat=entry.lat,
                        lon=entry.lon, precision="country", geonames_id=entry.geonames_id)

    def _finish(self, ctx: DocContext, c: Candidate) -> Event:
        location = c.location or self._fallback_location(ctx, c)
        sources = list(c.sources)
        if c.type == "PROTEST":
            # A protest is carried out by protesters, whatever the text calls the crowd
            # ("medical interns staged a protest", "nurses rallied").
            protesters = self.states.generic("protesters")
            if protesters is not None:
                sources = [replace(p, actor=protesters) if p.generic and
                           p.actor.kind in ("civilians", "other") else p for p in sources]
                if not sources:
                    sources = [Party("source", None, protesters, True, -1, -1)]
        if not sources and c.type == "COERCE" and location and location.country:
            state = self.states.state_for_country(location.country)
            if state is not None:
                sources = [Party("source", None, state, False, -1, -1)]
        role_of = (lambda p: "participant") if c.type in SYMMETRIC else (lambda p: p.role)
        actors = [p.to_ref(role_of(p)) for p in sources]
        actors += [p.to_ref() for p in c.targets
                   if all(a.name != p.actor.name for a in actors)]
        actors += [p.to_ref() for p in c.participants
                   if all(a.name != p.actor.name for a in actors)]
        if location is not None and location.country:
            # "Gunmen", "security forces": generic actors take the country of the event.
            actors = [a.model_copy(update={"country": location.country})
                      if a.country is None and (a.id or "").startswith("generic:") else a
                      for a in actors]
        date = to_event_date(c.date, ctx.document.published) if c.date else EventDate(
            anchor="published" if ctx.document.published else "none")
        modes = list(c.modes)
        # Doc.text rebuilds the string from tokens on every access: slice the stored text.
        text = ctx.document.text
        evidence = []
        for s, e in c.sentences:
            chunk = text[s:e]
            lead = len(chunk) - len(chunk.lstrip())
            sentence = chunk.strip()
            evidence.append(Evidence(sentence=sentence, start=s + lead,
                                     end=s + lead + len(sentence)))
        # Split events (one per arresting state or per country) share a trigger: the source
        # and the place tell them apart, and keep ids stable across runs.
        key = "|".join([ctx.document.id, c.type, str(c.trigger_start),
                        ",".join(sorted(p.actor.name for p in sources)),
                        location.name if location else ""])
        confidence = c.weight * (1.0 if c.sources else 0.85) * (1.0 if location else 0.9)
        return Event(
            doc_id=ctx.document.id,
            event_id="ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
            type=c.type, mode=modes, modality=c.modality, actors=actors, date=date,
            location=location, killed=c.killed, injured=c.injured, arrested=c.arrested,
            claimed_by=list(c.claimed_by),
            acled=acled_category(c.type, modes, actors, c.modality),
            gtd=gtd_category(c.type, modes, c.modality),
            evidence=evidence, confidence=round(min(1.0, confidence), 3),
        )
