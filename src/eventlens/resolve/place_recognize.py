"""Find place-name spans in a parsed document (the recognition half of the geoparser).

Sources, in order of trust: spaCy GPE/LOC/FAC entities; "X province" / "province of X" patterns
(which also give a feature hint); ORG/PERSON/NORP entities and bare capitalised words that the
gazetteer knows and the words around them place (a locative preposition, "near", a bare "in",
an area or office of a place, a road named after it, a container slot); parentheses of place
names and subdivision codes in a container slot ("(Salem, TN)"); and demonyms ("Afghan
forces"), which stand for their country.
"""

from __future__ import annotations

import functools
from typing import Iterable, NamedTuple

from spacy.attrs import ENT_IOB, ENT_TYPE, LOWER, ORTH, POS, SPACY
from spacy.strings import hash_string
from spacy.symbols import VERB as VERB_SYMBOL
from spacy.tokens import Doc, Span

from .demonyms import CURRENCY_WORDS, load_demonyms
from .gazetteer import KIND_ALIAS, KIND_ALTERNATE, KIND_PRIMARY, Gazetteer

__all__ = ["PlaceSpan", "TokenTable", "find_place_spans"]

# Words after (or before "of") a name that say what kind of place it is.
_HINTS = {
    **dict.fromkeys(("province", "provinces", "governorate", "governorates", "state", "states",
                     "region", "regions", "oblast", "prefecture", "department", "emirate"),
                    "admin1"),
    # Local names of second-level units: Nigeria's LGAs, South Asia's tehsils and upazilas,
    # Ethiopia's woredas, the raions of the former Soviet Union, francophone communes.
    **dict.fromkeys(("district", "districts", "county", "counties", "municipality", "parish",
                     "lga", "lgas", "tehsil", "upazila", "woreda", "raion", "rayon", "commune",
                     "payam", "taluk", "mandal", "township", "subdivision", "subdistrict",
                     "sub-district", "subcounty", "sub-county"),
                    "admin2"),
    **dict.fromkeys(("city", "cities", "town", "towns", "village", "villages", "capital"),
                    "city"),
}
# Features a type word admits ("X district" may be a district or the town it is named after).
_HINT_MATCH = {"admin1": ("admin1", "admin2"), "admin2": ("admin2", "city"), "city": ("city",)}
# Type words that name a county and nothing else (a "district" may be named after its town).
_COUNTY_WORDS = frozenset({"county", "counties", "parish", "parishes"})
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_MAYBE_PLACE_LABELS = {"ORG", "PERSON", "NORP"}
_ORG_LABELS = {"ORG", "FAC"}
_NUMERIC_LABELS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
# A product "named" after a major place is one only with its type word: "Hadramawt
# governorate" taken for a product.
_TYPED_ONLY_LABELS = {"PRODUCT"}
_USED_LABELS = _PLACE_LABELS | _MAYBE_PLACE_LABELS | _TYPED_ONLY_LABELS | {"EVENT"}
_LOCATIVE = {"in", "at", "near", "outside", "across", "into", "from", "throughout", "around",
             "towards", "toward", "to", "inside"}
# Prepositions that, unlike "in" or "at" ("in Congress", "at Google"), put only places after them.
_PLACING_PREPS = frozenset({"near", "outside"})
_DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
               "central", "northeast", "northwest", "southeast", "southwest", "northeastern",
               "northwestern", "southeastern", "southwestern", "north-east", "north-west",
               "south-east", "south-west", "north-eastern", "north-western", "south-eastern",
               "south-western", "upper", "lower", "greater"}
# Capitalised words that are also names of places in the major-name table but are far more
# often ordinary words, titles or given names in English news.
_COMMON_WORDS = {
    "central", "northern", "southern", "eastern", "western", "north", "south", "east", "west",
    "national", "capital", "centre", "center", "union", "independence", "liberty", "victory",
    "federal", "republic", "coast", "island", "islands", "lakes", "river", "upper", "lower",
    "middle", "new", "saint", "san", "santa", "mary", "george", "victoria", "may", "march",
    "nice", "reading", "police", "army", "government", "president", "minister", "islamic",
    "state", "province", "orient", "oriental", "sud", "nord", "est", "ouest", "mobile",
    "concord", "providence", "hope", "unity", "jordan", "chad", "georgia", "israel", "eden",
    "lincoln", "jackson", "washington", "houston", "charlotte", "florence", "marion", "milton",
    # institutions that are also hamlets' names ("a bill in Congress": Congress, Arizona)
    "congress", "parliament", "senate", "cabinet", "assembly", "council", "court", "ministry",
    "embassy", "church", "college", "university", "hospital", "airport", "prison",
}
# Lower-case words inside Romance, Arabic and Persian place names ("Mato Grosso do Sul", "Ain el
# Beida", the ezafe of "Kut e Abdollah").
_NAME_LINKS = frozenset({"do", "da", "dos", "das", "de", "del", "di", "du", "des", "el", "al",
                         "la", "le", "y", "e"})
# Lower-case linking words inside a hyphenated name ("Deir-ez-Zor", "Ras-al-Ain").
_HYPHEN_LINKS = frozenset({"al", "el", "ez", "ed", "es", "er", "et", "ad", "ar", "as", "an",
                           "az", "ash", "de", "e", "i", "o", "ul", "ur", "us"})
# Arabic articles that open a name ("Ad Dali", "As Suwayda").
_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "adh", "ath"})


class PlaceSpan(NamedTuple):
    """A candidate place mention before resolution.

    ``hint`` is the feature the text asks for ('admin1' after "province", 'city' after "town"),
    ``demonym_cc`` the country of a demonym, ``source`` where the span came from.
    """

    start: int
    end: int
    tok_start: int
    tok_end: int
    text: str
    hint: str | None
    demonym_cc: str | None
    source: str
    # Whether it follows a name and a comma or parenthesis, the slot of a container:
    # "Iguatu, Ceara", "Nafza (Beja)", even when the first name is unknown.
    slot: bool = False
    # The type word the text gives, singular ('state' in "Punjab state"), if any.
    type_word: str | None = None


