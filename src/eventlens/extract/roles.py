"""Who did what to whom: source and target actors of a trigger, read from the dependency tree.

Verbs: the subject is the source and the object the target ("Italy arrested ISIS members"); in
the passive the subject is the target and the "by" phrase the source ("Haqqani was killed").
A verb without its own subject borrows its controller's ("ISIS released a file criticising the
Taliban"). Nouns: the possessor, a compound or a "by" phrase is the source ("ISIS attack",
"attacks by the Islamic State"), an "on"/"against" phrase the target ("attack on Haqqani"), and a
light verb's subject the source ("the group conducted attacks").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Span, Token

from ..models import Actor, ActorRef
from .context import DocContext
from .lexicon import Cues

__all__ = ["Party", "attribution_parties", "distinct_parties", "find_parties", "phrase_actors",
           "prep_objects"]

SUBJECTS = ("nsubj", "csubj")
RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})
_REFERRING_PRONOUNS = frozenset({"it", "they", "he", "she", "we"})
PASSIVE_SUBJECTS = ("nsubjpass", "csubjpass")
OBJECTS = ("dobj", "obj", "attr")
# Dependents that belong to a noun phrase's identity; relative clauses and most prepositional
# phrases do not ("a man in the US" is a man; "the US" is where).
CORE_DEPS = frozenset({"compound", "amod", "poss", "nmod", "det", "nummod", "case", "quantmod",
                       "punct", "flat", "appos"})
GROUP_NOUNS = frozenset({"group", "organization", "organisation", "outfit", "militia",
                         "movement", "network", "faction", "jihadists", "militants"})
# "citizens of Tajikistan" says where people are from, not which actor they are.
NATIONALITY_NOUNS = frozenset({"citizen", "national", "resident", "native", "passport",
                               "origin", "descent", "nationality"})
AFFILIATION_NOUNS = frozenset({"member", "membership", "affiliate", "supporter", "fighter",
                               "militant", "loyalist", "operative", "commander", "leader",
                               "cell", "recruit"})


@dataclass(frozen=True, slots=True)
class Party:
    """An actor found in a role, with the token range it was read from."""

    role: str
    text: Optional[str]
    actor: Actor
    generic: bool
    start: int
    end: int

    def to_ref(self, role: Optional[str] = None) -> ActorRef:
        """Return the contract form of this party.

        role (str | None): override the role (e.g. "participant").
        RETURNS (ActorRef): the actor reference.
        """
        a = self.actor
        return ActorRef(role=role or self.role, text=self.text, name=a.name, id=a.id,
                        kind=a.kind, country=a.country, aliases=list(a.aliases))


def _core_tokens(head: Token) -> list[Token]:
    """Tokens that make up the noun phrase's identity (head, modifiers, "of" chains)."""
    out, stack = [], [head]
    while stack:
        tok = stack.pop()
        out.append(tok)
        for child in tok.children:
            if child.dep_ in CORE_DEPS:
                stack.append(child)
            elif child.dep_ == "prep" and child.lower_ == "of" and \
                    tok.lemma_.lower() not in NATIONALITY_NOUNS:
                stack.extend(c for c in child.children if c.dep_ == "pobj")
    return sorted(out, key=lambda t: t.i)


