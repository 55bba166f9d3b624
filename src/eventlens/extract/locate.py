"""Where and when a trigger's event happened, chosen among the places and dates of its sentence.

The event's place is the one the text attaches to the event with a locative preposition ("took
place ... in Moscow", "the summit in Astana", "a man in the US was arrested"), not every place
the sentence names: "citizens of Tajikistan" and "Tajik citizens" say who, not where.

When the event's words attach none, :mod:`placing` asks this module for the next best clues: a
place its sentence names (:func:`nearby_place`), the place the story was last set in
(:func:`document_place`), and whether the rest of the sentence puts a town in another country
(:func:`coherent_place`). An event whose sentence gives no date takes the date the narrative is
at (:func:`narrative_date`: "On 9 May, gunmen attacked ... Two soldiers were killed.").
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Optional

from spacy.tokens import Token

from ..models import DateSpan, PlaceMention
from .context import LOCATIVE_PREPS, DocContext
from .lexicon import Cues
from .nesting import container_fix

__all__ = ["anchors_of", "coherent_place", "date_for", "document_place", "narrative_date",
           "nearby_place", "places_for"]

# Nouns for a part of a place: the place is in their "of" phrase.
AREA_NOUNS = frozenset({"countryside", "outskirt", "outskirts", "area", "region", "vicinity",
                        "suburb", "suburbs", "part", "north", "south", "east", "west", "centre",
                        "center", "edge", "periphery", "environs", "heart", "border", "side",
                        "district", "province", "town", "village", "city", "neighbourhood",
                        "neighborhood", "county", "municipality", "state", "governorate"})
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
    if head.lemma_.lower() in AREA_NOUNS:
        # "in the eastern countryside of Deir-ez-Zor", "on the outskirts of Kabul".
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    place = _place_in_phrase(ctx, pobj) if pobj.dep_ == "pobj" else None
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


_ACTING_DEPS = frozenset({"nsubj", "poss", "agent"})
# Participles after a country name that make it a sponsor, not a scene ("Turkey-backed").
_BACKING = frozenset({"backed", "led", "supported", "sponsored", "funded", "allied", "aligned",
                      "affiliated", "armed", "trained"})
_FEATURE_RANK = {"city": 0, "other": 0, "admin2": 1, "admin1": 2, "country": 3}


def _names_other_thing(ctx: DocContext, start: int, end: int) -> bool:
    """Whether a country name acts ("Turkey shelled", "Turkey and Russia patrolled"), owns
    ("Somalia's army"), backs ("a Turkey-backed faction") or classifies ("the US dollar", "a
    US aircraft") rather than places."""
    last = ctx.doc[end - 1]
    after = ctx.doc[end:end + 2]
    if after and (after[0].lower_ in _BACKING or after[0].text == "-" and len(after) > 1
                  and after[1].lower_ in _BACKING):
        return True
    while last.dep_ == "conj" and last.head.i < last.i:
        last = last.head  # the first conjunct holds the list's role
    if last.dep_ in _ACTING_DEPS:
        return True
    head = last.head
    return last.dep_ in ("compound", "amod", "nmod") and not (start <= head.i < end) \
        and ctx.place(head) is None


def _owns_actor(ctx: DocContext, end: int) -> bool:
    """Whether a country name is the "of" phrase of an actor: "the forces of India and
    Pakistan", "the police of Peru" say whose forces, not where they acted. (It still
    tells which region a sentence is about, so :func:`coherent_place` counts it.)"""
    owner = ctx.doc[end - 1]
    while owner.dep_ == "conj" and owner.head.i != owner.i:
        owner = owner.head
    return owner.dep_ == "pobj" and owner.head.lower_ == "of" and \
        ctx.actor(owner.head.head) is not None


def _origin(ctx: DocContext, start: int) -> bool:
    """Whether a country name says where people or goods come from: "drivers who bring goods
    from Turkey protested in Batumi", "migrants (mostly from Afghanistan)"."""
    return start > 0 and ctx.doc[start - 1].lower_ == "from"


def nearby_place(ctx: DocContext, sent_start: int, sent_end: int,
                 trigger: int) -> Optional[PlaceMention]:
    """The place a sentence names when the text attaches none to the event by a preposition.

    News often places an event with a bare name or in an aside ("shelled positions north of
    Raqqa", "near Bariirre town (Afgooye, Lower Shabelle)"); a place named in the event's own
    sentence is then the best guess, and the finest one (a town over its province, a province
    over its country) the most useful. Adjectives ("Turkish forces") say who, not where, and are
    left out.

    ctx (DocContext): document context.
    sent_start (int): first token index of the sentence.
    sent_end (int): token index just past the sentence.
    trigger (int): the trigger's token index (ties go to the nearest place).
    RETURNS (PlaceMention | None): the place, or None when the sentence names none.
    """
    best: Optional[tuple[tuple[int, int], PlaceMention]] = None
    for start, end, place in ctx.places:
        if start < sent_start or end > sent_end or place.demonym or not place.country:
            continue
        if place.feature == "country" and (_names_other_thing(ctx, start, end)
                                           or _owns_actor(ctx, end)):
            continue  # "Turkey shelled ...", "the US dollar": an actor or a kind, not the scene
        key = (_FEATURE_RANK.get(place.feature, 0), abs(start - trigger))
        if best is None or key < best[0]:
            best = (key, place)
    return best[1] if best else None


def document_place(ctx: DocContext, before: int) -> Optional[PlaceMention]:
    """The place of the text before a sentence, for an event whose own sentence names none.

    "On Monday, gunmen attacked a village in Zamfara. Three people died." The later sentence's
    event happened where the text last said something happened: the nearest earlier sentence
    that names a place gives it (its finest place), else the first later one.

    ctx (DocContext): document context.
    before (int): the event sentence's first token index.
    RETURNS (PlaceMention | None): the place, or None when the document names none.
    """
    earlier = [p for p in ctx.places if p[1] <= before and not p[2].demonym and p[2].country]
    later = [p for p in ctx.places if p[0] >= before and not p[2].demonym and p[2].country]
    pool = earlier or later
    if not pool:
        return None
    anchor = pool[-1][0] if earlier else pool[0][0]
    sent = ctx.doc[anchor].sent
    return nearby_place(ctx, sent.start, sent.end, anchor)


_NARRATIVE_SENTENCES = 2
_NARRATIVE_PRECISIONS = frozenset({"day", "week", "month"})


def narrative_date(ctx: DocContext, trigger: Token) -> Optional[DateSpan]:
    """The date the narrative is at when an event's own words give none.

    "On 9 May, gunmen attacked a convoy near Gao. Two soldiers were killed." The killing took
    place on 9 May: a report tells its story from the last date it gave. The date must come
    before the trigger, in its sentence or at most two sentences earlier, and be a day, week or
    month.

    ctx (DocContext): document context.
    trigger (Token): the event's trigger.
    RETURNS (DateSpan | None): the latest such date, or None.
    """
    first = trigger.sent
    for _ in range(_NARRATIVE_SENTENCES):
        if first.start == 0:
            break
        first = ctx.doc[first.start - 1].sent
    floor = first.start_char
    best: Optional[DateSpan] = None
    for span in ctx.dates:
        if floor <= span.start_char and span.end_char <= trigger.idx and span.start and \
                span.precision in _NARRATIVE_PRECISIONS:
            if best is None or span.start_char > best.start_char:
                best = span
    return best


def coherent_place(ctx: DocContext, country: Optional[str], sent_start: int,
                   sent_end: int, parties: frozenset[str] = frozenset()) -> Optional[PlaceMention]:
    """A place in the country the event's sentence is set in, when the chosen town lies
    elsewhere.

    A town name shared by several countries ("Merida", "San Felix", "Foz") is often resolved to
    the wrong one; the other places the same sentence names ("in Foz do Iguacu, Parana", "Zhari
    district, Kandahar") say which country it is in. When they clearly outweigh the chosen
    place's country (provinces and countries count double, adjectives and names matched only in
    part half: :meth:`DocContext.vote`) and the rest of the text does not support that country
    either, the event moves to the finest place the sentence names in the outweighing country.
    A country named as an actor or a modifier ("US forces", "the US dollar") casts no vote, and
    nor does a town that the place named after it to say where it is contradicts
    (:func:`~eventlens.extract.nesting.container_fix`).

    ctx (DocContext): document context (its ``country_votes``).
    country (str | None): the chosen location's country.
    sent_start (int): first token of the event's sentence.
    sent_end (int): token just past the event's sentence.
    parties (frozenset[str]): the countries the event's named parties act in; they break a
        tie between the chosen place's country and another ("Houthi forces shelled Salim
        ... (Qaatabah, Ad Dali)": a Palestinian village and a Yemeni town weigh alike).
    RETURNS (PlaceMention | None): the better place, or None to keep the chosen one.
    """
    own = [(s, e, p) for s, e, p in ctx.places if sent_start <= s < sent_end and p.country
           and not (p.feature == "country" and (_names_other_thing(ctx, s, e)
                                                 or _origin(ctx, s)))]
    votes: Counter[str] = Counter()
    said: Counter[str] = Counter()  # what the sentence adds to the document's votes
    for s, e, p in own:
        said[p.country] += ctx.vote(s, p)
        # A town its stated container contradicts ("Tarsa area (Hilla)") is a namesake.
        if p.demonym or container_fix(ctx, e, p, sent_end) is None:
            votes[p.country] += ctx.vote(s, p)
    if not votes:
        return None
    n = max(votes.values())
    tied = [cc for cc, k in votes.items() if k == n]
    if len(tied) > 1:
        # A tie: the one tied country the event's parties act in breaks it, unless they act
        # in the chosen place's country as well.
        backed = [cc for cc in tied if cc in parties]
        if country in parties or len(backed) != 1:
            return None
        tied = backed
    top = tied[0]
    if top == country:
        return None
    if country and ctx.country_votes.get(country, 0.0) > said.get(country, 0.0):
        return None  # the rest of the text is set there too
    found = [p for _, _, p in own if p.country == top and not p.demonym]
    return min(found, key=lambda p: _FEATURE_RANK.get(p.feature, 0)) if found else None