class TokenTable:
    """Token attributes of one document as Python lists, read once with ``Doc.to_array``, for
    recognition and resolution alike: indexing a ``Doc`` builds a Python ``Token`` per access,
    which made recognition cost more than resolution.

    doc (Doc): a parsed document.
    """

    def __init__(self, doc: Doc) -> None:
        # Every column costs on every document (a lexeme flag such as IS_TITLE the most), so
        # only those read across the document are taken. Title case is read from the words
        # that have a capital; upper case, stop words, offsets and trailing spaces are read
        # per token, for the few tokens that ask.
        arr = doc.to_array([LOWER, ORTH, ENT_TYPE, POS, ENT_IOB])
        self._arr = arr
        self._doc = doc
        self._texts: dict[tuple[int, int], str] = {}
        self._spaces: list[bool] | None = None
        self.n = len(doc)
        self.strings = doc.vocab.strings
        self.lower = arr[:, 0]
        self.orth = arr[:, 1]
        self.lower_list: list[int] = self.lower.tolist()
        self.orth_list: list[int] = self.orth.tolist()
        self.propn = arr[:, 3] == doc.vocab.strings["PROPN"]
        propn = self.propn
        # The tokens with a capital letter (their lower-case form differs): the only ones
        # that can be title case, a demonym or a capitalised name.
        self.cased: list[int] = (self.lower != self.orth).nonzero()[0].tolist()
        title = [False] * self.n
        strings, orth = self.strings, self.orth_list
        for i in self.cased:
            word = strings[orth[i]]
            # "Dar'a", "Sa'dah": str.istitle reads the letter after the apostrophe as a word.
            if word.istitle() or propn[i] and word[:1].isupper() and ("'" in word or "’" in word):
                title[i] = True
        self.title_list: list[bool] = title
        self.ent_type = arr[:, 2]
        self.ent_list: list[int] = self.ent_type.tolist()
        self.iob = arr[:, 4]

    def is_stop(self, i: int) -> bool:
        """Whether token ``i`` is a stop word."""
        return self._doc[i].is_stop

    # Read only for the few tokens around candidate spans: converted on first use.
    @functools.cached_property
    def pos_list(self) -> list[int]:
        return self._arr[:, 3].tolist()

    def start_of(self, i: int) -> int:
        """Character offset of token ``i`` (read for the few tokens that bound a span)."""
        return self._doc[i].idx

    def end_of(self, i: int) -> int:
        """Character offset just after token ``i``."""
        return self._doc[i].idx + len(self.word(i))

    def space_after(self, i: int) -> bool:
        """Whether token ``i`` is followed by a space."""
        return self._space_list()[i]

    def _space_list(self) -> list[bool]:
        # Read on the first multi-word text: most documents have one, few need more. (A
        # plain attribute: a cached_property's lookup cost more than the list it guards.)
        spaces = self._spaces
        if spaces is None:
            spaces = self._spaces = self._doc.to_array(SPACY).astype(bool).tolist()
        return spaces

    def entities(self) -> list[tuple[int, int, str]]:
        """(start, end, label) of each named entity, as ``doc.ents`` without its Span objects."""
        iob = self.iob.tolist()
        out = []
        for start in (self.iob == _IOB_BEGIN).nonzero()[0].tolist():
            end = start + 1
            while end < self.n and iob[end] == _IOB_INSIDE:
                end += 1
            out.append((start, end, self.strings[self.ent_list[start]]))
        return out

    def low(self, i: int) -> str:
        """Lower-case form of token ``i``."""
        return self.strings[self.lower_list[i]]

    def lower_words(self, start: int, end: int) -> tuple[str, ...]:
        """Lower-case forms of tokens ``start`` to ``end`` (exclusive)."""
        strings, low = self.strings, self.lower_list
        return tuple([strings[low[k]] for k in range(start, end)])

    def word(self, i: int) -> str:
        """Verbatim text of token ``i``."""
        return self.strings[self.orth_list[i]]

    def text_of(self, start: int, end: int) -> str:
        """Text of tokens ``start`` to ``end`` (exclusive), as ``doc[start:end].text``, built
        from the tokens: ``Doc.text`` would build every token of the document."""
        if end - start == 1:
            return self.strings[self.orth_list[start]]
        # The same spans are read by several steps: each is built once.
        text = self._texts.get((start, end))
        if text is None:
            words, orth, space = self.strings, self.orth_list, self._space_list()
            text = self._texts[(start, end)] = "".join(
                [words[orth[k]] + " " if space[k] else words[orth[k]]
                 for k in range(start, end - 1)]
            ) + words[orth[end - 1]]
        return text


def _hint_around(table: TokenTable, start: int, end: int) -> str | None:
    """Feature hint from the word after the span, or from "province of" before it."""
    word = _type_word(table, start, end)
    return _HINTS[word] if word else None


def _type_word(table: TokenTable, start: int, end: int) -> str | None:
    """The type word after the span ("Kunar province"), before it ("province of Kunar"), or
    after the coordinated list it ends ("Nangarhar and Kunar provinces")."""
    n, low = table.n, table.lower_list  # word hashes: this runs for every entity
    if end < n and low[end] in _HINT_HASHES:
        word = _HINT_HASHES[low[end]]
        # A plural after one name is an adjective's noun ("the Arab cities"); after a list it
        # types the list ("Nangarhar and Kunar provinces").
        if not word.endswith("s") or start >= 1 and low[start - 1] in _LIST_LINKS:
            return word
    if start >= 2 and low[start - 1] == _OF and low[start - 2] in _HINT_HASHES and \
            not (start >= 3 and table.propn[start - 3]):
        # "the province of Kunar", "the Romanian county of Braila", but not "the Cacuaco
        # district of Angola" (whose district is named before its type word).
        return _HINT_HASHES[low[start - 2]]
    i = end
    while i + 1 < n and low[i] in _LIST_LINKS and table.title_list[i + 1]:
        i += 1
        while i < n and table.title_list[i]:
            i += 1
        if i < n and low[i] in _HINT_HASHES and _HINT_HASHES[low[i]].endswith("s"):
            return _HINT_HASHES[low[i]]
    return None


def _trim(table: TokenTable, start: int, end: int,
          gazetteer: Gazetteer | None = None) -> tuple[int, int, str | None]:
    """Token bounds without a leading "the", trailing "'s" or a trailing type word; the type
    word stays when the whole name is a gazetteer name itself ("Laurel County")."""
    low = table.lower_list
    while start < end and low[start] == _THE:
        start += 1
    if end - start > 2 and low[start] in _HINT_HASHES and low[start + 1] == _OF:
        start += 2  # "City of Cape Town", "Province of Kunar": the type word says it (below)
    while end > start and low[end - 1] in _POSSESSIVES:
        end -= 1
    hint = None
    if end - start > 1 and low[end - 1] in _HINT_HASHES:
        hint = _HINTS[_HINT_HASHES[low[end - 1]]]
        if gazetteer is None or not gazetteer.lookup(table.text_of(start, end)):
            end -= 1
    return start, end, hint


