"""The event extractor: triggers -> candidates -> merged, located, dated, categorised events."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Optional, Protocol

from spacy.tokens import Span, Token

from ..models import Actor, Event, EventDate, Evidence, PlaceMention
from ..resolve.dates import to_event_date
from .candidates import Candidate
from .categories import (ARMED_KINDS, AcledSetting, acled_category, gtd_category,
                         with_implied_perpetrator, with_rioters)
from .claims import attach_attributions, attach_claims
from .context import DocContext
from .lexicon import Lexicon
from .locate import anchors_of, date_for, narrative_date, places_for
from .merge import merge_candidates
from .modality import own_clause, read_modality, reciprocal, temporal_clause
from .numbers import find_counts
from .placing import CountryLookup, EventPlacer, location_of
from .plover import plover_type
from .roles import (Party, affiliation, attribution_parties, distinct_parties, find_parties,
                    phrase_actors, prep_objects)
from .setting import DocSetting, is_crowd_party, read_setting
from .triggers import Trigger, find_triggers

__all__ = ["EventExtractor"]

# Governing words that hold an act over someone, as opposed to urging or ordering it.
THREAT_CUES = frozenset({"threaten", "threat", "vow", "swear", "warn", "warning", "unless"})
# Cooperative acts whose refusal ("would not provide support") is a REJECT event.
REFUSABLE = frozenset({"AID", "SUPPORT", "COOPERATE", "CONSULT", "AGREE", "RETREAT",
                       "CONCEDE"})
# Governing words that foil an attack: with casualties, the attack was fought off.
FOILING = frozenset({"thwart", "foil"})
# Attacks that are moves under way when they are stopped: thwarting one is repelling it.
_MOVES = frozenset({"incursion", "infiltration", "advance", "offensive", "assault"})
# Words that announce a new incident rather than refer back ("another attack", "also killed").
FRESH_WORDS = frozenset({"another", "separate", "second", "third", "new", "other", "further",
                         "also", "earlier", "later", "similar"})
# Determiners that point back to an incident already told; a possessive ("their strike")
# points to the actor instead.
ANAPHORIC_DETS = frozenset({"this", "that", "these", "those", "the", "such"})
SYMMETRIC = frozenset({"CONSULT"})
# Types whose reliable triggers make an event even when the text names no actor.
UNATTRIBUTED_TYPES = frozenset({"ASSAULT", "PROTEST", "COERCE"})


# The least weight of a violent verb kept with neither actor nor place of its own, when its
# sentence names a place.
_PLACED_WEIGHT = 0.5


def _names_place(ctx: DocContext, c: Candidate) -> bool:
    """Whether the candidate's trigger is a verb ("injured", "beat up": an act, where "violence
    has increased in Kabul" is a trend) and its sentence names a place the gazetteer knows
    (not an adjective)."""
    trigger = ctx.doc[c.trigger_index]
    if trigger.pos_ != "VERB":
        return False
    sent = trigger.sent
    return any(sent.start <= start < sent.end and place.country and not place.demonym
               for start, _, place in ctx.places)


_TOLL_REACH = 2  # sentences a toll of its own reaches back to its attack


def _max_count(a: Optional[int], b: Optional[int]) -> Optional[int]:
    return b if a is None else a if b is None else max(a, b)


class StateLookup(Protocol):
    """What the extractor needs from the actor knowledge base."""

    def state_for_country(self, cc: str) -> Optional[Actor]: ...

    def generic(self, term: str) -> Optional[Actor]: ...


class EventExtractor:
    """Rule-based PLOVER event extraction over a parsed, annotated document.

    lexicon (Lexicon): triggers and cues.
    states (StateLookup): the actor KB, to name the state that arrests when the text names none.
    countries (CountryLookup): the gazetteer, for country-level fallback locations.
    """

    def __init__(self, lexicon: Lexicon, states: StateLookup, countries: CountryLookup) -> None:
        self.lexicon = lexicon
        self.states = states
        self.placer = EventPlacer(countries)

    def extract(self, ctx: DocContext) -> list[Event]:
        """Extract the events of one document.

        ctx (DocContext): the parsed document with its actors, places and dates.
        RETURNS (list[Event]): events in document order, merged within the document.
        """
        cands: list[Candidate] = []
        for s_i, sent in enumerate(ctx.doc.sents):
            found = self._sentence(ctx, s_i, sent)
            if not any(c.type == "ASSAULT" and c.modality == "occurred" for c in found):
                cands = self._carry_counts(cands, s_i, sent)
            cands.extend(found)
        cands = attach_claims(ctx, cands, self.lexicon.cues)
        cands = attach_attributions(ctx, cands, self.lexicon.cues)
        merged = [c for c in merge_candidates(cands) if self._keep(ctx, c)]
        events, seen = [], set()
        for cand in merged:
            event = self._finish(ctx, cand, read_setting(merged, cand))
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
            if other.spec.type == "COERCE" and trig.spec.type != "PROTEST" and \
                    not own_clause(trig.token, other.token):
                return True  # a protest that police broke up still took place
        return False

    def _candidates(self, ctx: DocContext, s_i: int, sent: Span, trig: Trigger,
                    folded: list[Trigger], kept: list[Trigger],
                    sent_dates: list) -> list[Candidate]:
        tok = trig.token
        cues = self.lexicon.cues
        reading = read_modality(tok, cues)
        etype, modality, fought_off = trig.spec.type, reading.modality, False
        if reading.negated and modality != "denied":
            if etype not in REFUSABLE or modality not in ("planned", "hypothetical"):
                return []
            # "said it would not provide support": refusing to cooperate is a rejection.
            etype, modality = "REJECT", "occurred"
        if modality == "planned" and reading.cue in FOILING and tok.pos_ == "NOUN" and \
                etype == "ASSAULT":
            # "Troops thwarted an attack on the base, killing three militants": the attack was
            # made and fought off, not a plot. Without casualties it stays a foiled attack.
            counts = find_counts(sent.text)
            if (counts.killed or 0) > 0 or (counts.injured or 0) > 0 or \
                    tok.lemma_.lower() in _MOVES or self._at_front(sent):
                # So was an incursion (a move already under way, not a plan) and an attack
                # thwarted at a front: "thwarted an attack of pro-Houthi forces in X front".
                modality, fought_off = "occurred", True
        if reading.habitual and trig.spec.type in ("ASSAULT", "COERCE"):
            return []
        modes = list(trig.spec.modes)
        for f in folded:
            modes.extend(f.spec.modes)
        modes.extend(self._mode_cues(tok, sent, folded))
        sources, targets = (attribution_parties(ctx, tok, cues) if trig.spec.attribution
                            else find_parties(ctx, tok, cues))
        for f in folded:
            # "ambushed and killed four policemen": the folded verb's object is a target too.
            more_sources, more_targets = find_parties(ctx, f.token, cues)
            targets += [p for p in more_targets if all(p.actor.name != q.actor.name
                                                       for q in targets)]
            sources = sources or more_sources
        if fought_off:
            # "Southern forces thwarted an attack of pro-Houthi forces": the attackers are the
            # "of" phrase, the defenders the subject of the verb that thwarted it.
            if not sources:
                sources = [p for pobj in prep_objects(tok, ("of",))
                           for p in phrase_actors(ctx, pobj, "source", cues)
                           if p.actor.kind in ARMED_KINDS]
            thwarter = tok.head if tok.dep_ == "dobj" else None
            if thwarter is not None and not targets:
                targets = [p for c in thwarter.children if c.dep_ == "nsubj"
                           for p in phrase_actors(ctx, c, "target", cues)
                           if all(distinct_parties(p, q) for q in sources)]
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
        clause = temporal_clause(tok)
        if clause is not None:
            # "a day after its fighters stormed the school": the dates of the main clause are
            # not this event's.
            below = {t.i for t in clause.subtree}
            sent_dates = [(r, d) for r, d in sent_dates if r.i in below]
        date = date_for(ctx, tok, [o.token for o in kept], sent_dates)
        det = [c for c in tok.children if c.dep_ in ("det", "poss")]
        anaphoric = tok.pos_ == "NOUN" and any(d.lower_ in ANAPHORIC_DETS for d in det)
        fresh = any(c.lower_ in FRESH_WORDS for t in (tok, *(f.token for f in folded))
                    for c in t.children if c.dep_ in ("det", "amod", "advmod"))
        participants: list[Party] = []
        if trig.spec.type in SYMMETRIC:
            participants = self._participants(ctx, tok, other_ids)
        objects = [c.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        # "fired machine guns, grenade launchers and small arms at the positions": the parser
        # may read a weapon in the list as a conjoined verb and hang the "at" phrase on it.
        aimed = [tok, *(c for c in tok.children if c.dep_ == "conj" and c.pos_ == "VERB"
                        and self.lexicon.lookup(c.lemma_.lower(), "VERB") is None
                        and not any(s.dep_ in ("nsubj", "nsubjpass") for s in c.children))]
        objects += [p.lemma_.lower() for t in aimed for c in t.children if c.dep_ == "prep"
                    and c.lower_ in ("on", "against", "at") for p in c.children]
        base = Candidate(
            object_lemmas=tuple(objects),
            sent_index=s_i, trigger_index=tok.i, trigger_start=tok.idx,
            lemma=tok.lemma_.lower(), type=etype,
            modes=tuple(dict.fromkeys(modes)), modality=modality,
            sources=tuple(sources), targets=tuple(targets), participants=tuple(participants),
            date=date, location=None, location_from_text=False,
            sentences=((sent.start_char, sent.end_char),), anaphoric=anaphoric,
            weight=trig.spec.weight,
            two_sided=trig.spec.two_sided or fought_off or reciprocal(tok)
            or any(f.spec.two_sided for f in folded) or self._cue_in(ctx, sent, "two_sided"),
            fresh=fresh,
            riot_cue=trig.spec.type == "PROTEST" and self._cue_in(ctx, sent, "riot", True),
            own_time=clause is not None,
            explicit_threat=reading.cue in THREAT_CUES,
        )
        return self._split(base, places)

    def _at_front(self, sent: Span) -> bool:
        """Whether the sentence sets its events at a front line ("in the Nihm front"), as
        opposed to "in front of" a building."""
        words = self.lexicon.cues.front_lines
        return any(t.lower_ in words and t.pos_ == "NOUN" and not (
            t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "of") for t in sent)

    def _cue_in(self, ctx: DocContext, sent: Span, cues: str, follow: bool = False) -> bool:
        """Whether the sentence (and with ``follow`` the next one: "Workers demonstrated on
        the highway. They burned tyres.") holds a phrase of a cue list ("riot", "two_sided")."""
        end = sent.end_char
        if follow and sent.end < len(ctx.doc):
            end = ctx.doc[sent.end].sent.end_char
        # Doc/Span.text rebuild the string on every access: slice the stored text once.
        text = ctx.document.text[sent.start_char:end].lower()
        return any(cue in text for cue in getattr(self.lexicon.cues, cues))

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
        # A longer name decides for its words: "heavy machine guns" are heavy weapons, not guns.
        claimed = {w: mode for cue, mode in self.lexicon.cues.modes
                   if " " in cue and cue in sentence for w in cue.split()}
        for cue, mode in self.lexicon.cues.modes:
            if claimed.get(cue, mode) != mode:
                continue
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
            return [replace(base, location=location_of(p), location_from_text=True,
                            trigger_start=base.trigger_start + i) for i, p in enumerate(places)]
        if places:
            return [replace(base, location=location_of(places[0]), location_from_text=True)]
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

    @staticmethod
    def _carry_counts(cands: list[Candidate], s_i: int, sent: Span) -> list[Candidate]:
        """A toll told in a sentence of its own belongs to the attack just before it ("Gunmen
        stormed the village. Seven people were killed.")."""
        idx = [i for i, c in enumerate(cands) if c.type == "ASSAULT" and c.modality == "occurred"
               and 0 < s_i - c.sent_index <= _TOLL_REACH]
        if not idx:
            return cands
        counts = find_counts(sent.text)
        if counts.killed is None and counts.injured is None:
            return cands
        i = idx[-1]
        c = cands[i]
        out = list(cands)
        out[i] = replace(c, killed=_max_count(c.killed, counts.killed),
                         injured=_max_count(c.injured, counts.injured))
        return out

    # -- finishing --------------------------------------------------------------------------

    @staticmethod
    def _keep(ctx: DocContext, c: Candidate) -> bool:
        # A protest always has protesters (filled in by _finish).
        has_actor = bool(c.sources or c.targets or c.participants) or c.type == "PROTEST"
        if c.modality == "hypothetical" and not c.sources:
            return False
        if c.modality != "occurred":
            return has_actor
        # "Heavy artillery fire was reported near X", "a landmine exploded": news often names
        # no perpetrator; a reliable trigger of violence that happened is an event anyway, and
        # so is a weaker one in a sentence that says where ("a landmine injured a villager
        # near X village, Yebyu Township, Tanintharyi Region": the places the sentence names
        # are of the incident it tells, even when none hangs on the trigger).
        return has_actor or c.location is not None or c.type in UNATTRIBUTED_TYPES and (
            c.weight >= 0.75 or c.weight >= _PLACED_WEIGHT and _names_place(ctx, c)) or \
            c.type == "MOBILIZE" and _names_place(ctx, c)  # "reinforcements reached X (Y)"

    def _finish(self, ctx: DocContext, c: Candidate, setting: DocSetting) -> Event:
        location = self.placer.place(ctx, c)
        sources = list(c.sources)
        protesters = self.states.generic("protesters")
        if protesters is not None and (c.type == "PROTEST" or (
                setting.protest and c.type == "ASSAULT")):
            # A protest is carried out by protesters, whatever the text calls the crowd
            # ("medical interns staged a protest", "nurses rallied"), and so is the violence of
            # the crowd at a protest ("residents torched the police station").
            sources = [replace(p, actor=protesters) if is_crowd_party(p, True) else p
                       for p in sources]
            if not sources and c.type == "PROTEST":
                sources = [Party("source", None, protesters, True, -1, -1)]
        if not sources and c.type == "COERCE" and location and location.country:
            state = self.states.state_for_country(location.country)
            if state is not None:
                sources = [Party("source", None, state, False, -1, -1)]
        role_of = (lambda p: "participant") if c.type in SYMMETRIC else (lambda p: p.role)
        actors = [p.to_ref(role_of(p)) for p in sources]
        # The same named actor on both sides is one reading twice; two generic mentions
        # ("militants killed a fighter") are two different groups of people.
        actors += [p.to_ref() for p in c.targets if all(distinct_parties(p, q) for q in sources)]
        actors += [p.to_ref() for p in c.participants
                   if all(distinct_parties(p, q) for q in [*sources, *c.targets])]
        if location is not None and location.country:
            # "Gunmen", "security forces": generic actors take the country of the event.
            actors = [a.model_copy(update={"country": location.country})
                      if a.country is None and (a.id or "").startswith("generic:") else a
                      for a in actors]
        span = c.date or (None if c.own_time else narrative_date(ctx, ctx.doc[c.trigger_index]))
        date = to_event_date(span, ctx.document.published) if span else EventDate(
            anchor="published" if ctx.document.published else "none")
        etype, modes = plover_type(c.type, c.modality, list(c.modes), c.explicit_threat)
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
        key = "|".join([ctx.document.id, etype, str(c.trigger_start),
                        ",".join(sorted(p.actor.name for p in sources)),
                        location.name if location else ""])
        confidence = c.weight * (1.0 if c.sources else 0.85) * (1.0 if location else 0.9)
        acled = acled_category(c.type, modes, actors, c.modality, AcledSetting(
            two_sided=c.two_sided, protest=setting.protest,
            armed_target=bool(set(c.object_lemmas) & self.lexicon.cues.armed_objects),
            harmed=bool(c.killed or c.injured),
            crowd_violence=setting.crowd_violence, intervention=setting.intervention,
            lethal_force=setting.lethal_force,
            off_duty=any(cue in text[s:e].lower() for s, e in c.sentences
                         for cue in self.lexicon.cues.off_duty)))
        # ACLED's conventions: violence against civilians has a perpetrator, named or not, and
        # civilians who riot are rioters.
        actors = with_implied_perpetrator(acled, actors, self.states.generic("gunmen"),
                                          location.country if location else None)
        actors = with_rioters(acled, actors, protesters)
        return Event(
            doc_id=ctx.document.id,
            event_id="ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
            type=etype, mode=modes, modality=c.modality, actors=actors, date=date,
            location=location, killed=c.killed, injured=c.injured, arrested=c.arrested,
            claimed_by=list(c.claimed_by),
            acled=acled,
            gtd=gtd_category(etype, modes, c.modality),
            evidence=evidence, confidence=round(min(1.0, confidence), 3),
        )