def _person_for(ctx: DocContext, head: Token, cues: Cues) -> Optional[Actor]:
    """A person not in the knowledge base: a proper name with a title or a PERSON entity, unless
    the place resolver read the name as a place ("convoys entered Idleb")."""
    if head.pos_ != "PROPN" or ctx.place(head) is not None:
        return None
    surname = head.text
    known = ctx.persons.get(surname.lower())
    if known:
        return Actor(id=f"person:{known.lower().replace(' ', '-')}", name=known, kind="person")
    titled = any(c.dep_ == "appos" and (c.lemma_.lower() in cues.person_titles
                                        or any(t.lemma_.lower() in cues.person_titles
                                               for t in c.subtree))
                 for c in head.children)
    if head.ent_type_ != "PERSON" and not titled:
        return None
    parts = [t for t in head.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
    name_tokens = sorted([*parts, head], key=lambda t: t.i)
    if name_tokens:
        span = ctx.doc[name_tokens[0].i: head.i + 1]
        name = span.text
    else:
        name = head.text
    ctx.persons.setdefault(surname.lower(), name)
    return Actor(id=f"person:{name.lower().replace(' ', '-')}", name=name, kind="person")


def phrase_actors(ctx: DocContext, head: Token, role: str, cues: Cues) -> list[Party]:
    """Resolve the noun phrase headed by ``head`` (and its conjuncts) to actors.

    ctx (DocContext): the document context.
    head (Token): head of the phrase (subject, object, pobj...).
    role (str): the role to give the parties.
    cues (Cues): cue lists (person titles).
    RETURNS (list[Party]): one party per conjunct that names an actor; may be empty.
    """
    parties: list[Party] = []
    for tok in [head, *head.conjuncts]:
        party = _phrase_actor(ctx, tok, role, cues)
        if party is not None and all(p.actor.name != party.actor.name for p in parties):
            parties.append(party)
    return parties


def _phrase_actor(ctx: DocContext, head: Token, role: str, cues: Cues) -> Optional[Party]:
    mention = ctx.actor(head)
    if mention is None:
        core = _core_tokens(head)
        hits = [ctx.actor(t) for t in core if ctx.actor(t) is not None]
        # "ISIS members": a group named as a modifier of the head; the nearest one stands for it.
        mention = hits[-1] if hits else None
        if mention is None and head.like_num and head.i + 1 < len(head.doc):
            # "killed 3 IS militants" parsed with "3" as the object and "IS" as a verb: the
            # number counts the actor named right after it.
            mention = ctx.actor(head.doc[head.i + 1])
    if mention is not None:
        return Party(role, mention.text, mention.actor, mention.generic,
                     mention.start, mention.end)
    if head.lemma_.lower() in GROUP_NOUNS and any(
            c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
        # "The group has conducted attacks": the group the article is about.
        topic = ctx.salient_group(head.i)
        if topic is not None:
            return Party(role, head.text, topic.actor, False, head.idx,
                         head.idx + len(head.text))
    person = _person_for(ctx, head, cues)
    if person is not None:
        return Party(role, head.text, person, False, head.idx, head.idx + len(head.text))
    return None


def affiliation(ctx: DocContext, tokens: Span, cues: Cues) -> Optional[Party]:
    """Find a group the target belongs to ("a member of ISIS", "membership in ISIS",
    "ISIS members").

    Read from the word order rather than the parse, because the parser often attaches the "of"
    or "in" phrase to a neighbouring noun.

    ctx (DocContext): the document context.
    tokens (Span): the tokens to search (usually the sentence).
    cues (Cues): cue lists.
    RETURNS (Party | None): the group as a target party, or None.
    """
    doc = tokens.doc
    for tok in tokens:
        if tok.lemma_.lower() not in AFFILIATION_NOUNS:
            continue
        window = [doc[i] for i in range(tok.i - 1, min(tok.i + 4, tokens.end))
                  if i >= tokens.start and i != tok.i]
        for other in window:
            mention = ctx.actor(other)
            if mention is None or mention.actor.kind != "group" or mention.generic:
                continue
            between = doc[min(tok.i, other.i) + 1: max(tok.i, other.i)]
            if other.i < tok.i or any(t.lower_ in ("of", "in", "with") for t in between):
                return Party("target", mention.text, mention.actor, False, mention.start,
                             mention.end)
    return None


def _controller_subject(tok: Token) -> Optional[Token]:
    """The subject a subject-less verb borrows: from the verb or noun that governs it. A
    pronoun subject on the way refers further up ("the government announced that it is
    prepared to impose martial law")."""
    cur = tok
    for _ in range(5):
        if cur.dep_ not in ("xcomp", "acl", "advcl", "conj", "pcomp", "dobj", "pobj", "prep",
                            "relcl", "acomp", "ccomp"):
            return None
        cur = cur.head
        subj = [c for c in cur.children if c.dep_ in SUBJECTS]
        if subj and subj[0].lower_ in _REFERRING_PRONOUNS and cur.dep_ == "ccomp":
            continue
        if subj:
            return subj[0]
    return None


def _as_antecedent(pronoun: Token, relcl: Token) -> Token:
    """The noun a relative pronoun stands for, when it is the clause's subject."""
    return relcl.head if pronoun.dep_ in (*SUBJECTS, *PASSIVE_SUBJECTS) else pronoun


def prep_objects(tok: Token, preps: tuple[str, ...]) -> list[Token]:
    """The objects of ``tok``'s prepositions among ``preps`` ("attack of [pro-Houthi forces]",
    "killed by [gunmen]")."""
    return [p for c in tok.children if c.dep_ in ("prep", "agent") and c.lower_ in preps
            for p in c.children if p.dep_ == "pobj"]


def find_parties(ctx: DocContext, trigger: Token, cues: Cues) -> tuple[list[Party], list[Party]]:
    """Return (sources, targets) for a trigger.

    ctx (DocContext): the document context.
    trigger (Token): the trigger word (verb or noun).
    cues (Cues): cue lists.
    RETURNS (tuple[list[Party], list[Party]]): source parties and target parties.
    """
    sources: list[Party] = []
    targets: list[Party] = []
    children = list(trigger.children)
    if trigger.pos_ in ("VERB", "AUX"):
        # An "auxpass" beside an active subject is a tagging slip ("IS militants attacked":
        # "IS" read as "is"); only a passive subject or a subject-less auxpass makes a passive.
        passive = any(c.dep_ in PASSIVE_SUBJECTS for c in children) or (
            any(c.dep_ == "auxpass" for c in children)
            and not any(c.dep_ in SUBJECTS for c in children))
        for c in children:
            dep = c.dep_
            if c.lower_ in RELATIVE_PRONOUNS and trigger.dep_ == "relcl":
                c = _as_antecedent(c, trigger)  # "protesters who gathered": the protesters
            if dep in SUBJECTS:
                sources += phrase_actors(ctx, c, "source", cues)
            elif dep in PASSIVE_SUBJECTS:
                targets += phrase_actors(ctx, c, "target", cues)
            elif dep in OBJECTS and not passive:
                targets += phrase_actors(ctx, c, "target", cues)
        for p in prep_objects(trigger, ("by",)):
            sources += phrase_actors(ctx, p, "source", cues)
        if not targets:
            for p in prep_objects(trigger, ("on", "against", "with")):
                targets += phrase_actors(ctx, p, "target", cues)
        own = [c for c in children if c.dep_ in SUBJECTS]
        if not sources and not passive and (not own or own[0].lower_ in _REFERRING_PRONOUNS):
            # Only a verb without a subject (or with a pronoun for one) borrows its
            # governor's: "a gas leak killed 11" has a subject of its own.
            subj = _controller_subject(trigger)
            if subj is not None:
                sources += phrase_actors(ctx, subj, "source", cues)
    else:
        for c in children:
            if c.dep_ in ("poss", "compound", "nmod") and ctx.actor(c):
                sources += phrase_actors(ctx, c, "source", cues)
        for p in prep_objects(trigger, ("by", "between", "among")):
            sources += phrase_actors(ctx, p, "source", cues)
        if not sources and trigger.dep_ in SUBJECTS:
            # "Clashes erupted between X and Y": the parties hang on the verb.
            for p in prep_objects(trigger.head, ("between", "among")):
                sources += phrase_actors(ctx, p, "source", cues)
        for p in prep_objects(trigger, ("on", "against", "targeting", "with")):
            targets += phrase_actors(ctx, p, "target", cues)
        if not sources:
            subj = _light_verb_subject(trigger, cues)
            if subj is not None:
                sources += phrase_actors(ctx, subj, "source", cues)
    return sources, targets


def attribution_parties(ctx: DocContext, trigger: Token,
                        cues: Cues) -> tuple[list[Party], list[Party]]:
    """Return (sources, targets) for a trigger that says where a threat comes from.

    "The CSTO has announced that the source of threats originates from Afghanistan soil": the
    accuser is the speaker of the statement that governs the trigger, the accused what its
    "from" phrase names; the trigger's own subject ("the source of threats") is neither.

    ctx (DocContext): the document context.
    trigger (Token): the trigger verb.
    cues (Cues): cue lists.
    RETURNS (tuple[list[Party], list[Party]]): source parties and target parties.
    """
    speaker = trigger
    while speaker.dep_ in ("ccomp", "conj") and speaker.head.i != speaker.i:
        speaker = speaker.head
    if speaker is trigger:
        # "Threats come from Afghanistan, the CSTO said": the statement is the sentence's root.
        root = trigger.sent.root
        speaker = root if any(c.i == trigger.i for c in root.children
                              if c.dep_ in ("ccomp", "parataxis")) else trigger
    sources: list[Party] = []
    if speaker is not trigger:
        for c in speaker.children:
            if c.dep_ in SUBJECTS:
                sources += phrase_actors(ctx, c, "source", cues)
    targets: list[Party] = []
    for p in prep_objects(trigger, ("from",)):
        targets += phrase_actors(ctx, p, "target", cues)
    return sources, targets


def _light_verb_subject(noun: Token, cues: Cues) -> Optional[Token]:
    """Subject of the verb a nominal trigger is the object of ("ISIS-K conducted attacks")."""
    cur = noun
    for _ in range(3):
        head = cur.head
        if head.i == cur.i:
            return None
        lemma = cues.lemma(head.lower_, head.lemma_)
        if head.pos_ in ("VERB", "AUX") and lemma in cues.light_verbs:
            subj = [c for c in head.children if c.dep_ in SUBJECTS and c.i != cur.i]
            if subj:
                return subj[0]
            if cur.dep_ in SUBJECTS:
                return None  # "The meeting took place": the trigger is the subject itself
            return _controller_subject(head) if head.dep_ in ("xcomp", "conj") else None
        if cur.dep_ not in ("dobj", "pobj", "prep", "acl", "compound"):
            return None
        cur = head
    return None


def distinct_parties(party: Party, other: Party) -> bool:
    """Whether two parties of one event are different actors (see ``EventExtractor._finish``)."""
    if party.actor.name != other.actor.name:
        return True
    return party.generic and other.generic and party.start != other.start