def _make(table: TokenTable, start: int, end: int, hint: str | None, source: str,
          demonym_cc: str | None = None) -> PlaceSpan:
    word = _type_word(table, start, end)
    return PlaceSpan(table.start_of(start), table.end_of(end - 1), start, end,
                     table.text_of(start, end),
                     hint or (_HINTS[word] if word else None) or _state_after_lga(table, start),
                     demonym_cc, source, _after_comma(table, start),
                     word[:-1] if word and word.endswith("s") else word)


def _state_after_lga(table: TokenTable, start: int) -> str | None:
    """'admin1' for the name in the slot after a Nigerian local government area ("Kagara
    (Rafi LGA, Niger)", "Rafi LGA (Niger)"): a state, not the country named like it."""
    return "admin1" if start >= 2 and table.word(start - 1) in (",", "(") and \
        table.lower_list[start - 2] in _LGA_HASHES else None


def _locative_before(table: TokenTable, start: int) -> bool:
    """Whether a locative preposition or an area noun and "of" precede the span."""
    return _area_of_before(table, start) or _preposition_before(table, start)


def _skip_back(table: TokenTable, start: int) -> int:
    """The token before the span, skipping directions and "the" ("in the western X")."""
    i, low = start - 1, table.lower_list
    while i >= 0 and (low[i] in _DIRECTION_HASHES or low[i] == _THE):
        i -= 1
    return i


def _area_of_before(table: TokenTable, start: int) -> bool:
    """Whether an area noun and "of" precede the span: "the countryside of Aleppo", "the
    outskirts of Mosul" (only places have a countryside or outskirts)."""
    i, low = _skip_back(table, start), table.lower_list
    return i >= 1 and low[i] == _OF and low[i - 1] in _AREA_HASHES


def _settlement_of_before(table: TokenTable, start: int) -> bool:
    """Whether "the town of", "the village of" or the like precedes the span."""
    return start >= 2 and table.lower_list[start - 1] == _OF and \
        table.lower_list[start - 2] in _SETTLEMENT_HASHES


_SETTLEMENT_HASHES = frozenset(hash_string(w) for w in (
    "town", "village", "city", "hamlet", "township", "municipality", "locality", "commune"))


def _of_before(table: TokenTable, start: int) -> bool:
    """Whether "of" precedes the span: "the teaching hospital of Thessaloniki" (a big city
    the model took for an organisation; an organisation's own name keeps its "of" inside).
    Only a major name as written counts: "members of Fatah" does not respell FATA."""
    return start >= 1 and table.lower_list[start - 1] == _OF


def _preposition_before(table: TokenTable, start: int) -> bool:
    i = _skip_back(table, start)
    return i >= 0 and table.lower_list[i] in _LOCATIVE_HASHES


def _entity_spans(table: TokenTable, gazetteer: Gazetteer) -> list[PlaceSpan]:
    out = []
    for ent_start, ent_end, label in table.entities():
        if label in _NUMERIC_LABELS:
            continue
        # An entity of any kind run over a list of places: "Nis, Serbia", "Dharkenley,
        # Banadir", "Sea Point (City of Cape Town", "Alagoinha, Pernambuco" read as a title.
        parts = _comma_parts(table, ent_start, ent_end, gazetteer) \
            if ent_end - ent_start > 2 else None
        if parts:
            source = "ner" if label in _PLACE_LABELS else "ner-relabel"
            out += [_make(table, a, b, None, source) for a, b in parts]
            continue
        if label not in _USED_LABELS:
            continue
        start, end, hint = _trim(table, ent_start, ent_end, gazetteer)
        if start >= end:
            continue
        if label in _MAYBE_PLACE_LABELS and start >= 1 and table.lower_list[start - 1] in _ARTICLE_HASHES \
                and table.title_list[start - 1]:
            start -= 1  # "(Qaatabah, Ad Dali)": the model left the article out
        if label in _PLACE_LABELS:
            if end - start == 1 and table.lower_list[start] in _DIRECTION_HASHES:
                continue  # "the East part of Cali": a direction, not a place called East
            if end - start > 1 and table.lower_list[end - 1] in _SEA_HASHES and \
                    not (hint or _type_word(table, start, end)) and not _known(
                        gazetteer, table.text_of(start, end), ("other",), kinds=_ANY_NAME):
                # "the Red Sea port of Hodeidah": the sea, not the Sudanese state named after
                # it (a type word asks for the state: "Red Sea state"); a sea the gazetteer
                # knows as a region ("the Mediterranean Sea") is kept.
                continue
            if label == "FAC" and table.lower_list[end - 1] in _WAY_HASHES and \
                    not gazetteer.lookup(table.text_of(start, end)):
                # "Donetsk Airport", "the Damboa road": a facility the gazetteer lacks, named
                # after the town it serves (a school or a lake need not be near its namesake).
                out += _embedded_spans(table, start, end, gazetteer, cities=True)
                continue
            head = _hyphen_head(table, start, end, gazetteer)
            out.append(head or _make(table, start, end, hint, "ner"))
            continue
        text = table.text_of(start, end)
        word = None if hint else _type_word(table, start, end)
        typed = hint or (_HINTS[word] if word else None)
        # A demonym before a type word names a subdivision: "Somali region", "Afar region".
        if label in _MAYBE_PLACE_LABELS and (typed or not _is_demonym(text)):
            # What the words around say, each read once (most entities here are people and
            # organisations, and every test below is tried on them).
            area = _area_of_before(table, start)
            loc = area or _preposition_before(table, start)
            comma = _after_comma(table, start)
            near = _near_before(table, start)
            nxt = table.word(end) if end < table.n else ""
            if (typed or loc or comma
                    or label == "PERSON" and _verb_before(table, start, end)) \
                    and gazetteer.is_major_name(text) or \
                    label == "ORG" and _of_before(table, start) and \
                    gazetteer.is_major_name(text, respelt=False):
                out.append(_make(table, start, end, hint, "ner-relabel"))
            elif typed and len(text) >= (3 if hint else 4) and any(
                    c.kind < 2 and c.entry.feature in _HINT_MATCH[typed] and
                    (c.entry.feature == "admin2" or word not in _COUNTY_WORDS)
                    for c in _typed_candidates(gazetteer, text, typed)):
                # "Nabha district", "Tachira state": the model took a place followed by its
                # type word for an organisation or a person; the type word says otherwise.
                out.append(_make(table, start, end, hint, "pattern"))
            elif (near or nxt in ("(", ",") and (loc or comma) or nxt == ")" and comma
                    or _bare_in_before(table, start)
                    and not (end < table.n and table.lower_list[end] in _POSSESSIVES)
                    or _way_after(table, end)
                    or area) and \
                    len(text) >= 5 and table.low(start) not in _COMMON_WORDS and (
                        _known(gazetteer, text, ("city",))
                        or gazetteer.respelling(text, towns=True) is not None):
                # "explosions near Novooleksandrivka", "in Deoband (UP)", "the countryside of
                # Tell Abiad": a town (by its own or a curated name) the model took for a
                # name, placed by a preposition that only places, by the parenthesis of its
                # subdivision, by an area of it, or by a bare "in".
                out.append(_make(table, start, end, hint, "ner-relabel"))
            elif near and (head := _hyphen_head(table, start, end, gazetteer)) is not None:
                out.append(head)  # "near Donetsk-Kirovskyi" taken for a person
            elif label in _ORG_LABELS:
                out += _embedded_spans(table, start, end, gazetteer)
        elif label in _TYPED_ONLY_LABELS:
            if typed and gazetteer.is_major_name(text):
                out.append(_make(table, start, end, hint, "ner-relabel"))
        elif label == "EVENT":
            # "the Paris Olympics", "the Moscow Summit": an event named after its host city.
            out += _embedded_spans(table, start, end, gazetteer, cities=True)
    return out


