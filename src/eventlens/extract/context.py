"""Per-document context the event rules read: actors, places and dates indexed by token.

Built once per document from the outputs of the actor matcher, the place resolver and the date
finder, so that the rules in :mod:`roles`, :mod:`modality` and :mod:`events` can ask "which actor
covers token 7?" without scanning lists.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Doc, Span, Token

from ..models import ActorMention, DateSpan, Document, PlaceMention

__all__ = ["DocContext", "build_context", "is_partial_name", "mention_weight"]

# Prepositions that put an event somewhere (as opposed to "from X", "of X": origin, nationality).
LOCATIVE_PREPS = frozenset(
    "in at near outside inside across within around into throughout along".split()
)


@dataclass
class DocContext:
    """Everything the event rules know about one parsed document.

    The mappings are filled once by :func:`build_context` and only read afterwards; the person
    registry grows as the extractor meets new names (news refers to a person by surname after the
    first full mention).
    """

    doc: Doc
    document: Document
    actor_at: dict[int, ActorMention]
    place_at: dict[int, PlaceMention]
    places: list[tuple[int, int, PlaceMention]]
    dates: list[DateSpan]
    focus_country: Optional[str]
    noun_places: dict[str, PlaceMention]
    event_places: list[tuple[int, PlaceMention]] = field(default_factory=list)
    groups: list[tuple[int, ActorMention]] = field(default_factory=list)
    country_votes: Counter[str] = field(default_factory=Counter)
    persons: dict[str, str] = field(default_factory=dict)
    partial_names: frozenset[int] = frozenset()

    def actor(self, token: Token) -> Optional[ActorMention]:
        """Return the actor mention covering ``token``, if any."""
        return self.actor_at.get(token.i)

    def place(self, token: Token) -> Optional[PlaceMention]:
        """Return the place mention covering ``token``, if any."""
        return self.place_at.get(token.i)

    def salient_group(self, before: int) -> Optional[ActorMention]:
        """The group the text is about at token ``before``, for "the group" and "it".

        before (int): token index; only earlier mentions count.
        RETURNS (ActorMention | None): the most often named group so far (the latest on a tie).
        """
        counts: Counter[str] = Counter()
        latest: dict[str, tuple[int, ActorMention]] = {}
        for i, mention in self.groups:
            if i >= before:
                break
            counts[mention.actor.name] += 1
            latest[mention.actor.name] = (i, mention)
        if not counts:
            return None
        best = max(counts, key=lambda name: (counts[name], latest[name][0]))
        return latest[best][1]

    def vote(self, start: int, place: PlaceMention) -> float:
        """How much the place mention at token ``start`` says about the country a text is set in.

        start (int): the mention's first token.
        place (PlaceMention): the mention.
        RETURNS (float): its weight (:data:`VOTE_WEIGHTS`), halved for an adjective and for a
            name the resolver matched only in part.
        """
        return mention_weight(place, start in self.partial_names)

    def dates_in(self, start_char: int, end_char: int) -> list[DateSpan]:
        """Return the date expressions lying inside a character range."""
        return [d for d in self.dates if d.start_char >= start_char and d.end_char <= end_char]


def _index(doc: Doc, items: list, start_attr: str = "start", end_attr: str = "end") -> dict:
    index: dict[int, object] = {}
    for item in items:
        span = doc.char_span(getattr(item, start_attr), getattr(item, end_attr),
                             alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            index.setdefault(tok.i, item)
    return index


def _focus_country(places: list[PlaceMention]) -> Optional[str]:
    counts = Counter(p.country for p in places if p.country and not p.demonym)
    if not counts:
        return None
    country, n = counts.most_common(1)[0]
    # One passing mention does not make a focus; a tie means the article has none.
    tied = [c for c, k in counts.items() if k == n]
    return country if n >= 2 and len(tied) == 1 else None


# How much one mention says about the country a text is set in: a province or a country name
# is unambiguous, a town name often is not, an adjective ("Afghan") says little.
VOTE_WEIGHTS = {"country": 2.0, "admin1": 2.0, "admin2": 1.5, "city": 1.0, "other": 1.0}


# Lower-case particles inside a longer proper name ("Santiago de la Pena", "Foz do Iguacu").
NAME_PARTICLES = frozenset({"de", "del", "da", "do", "dos", "das", "la", "las", "los", "el"})


def is_partial_name(doc: Doc, start: int, end: int, place_at: dict) -> bool:
    """Whether a place span is only the start of a longer proper name.

    A resolver that matched "Colonia" in "Colonia Roma" (a neighbourhood) or "Santiago" in
    "Santiago de la Pena" found a namesake of a word, not of the place: such a match says
    little about the country the text is set in.

    doc (Doc): the parsed document.
    start (int): first token of the place span.
    end (int): token just past the span.
    place_at (dict): token index -> place mention (a following place is a neighbour, not the
        rest of the name).
    RETURNS (bool): True when a capitalised word of the same name follows the span.
    """
    sent_end = doc[start].sent.end
    i = end
    while i < sent_end and doc[i].lower_ in NAME_PARTICLES and doc[i].is_lower:
        i += 1
    if i >= sent_end or i in place_at or doc[i - 1].is_punct:
        return False
    return doc[i].is_title and doc[i].pos_ == "PROPN"


def mention_weight(place: PlaceMention, partial: bool) -> float:
    """A place mention's vote for the country a text is set in (see :data:`VOTE_WEIGHTS`).

    place (PlaceMention): the mention.
    partial (bool): whether it is only the start of a longer name (:func:`is_partial_name`).
    RETURNS (float): the weight; an adjective counts 0.5, a partial match half its feature's.
    """
    weight = 0.5 if place.demonym else VOTE_WEIGHTS.get(place.feature, 1.0)
    return weight / 2 if partial else weight


# Machines a nationality adjective may own ("a Turkish drone", "Russian jets"): they fly or
# sail abroad, so the adjective says whose machine, not where the text is set.
MACHINES = frozenset({"drone", "aircraft", "jet", "warplane", "plane", "helicopter", "missile",
                      "rocket", "ship", "vessel", "boat", "warship", "frigate", "submarine", "uav"})


def owns_machine(doc: Doc, end: int, place: PlaceMention) -> bool:
    """Whether a demonym mention ending at token ``end`` modifies a machine noun."""
    return place.demonym and doc[end - 1].head.lemma_.lower() in MACHINES


def _country_votes(doc: Doc, spans: list[tuple[int, int, PlaceMention]],
                   partial: frozenset[int]) -> Counter[str]:
    votes: Counter[str] = Counter()
    for s, e, p in spans:
        if p.country and not owns_machine(doc, e, p):
            votes[p.country] += mention_weight(p, s in partial)
    return votes


def _noun_places(doc: Doc, place_at: dict[int, PlaceMention],
                 actor_at: dict[int, object]) -> dict[str, PlaceMention]:
    """Map head nouns to the place that qualifies them ("Paris Olympics" -> olympics: Paris).

    Lets a later bare mention ("attack the Olympics") inherit the place the article gave it once.
    """
    out: dict[str, PlaceMention] = {}
    for tok in doc:
        place = place_at.get(tok.i)
        # "Nigerien soldiers", "Kenyan traders": an adjective says who, not where.
        if place is None or place.demonym or tok.head.i == tok.i or tok.head.i in place_at:
            continue
        if place.feature == "country" and tok.head.i in actor_at:
            continue  # "an attack on Burundi troops": whose troops, not where they were
        head = tok.head
        if tok.dep_ in ("compound", "nmod", "amod") and head.pos_ in ("PROPN", "NOUN"):
            out.setdefault(head.lemma_.lower(), place)
        elif tok.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("in", "at"):
            noun = head.head
            if noun.pos_ in ("PROPN", "NOUN") and noun.ent_type_ in ("EVENT", "LAW", "FAC", "ORG"):
                out.setdefault(noun.lemma_.lower(), place)
    return out


def _event_places(doc: Doc, place_at: dict[int, PlaceMention]) -> list[tuple[int, PlaceMention]]:
    """The places the text gives its named events ("the Paris Olympics", "the Euro 2024 in
    Germany"), by the event name's first token, so that "this competition" or "the games"
    later can inherit them."""
    out: list[tuple[int, PlaceMention]] = []
    for ent in doc.ents:
        if ent.label_ not in ("EVENT", "LAW"):  # the model often reads events as laws
            continue
        place = next((place_at[t.i] for t in ent if t.i in place_at
                      and not place_at[t.i].demonym), None)
        if place is None:
            # "the Euro 2024 in Germany": the place of an "in" phrase on the event's name
            for prep in ent.root.children:
                if prep.dep_ == "prep" and prep.lower_ in ("in", "at"):
                    place = next((place_at[o.i] for o in prep.children
                                  if o.dep_ == "pobj" and o.i in place_at
                                  and not place_at[o.i].demonym), None)
        if place is None and ent.end < len(doc) and doc[ent.end].lower_ in ("in", "at") \
                and ent.end + 1 < len(doc):
            place = place_at.get(ent.end + 1)  # the parser hung "in Germany" elsewhere
        if place is not None and not place.demonym:
            out.append((ent.start, place))
    return out


def build_context(doc: Doc, document: Document, actors: list[ActorMention],
                  places: list[PlaceMention], dates: list[DateSpan]) -> DocContext:
    """Index a document's mentions by token.

    doc (Doc): the parsed document text.
    document (Document): the ingested document.
    actors (list[ActorMention]): actor mentions (character offsets into ``doc.text``).
    places (list[PlaceMention]): resolved place mentions.
    dates (list[DateSpan]): resolved date expressions.
    RETURNS (DocContext): the indexed context.
    """
    # "(Rafi LGA, Niger)": a state's name that the resolver read as a subdivision or town of
    # another country names a place there, not the state as an actor.
    subdivisions = {(p.start, p.end) for p in places
                    if p.feature != "country" and not p.demonym}
    actors = [a for a in actors if not (a.actor.kind == "state" and not a.generic
                                        and (a.start, a.end) in subdivisions)]
    actor_at = _index(doc, actors)
    place_at = _index(doc, places)
    place_spans = []
    for p in places:
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is not None:
            place_spans.append((span.start, span.end, p))
    partial = frozenset(s for s, e, p in place_spans
                        if not p.demonym and is_partial_name(doc, s, e, place_at))
    groups = sorted((i, m) for i, m in actor_at.items()
                    if m.actor.kind == "group" and not m.generic
                    and (i == 0 or actor_at.get(i - 1) is not m))
    return DocContext(
        groups=groups,
        doc=doc,
        document=document,
        actor_at=actor_at,
        place_at=place_at,
        places=place_spans,
        dates=dates,
        focus_country=_focus_country(places),
        country_votes=_country_votes(doc, place_spans, partial),
        partial_names=partial,
        noun_places=_noun_places(doc, place_at, actor_at),
        event_places=_event_places(doc, place_at),
    )


def sentence_of(token: Token) -> Span:
    """Return the sentence that holds ``token``."""
    return token.sent