def _comma_parts(table: TokenTable, start: int, end: int,
                 gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """An entity the model ran over a comma, parenthesis or "in" ("Nis, Serbia", "Dharkenley,
    Banadir", "Saraqab in Idleb") as its parts that are gazetteer names, when every part is one, or the last is a
    major name (a country, subdivision or big city: the container), or the last two are
    names; otherwise nothing."""
    if end - start < 3:
        return []  # no room for two parts and a break between them
    commas = [k for k in range(start + 1, end - 1) if table.orth_list[k] in _PART_BREAKS]
    if not commas:
        return []
    bounds = [start, *commas, end]
    parts = [_trim(table, a + (a != start), b, gazetteer)[:2]
             for a, b in zip(bounds, bounds[1:])]
    return _place_list(table, parts, gazetteer)


def _place_list(table: TokenTable, parts: list[tuple[int, int]],
                gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """The parts of a list that are places, when every part is a gazetteer name, or the last
    is a major name (a country, subdivision or big city: the container of the others), or
    the last two are names (a place and its container: "Bambofa (Dori, Seno"); otherwise
    none. Unknown villages before a known container are common in conflict reports."""
    named = [(a, b) for a, b in parts if b > a and (
        gazetteer.lookup(text := table.text_of(a, b)) or gazetteer.is_major_name(text))]
    if len(named) == len(parts) or named[-1:] == parts[-1:] and (
            _is_container(gazetteer, table.text_of(*parts[-1])) or named[-2:] == parts[-2:]):
        return named
    return []


def _is_container(gazetteer: Gazetteer, text: str) -> bool:
    """Whether a name can hold the places listed before it: a major name, or the exact name
    of a second-level subdivision ("Diguel (Diguel, Soum)": Soum is a province of Burkina
    Faso, under the size of a major name)."""
    return gazetteer.is_major_name(text) or _known(gazetteer, text, ("admin2",), kinds=_OWN_NAME)


def _near_before(table: TokenTable, start: int) -> bool:
    """Whether a preposition that only places things precedes the span ("near X")."""
    return start >= 1 and table.lower_list[start - 1] in _PLACING_HASHES


def _verb_before(table: TokenTable, start: int, end: int) -> bool:
    """Whether a verb right before the span takes it as its object: "convoys entered Idleb"
    (for a major place name the model took for a person; not "met Jordan", a common word,
    nor "visited Chad's house")."""
    return start >= 1 and table.pos_list[start - 1] == _VERB and \
        table.low(start) not in _COMMON_WORDS and \
        not (end < table.n and table.lower_list[end] in _POSSESSIVES)


def _way_after(table: TokenTable, end: int) -> bool:
    """Whether a road word follows the span: "the Zahle roundabout", "an Akkar road"."""
    return end < table.n and table.lower_list[end] in _ROAD_HASHES


def _known(gazetteer: Gazetteer, text: str, features: tuple[str, ...], *,
           kinds: tuple[int, ...] = (KIND_PRIMARY, KIND_ALIAS), min_population: int = 0) -> bool:
    """Whether the gazetteer has a place of one of ``features`` called ``text`` by a name of
    one of ``kinds`` (by default its own or a curated name, not a GeoNames alternate), with
    at least ``min_population`` people."""
    return any(c.kind in kinds and c.entry.feature in features
               and c.entry.population >= min_population
               for c in gazetteer.candidates(gazetteer.key(text)))


def _typed_candidates(gazetteer: Gazetteer, text: str, typed: str) -> tuple:
    """Candidates for a name the text follows with a type word: by its own name, else by a
    town or major name it respells ("Mahabubnagar city" for Mahbubnagar); the type word
    makes it a place, which licenses the respelling of a town."""
    found = gazetteer.candidates(gazetteer.key(text))
    if any(c.entry.feature in _HINT_MATCH[typed] for c in found):
        return found
    respelt = gazetteer.respelling(text, towns=True)
    return gazetteer.candidates(respelt) if respelt else found


def _bare_in_before(table: TokenTable, start: int) -> bool:
    """Whether "in" or "at" right after a verb or noun precedes the span: "gathered in Zahle",
    "a protest in Qorveh" (taken for a person or a people). Things are rarely "in" or "at" a
    person; "in Smith's view" is excluded by the caller's possessive check."""
    return start >= 2 and table.lower_list[start - 1] in _IN_AT and \
        not table.title_list[start - 2] and table.lower_list[start - 2] not in _STAKE_HASHES


def _after_comma(table: TokenTable, start: int) -> bool:
    """Whether the span opens a container slot: "Nafza (Nefza, Beja)", "Madurai, TN",
    "Puli Alam district, Logar", "Baghlani Jadid (Baghlan Markazi), Baghlan"."""
    orth, low = table.orth_list, table.lower_list
    return start >= 2 and orth[start - 1] in _COMMA_OR_PAREN and (
        orth[start - 2] != low[start - 2] or low[start - 2] in _HINT_HASHES
        or orth[start - 2] == _CLOSE_PAREN)


def _embedded_spans(table: TokenTable, start: int, end: int, gazetteer: Gazetteer,
                    cities: bool = False) -> list[PlaceSpan]:
    """A country or first-level subdivision that opens an organisation's name ("Texas
    Department of Health", "Ohio State University"), a subdivision named with its type word
    ("Edgar County Community Foundation"), or with ``cities`` a major city that opens an
    event's name ("Paris Olympics"): the longest such prefix."""
    for stop in range(min(end - 1, start + 3), start, -1):
        if not all(table.title_list[k] or table.word(k).isupper() for k in range(start, stop)):
            continue
        typed = stop - start > 1 and _HINTS.get(table.low(stop - 1)) in ("admin1", "admin2")
        if not typed and stop - start > 1 and _no_major_name_ends(table, gazetteer, stop):
            continue  # not a major name (below), told without building the text
        text = table.text_of(start, stop)
        if gazetteer.key(text) in _COMMON_WORDS or _is_demonym(text):
            continue
        if typed and _known(gazetteer, text, ("admin1", "admin2")):
            return [_make(table, start, stop, None, "embedded")]
        features = ("country", "admin1", "city") if cities else ("country", "admin1")
        if not gazetteer.is_major_name(text, respelt=False):
            continue  # every country and subdivision name is a major name: no lookup needed
        if _known(gazetteer, text, features):
            return [_make(table, start, stop, None, "embedded")]
    return []


def _hyphen_head(table: TokenTable, start: int, end: int,
                 gazetteer: Gazetteer) -> PlaceSpan | None:
    """The town that opens a hyphenated name the gazetteer lacks: a numbered part of a
    settlement ("Zolote-5") or a district of a city ("Donetsk-Kirovskyi"); None otherwise.
    The town must be a town the gazetteer knows by that exact name."""
    text = table.text_of(start, end)
    cut = text.find("-")
    if cut < 4 or gazetteer.lookup(text):
        return None
    head = text[:cut].rstrip()
    if gazetteer.key(head) in _COMMON_WORDS or \
            not _known(gazetteer, head, _TOWNS, kinds=_OWN_NAME):
        return None
    # The head ends inside the first token ("Zolote-5") or at the hyphen token.
    stop = start + 1
    while stop < end and table.end_of(stop - 1) < table.start_of(start) + cut:
        stop += 1
    return PlaceSpan(table.start_of(start), table.start_of(start) + len(head), start, stop, head,
                     _hint_around(table, start, end), None, "ner", _after_comma(table, start))


def _is_demonym(text: str) -> bool:
    return text.lower() in load_demonyms()


_OPEN_PAREN, _COMMA = hash_string("("), hash_string(",")
# How many tokens before a subdivision code the place it qualifies may end ("Pipri, Kaushambi
# (UP)": Pipri ends four tokens before UP).
_CODE_REACH = 5
_HYPHEN = hash_string("-")
_VERB = int(VERB_SYMBOL)  # POS values are symbol ids, not string hashes
# Hashes of the words the recognisers test at every entity, compared with the document's
# lower-case word hashes without building strings.
_HINT_HASHES = {hash_string(w): w for w in _HINTS}
_DIRECTION_HASHES = frozenset(hash_string(w) for w in _DIRECTIONS)
_LOCATIVE_HASHES = frozenset(hash_string(w) for w in _LOCATIVE)


def _hashes(words: Iterable[str]) -> frozenset[int]:
    """String-store hashes of ``words``: the hot paths test a token's hash against these
    instead of reading its text."""
    return frozenset(hash_string(w) for w in words)


_ARTICLE_HASHES = _hashes(_ARTICLES)
_PLACING_HASHES = _hashes(_PLACING_PREPS)
_NAME_LINK_HASHES = _hashes(_NAME_LINKS)
_COMMON_HASHES = _hashes(_COMMON_WORDS)
_CURRENCY_HASHES = _hashes(CURRENCY_WORDS)
_COMMA_OR_PAREN = _hashes((",", "("))
_PART_BREAKS = _hashes((",", "(", "in"))
_CLOSE_PAREN = hash_string(")")
_POSSESSIVES = frozenset(hash_string(w) for w in ("'s", "’s", "'", "’"))
_LIST_LINKS = frozenset(hash_string(w) for w in (",", "and"))
_THE, _OF = hash_string("the"), hash_string("of")
_IN_AT = frozenset(hash_string(w) for w in ("in", "at"))
_LGA_HASHES = frozenset(hash_string(w) for w in ("lga", "lgas"))
# Words whose "in" takes a person or an organisation, not a place: "confidence in Obama",
# "shares in Nokia", "a role in Hamas".
_STAKE_HASHES = frozenset(hash_string(w) for w in (
    "confidence", "faith", "trust", "belief", "interest", "interests", "stake", "stakes",
    "share", "shares", "stock", "investment", "investments", "invest", "invested", "role",
    "part", "involvement", "participation", "membership", "member", "members", "seat", "seats",
    "position", "positions", "job", "jobs", "career", "hope", "hopes", "pride", "disappointment",
    "support", "opposition", "believe", "believed", "believes", "rank", "ranks"))

_AREA_HASHES = frozenset(hash_string(w) for w in (
    "countryside", "outskirts", "suburbs", "vicinity", "environs", "outskirt", "periphery",
    "west", "east", "north", "south", "centre", "center", "city", "town", "province",
    "village", "villages", "suburb", "neighborhood", "neighbourhood",
    # "Holosiivskyi district of Kyiv": the district is named, its container follows "of"
    "district", "region", "governorate", "county",
    # "the Mayor of Tyr", "residents of Qorveh": offices and people of a place
    "mayor", "governor", "municipality", "residents", "inhabitants", "villagers"))
# Roads and squares named after a town ("the Zahle roundabout", "the Tripoli highway").
_ROADS = frozenset({"road", "highway", "roundabout", "bridge", "junction", "intersection",
                    "crossroads", "motorway", "expressway"})
_ROAD_HASHES = _hashes(_ROADS)
_WAYS = frozenset({"airport", "airbase", "road", "highway", "bridge", "checkpoint", "crossing",
                   "railway", "port", "harbour", "harbor", "station", "mine", "plant"})
_WAY_HASHES = _hashes(_WAYS)
# Name kinds _known accepts: the place's own name only, or any name.
_OWN_NAME, _ANY_NAME = (KIND_PRIMARY,), (KIND_PRIMARY, KIND_ALIAS, KIND_ALTERNATE)
_TOWNS = ("city", "admin1", "admin2")
# The least population of a town taken, unrecognised, from the slot after "<place>, ".
_SLOT_TOWN_POP = 20_000
_SEAS = frozenset({"sea", "ocean"})
_SEA_HASHES = _hashes(_SEAS)
_SPONSORED = frozenset({"led", "backed", "supported", "sponsored", "funded", "aligned"})
_IOB_INSIDE, _IOB_BEGIN = 1, 3  # spaCy's ENT_IOB codes: 1 inside, 2 outside, 3 begins
_SKIP_DEMONYM_ENTS = ("PERSON", "ORG", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT")


def _demonym_spans(table: TokenTable, taken: set[int]) -> list[PlaceSpan]:
    demonyms = load_demonyms()
    # A demonym is capitalised: only tokens with an upper-case letter are looked up.
    keys, low = _demonym_hashes(), table.lower_list
    hits = [i for i in table.cased if low[i] in keys]
    skip = _skip_hashes()
    out = []
    for i in hits:
        if i in taken or not table.word(i)[:1].isupper() or table.ent_list[i] in skip:
            continue
        if i + 2 < table.n and table.word(i + 1) == "-" and table.low(i + 2) in _SPONSORED:
            continue  # "Saudi-led coalition airstrikes" in Yemen: who backs it, not where
        if i + 1 < table.n and _HINTS.get(table.low(i + 1)) in ("admin1", "admin2"):
            continue  # "Somali region" is Ethiopia's, not Somalia (see _entity_spans)
        word = table.low(i)
        cc = demonyms.get(word) or (demonyms.get(word[:-1]) if word.endswith("s") else None)
        if cc:
            out.append(_make(table, i, i + 1, None, "demonym", cc))
    return out


def _positions(values: list[int], keys: frozenset[int]) -> list[int]:
    """Indices of the ``values`` (token hashes) that are in ``keys`` (a set lookup per token
    costs less than a sorted search with numpy on documents this size)."""
    return [i for i, value in enumerate(values) if value in keys]


@functools.cache
def _demonym_hashes() -> frozenset[int]:
    """Hashes of every demonym and its plural ("Afghans")."""
    demonyms = load_demonyms()
    return _hashes(set(demonyms) | {w + "s" for w in demonyms})


@functools.cache
def _skip_hashes() -> frozenset[int]:
    return frozenset(hash_string(label) for label in _SKIP_DEMONYM_ENTS)


def _container_slot(table: TokenTable, i: int, taken: set[int]) -> bool:
    """Whether token ``i`` follows a recognised place, or a name, and a comma: "near Mariupol,
    Donetsk", "in Buenos Aires, Nuevo Chimbote, Ancash" (a village the gazetteer lacks)."""
    return i >= 2 and table.word(i - 1) == "," and (
        (i - 2) in taken or table.title_list[i - 2] or table.lower_list[i - 2] in _HINT_HASHES)


def _capitalised_spans(gazetteer: Gazetteer, table: TokenTable,
                       taken: set[int]) -> list[PlaceSpan]:
    """Runs of capitalised proper nouns outside any entity that name a major place, or any
    gazetteer place when a type word follows ("Kunar province")."""
    # Title-case proper nouns outside entities: only tokens with a capital can be one.
    title, propn, ents = table.title_list, table.propn, table.ent_list
    starts = [i for i in table.cased if title[i] and not ents[i] and propn[i]]
    ok = [False] * table.n
    for i in starts:
        ok[i] = True
    out = []
    n = table.n
    i = 0
    for i0 in starts:
        if i0 < i or i0 in taken:
            continue
        i = j = i0
        while j < n and j - i < 6 and ok[j] and j not in taken:  # 4 words over hyphens
            j += 1
            if j + 1 < n and table.orth_list[j] == _HYPHEN and ok[j + 1] and \
                    not table.space_after(j - 1) and not table.space_after(j):
                j += 1  # "Ar-Raqqa", "As-Sweida": one name over a hyphen
            elif j + 3 < n and table.orth_list[j] == _HYPHEN and table.orth_list[j + 2] == _HYPHEN \
                    and table.low(j + 1) in _HYPHEN_LINKS and ok[j + 3] and \
                    not any(table.space_after(k) for k in range(j - 1, j + 3)):
                j += 3  # "Deir-ez-Zor", "Ras-al-Ain": a linking word between two hyphens
            if j < n and not table.space_after(j - 1) and (w := table.word(j))[:1] in ("'", "’") \
                    and w[1:].isalpha():
                j += 1  # "Dar'a", "Sa'dah": the tokenizer split the name at its apostrophe
        text = table.text_of(i, j)
        hint = _hint_around(table, i, j)
        common = j - i == 1 and (table.low(i) in _COMMON_WORDS or table.is_stop(i))
        if len(text) >= 4 and not common:
            if hint and gazetteer.lookup(text):
                out.append(_make(table, i, j, hint, "pattern"))
            elif (_locative_before(table, i) or _container_slot(table, i, taken)) and \
                    gazetteer.is_major_name(text):
                out.append(_make(table, i, j, None, "gazetteer"))
            elif _container_slot(table, i, taken) and (i - 2) in taken and _known(
                    gazetteer, text, ("city", "admin2"), kinds=_OWN_NAME,
                    min_population=_SLOT_TOWN_POP):
                # "in Jalalpur, Shamli (UP)": a district's seat after a recognised place
                out.append(_make(table, i, j, None, "gazetteer"))
            elif _way_after(table, j) and _known(gazetteer, text, _TOWNS):
                # "blocked the Zahle roundabout", "the Halba highway": a road named after
                # the town it runs through or from.
                out.append(_make(table, i, j, None, "gazetteer"))
        i = j
    return out


def _settlement_spans(gazetteer: Gazetteer, table: TokenTable,
                      taken: set[int]) -> list[PlaceSpan]:
    """Capitalised names after "the town of", "the village of" ... that name a town of the
    gazetteer, whatever the model made of them ("stormed the town of Kafr Qaddum", with
    "Kafr" taken for a people)."""
    out = []
    # Only a capitalised word after "of" can follow "the town of": start from the "of"s.
    for of in (table.lower == _OF).nonzero()[0].tolist():
        i = of + 1
        if i >= table.n or not table.title_list[i] or i in taken or \
                not _settlement_of_before(table, i):
            continue
        j = i
        while j < table.n and j - i < 4 and table.title_list[j] and j not in taken:
            j += 1
        # The longest run of the words that is a town: "Kafr Qaddum" before "Kafr".
        for end in range(j, i, -1):
            if len(text := table.text_of(i, end)) >= 4 and _known(gazetteer, text, _TOWNS):
                out.append(_make(table, i, end, None, "gazetteer"))
                break
    return out


def _parenthesis_spans(gazetteer: Gazetteer, table: TokenTable,
                       taken: set[int], codes: set[int]) -> list[PlaceSpan]:
    """Places named in a parenthesis of place names, the way conflict reports give the
    district and province of a village: "in Takalout (Kidal)", "Bossaso town (Bossaso, Bari)".
    Every comma-separated part must be capitalised, and the parts taken are those
    :func:`_place_list` accepts: "(Anzourou, Tillaberi)" gives Tillaberi alone. A last part
    that is a subdivision code (``codes``: "(Nellore, AP)") is the container; the parts
    before it are kept when the gazetteer knows them."""
    out: list[PlaceSpan] = []
    n = table.n
    for i0 in (table.orth == _OPEN_PAREN).nonzero()[0].tolist():
        if i0 + 2 >= n:
            continue
        close = i0 + 1
        while close < n and close - i0 <= 8 and table.word(close) not in ("(", ")"):
            close += 1
        if close >= n or table.word(close) != ")":
            continue
        parts, start = [], i0 + 1
        for i in range(i0 + 1, close + 1):
            if i == close or table.word(i) == ",":
                parts.append((start, i))
                start = i + 1
        coded = len(parts) > 1 and parts[-1][1] - parts[-1][0] == 1 and parts[-1][0] in codes
        if coded:
            parts = parts[:-1]
        if not all(b > a and all(table.title_list[k] or table.word(k).isupper()
                                 or table.word(k) == "-" for k in range(a, b))
                   and not any(k in taken for k in range(a, b)) for a, b in parts):
            continue
        if len(parts) == 1 or coded:
            found = [part for part in parts if gazetteer.lookup(table.text_of(*part))]
        else:
            found = _place_list(table, parts, gazetteer)
        out += [_make(table, a, b, None, "parenthesis") for a, b in found]
    return out


def _code_spans(gazetteer: Gazetteer, table: TokenTable, spans: list[PlaceSpan],
                taken: set[int]) -> list[PlaceSpan]:
    """Subdivisions given by their ISO 3166-2 code in the container slot of a place: "Salem
    city (Salem, TN)", "Pipri, Kaushambi (UP)", "Madurai, TN". The code must be one of a
    subdivision of a country where a place named just before it lies, so "WASHINGTON (AP)"
    (the agency) is no place: no US subdivision has the code AP."""
    out: list[PlaceSpan] = []
    # A code follows a comma or an opening parenthesis (see _after_comma).
    for i in ((table.orth == _COMMA) | (table.orth == _OPEN_PAREN)).nonzero()[0].tolist():
        i += 1
        if i >= table.n or i in taken or not 2 <= len(word := table.word(i)) <= 3 \
                or not word.isalpha() or not word.isupper() or not _after_comma(table, i) \
                or i + 1 < table.n and table.word(i + 1) not in (")", ",", "."):
            continue
        entries = gazetteer.subdivisions_coded(word)
        if not entries:
            continue
        paren = _open_parenthesis(table, i)
        names = [span.text for span in spans if 0 < i - span.tok_end + 1 <= _CODE_REACH
                 # "Mangaluru city (Dakshina Kannada, KN)": the place the list belongs to
                 or paren >= 0 and 0 <= paren - span.tok_end <= 1]
        names += [table.word(k) for k in range(max(0, i - _CODE_REACH), i)
                  if table.title_list[k] and k not in taken]  # "(Nellore, AP)"
        before = {c.entry.country for name in names
                  for c in gazetteer.candidates(gazetteer.key(name))}
        # Without a known place before it, a code that closes a parenthesised container list
        # is still one ("(Prakasam, AP)"); a known place of another country rules it out
        # ("(Bengaluru, KN)" is no Kinshasa).
        if any(e.country in before for e in entries) or \
                not before and paren >= 0 and _closes(table, i, paren):
            out.append(_make(table, i, i + 1, "admin1", "code"))
    return out


def _open_parenthesis(table: TokenTable, i: int) -> int:
    """The index of the "(" that opens the parenthesised list token ``i`` ends after a comma
    ("(Prakasam, AP)"), or -1."""
    if table.word(i - 1) != ",":
        return -1
    for k in range(i - 2, max(-1, i - 2 - _CODE_REACH), -1):
        if table.word(k) == "(":
            return k
        if table.word(k) == ")":
            return -1
    return -1


def _closes(table: TokenTable, i: int, paren: int) -> bool:
    """Whether token ``i`` closes the parenthesised container list opened at ``paren`` with a
    capitalised name first: "(Prakasam, AP)" names a subdivision by its code even when the
    gazetteer knows no place before it (an agency's credit stands alone: "(AP)")."""
    return i + 1 < table.n and table.word(i + 1) == ")" and paren + 1 < i - 1 and \
        table.title_list[paren + 1]


def _discourse_spans(spans: list[PlaceSpan], table: TokenTable,
                     taken: set[int]) -> list[PlaceSpan]:
    """Other capitalised occurrences of a name already recognised as a place in the same
    document (one sense per discourse): "Alexandria police" after "in Alexandria"."""
    names: dict[str, int] = {}
    for span in spans:
        if span.source in ("ner", "pattern", "ner-relabel") and span.demonym_cc is None:
            names.setdefault(span.text, span.tok_end - span.tok_start)
    out: list[PlaceSpan] = []
    if not names:
        return out
    first = {text.split()[0] for text in names}
    person = table.strings["PERSON"]
    keys, orth = _hashes(first), table.orth_list
    if all(word != word.lower() for word in first):
        hits = [i for i in table.cased if orth[i] in keys]  # a capital: only cased tokens
    else:
        hits = _positions(orth, keys)
    for i in hits:
        if i in taken or int(table.ent_type[i]) == person:
            continue
        word = table.word(i)
        for text, size in names.items():
            end = i + size
            # A name that does not open with the word cannot be spelt from it on: its text
            # need not be built.
            if end <= table.n and text.startswith(word) and table.text_of(i, end) == text and \
                    not any(k in taken for k in range(i, end)):
                out.append(_make(table, i, end, None, "discourse"))
                taken.update(range(i, end))
                break
    return out


def _extend_left(table: TokenTable, gazetteer: Gazetteer, span: PlaceSpan) -> PlaceSpan:
    """Take in a capitalised word before the span when the two together are a major name the
    model split ("Baja" + "California" is Baja California, Mexico), or a word and a linking
    word when together they are a name of the gazetteer ("Pul-e" + "Khumri")."""
    i = span.tok_start - 1
    if i >= 1 and table.lower_list[i] in _NAME_LINK_HASHES and not span.demonym_cc:
        # "Pul-e Khumri", "Ain el Beida": the model took only the word after the link.
        j = i - 2 if table.orth_list[i - 1] == _HYPHEN else i - 1
        if j >= 0 and table.title_list[j] and any(
                c.kind < 2 for c in gazetteer.candidates(
                    gazetteer.key(table.text_of(j, span.tok_end)))):
            # ... and then perhaps a word before that ("Northern" + "Bahr el Ghazal").
            return _extend_left(table, gazetteer,
                                _make(table, j, span.tok_end, span.hint, span.source))
    if i < 0 or not table.title_list[i] or span.demonym_cc:
        return span
    label = table.strings[table.ent_list[i]]
    if table.lower_list[i] in _ARTICLE_HASHES or label not in ("PERSON", "ORG") and \
            table.lower_list[i] not in _COMMON_HASHES and not table.is_stop(i):
        # "Tarn" + "Taran", "Ad" (an Arabic article) + "Dali": a word the model left out
        # that makes, with the span, a town of the gazetteer by its own or a curated name.
        if any(c.kind < 2 for c in gazetteer.candidates(
                gazetteer.key(table.text_of(i, span.tok_end)))):
            return _extend_left(table, gazetteer,
                                _make(table, i, span.tok_end, span.hint, span.source))
    if label in ("PERSON", "ORG"):
        return span
    if not gazetteer.is_major_name(table.text_of(i, span.tok_end), respelt=False):  # no query
        return span
    # ... and then perhaps one more ("Northern" + "Bahr" + "el Ghazal").
    return _extend_left(table, gazetteer, _make(table, i, span.tok_end, span.hint, span.source))


def _no_major_name_ends(table: TokenTable, gazetteer: Gazetteer, stop: int) -> bool:
    """Whether a text of two or more words ending at token ``stop`` (exclusive) is surely no
    major name: its last word follows a space and ends no major name. Told from that word
    alone, without building and folding the text."""
    return table.space_after(stop - 2) and not gazetteer.may_end_major_name(table.word(stop - 1))


def _extend_right(table: TokenTable, gazetteer: Gazetteer, span: PlaceSpan) -> PlaceSpan:
    """Take in up to four words after the span when they complete a name the model cut short
    ("Mato Grosso" + "do Sul", "Sao Sebastiao" + "da Boa Vista", "Kohgiluyeh" + "and
    Boyer-Ahmad")."""
    linked = span.tok_end < table.n and table.lower_list[span.tok_end] in _NAME_LINK_HASHES
    if not any(table.title_list[span.tok_end:span.tok_end + 4]):
        return span  # no capitalised word to end a longer name on
    for stop in range(min(table.n, span.tok_end + 4), span.tok_end, -1):
        if not table.title_list[stop - 1]:
            continue
        if not linked and _no_major_name_ends(table, gazetteer, stop):
            continue  # no need to build the text
        text = table.text_of(span.tok_start, stop)
        # Any gazetteer name when a linking word follows ("Sao Sebastiao" + "da Boa Vista"),
        # else only major names, which need no query.
        if gazetteer.is_major_name(text, respelt=False) or linked and any(
                c.kind < 2 for c in gazetteer.candidates(gazetteer.key(text))):
            return _make(table, span.tok_start, stop, span.hint, span.source)
    return span


# Words that open the name of a neighbourhood or village unit in Spanish, Portuguese and
# Philippine usage: "Colonia Centenario" is a neighbourhood of Tijuana, not Cologne (Colonia),
# "Barangay San Roque" a village, not a town called Barangay.
_NEIGHBOURHOOD_WORDS = frozenset({"colonia", "barrio", "bairro", "barangay", "fraccionamiento",
                                  "vereda", "corregimiento", "aldea", "caserio"})
_NEIGHBOURHOOD_HASHES = _hashes(_NEIGHBOURHOOD_WORDS)


def _neighbourhood(table: TokenTable, span: PlaceSpan) -> bool:
    """Whether a span opens with a neighbourhood word followed by the unit's own name (inside
    the span or right after it: "Colonia 3 de Mayo")."""
    if table.lower_list[span.tok_start] not in _NEIGHBOURHOOD_HASHES:
        return False
    if span.tok_end - span.tok_start > 1:
        return True
    nxt = span.tok_end
    return nxt < table.n and (table.title_list[nxt] or table.word(nxt).isdigit())


def find_place_spans(doc: Doc, gazetteer: Gazetteer,
                     table: TokenTable | None = None) -> list[PlaceSpan]:
    """Candidate place spans of ``doc``, non-overlapping, in text order.

    doc (Doc): a document parsed by a pipeline with a tagger and NER.
    gazetteer (Gazetteer): used to accept names the NER model missed or mislabelled.
    table (TokenTable | None): the document's token table, when the caller has one.
    RETURNS (list[PlaceSpan]): spans with token and character offsets into ``doc``.
    """
    table = table if table is not None else TokenTable(doc)
    spans = _entity_spans(table, gazetteer)
    # The tokens of the spans found so far; each later step looks only outside them.
    taken = {i for s in spans for i in range(s.tok_start, s.tok_end)}

    def add(found: list[PlaceSpan]) -> list[PlaceSpan]:
        spans.extend(found)
        taken.update(i for s in found for i in range(s.tok_start, s.tok_end))
        return found

    add(_demonym_spans(table, taken))
    add(_capitalised_spans(gazetteer, table, taken))
    add(_settlement_spans(gazetteer, table, taken))
    codes = add(_code_spans(gazetteer, table, spans, taken))
    add(_parenthesis_spans(gazetteer, table, taken, {s.tok_start for s in codes}))
    spans += _discourse_spans(spans, table, taken)
    spans = [_extend_right(table, gazetteer, _extend_left(table, gazetteer, span))
             for span in spans
             if not (len(span.text) <= 2 and span.text.istitle())  # "La", "Al": not "La."
             and not (span.tok_end < table.n and table.lower_list[span.tok_end] in _CURRENCY_HASHES)
             and not _neighbourhood(table, span)]
    spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[PlaceSpan] = []
    for span in spans:
        if not out or span.start >= out[-1].end:
            out.append(span)
    return out
