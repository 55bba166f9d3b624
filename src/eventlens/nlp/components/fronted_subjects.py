"""A component that gives back a clause its subject when the parser hung it on a fronted place.

News and event notes open with where and when: "On 1 May 2020, in Chilpancingo, Guerrero, a
group of workers demanded guarantees"; "In Mineral Chico municipality, Hidalgo, a dead body
with signs of violence was found". The small English model often reads the subject as one
more apposition of the place list ("Guerrero, a group") and leaves the verb without a
subject, so no one demanded anything and nothing was found. The pattern is plain in the tree:
a common-noun apposition inside a phrase of the verb, whose words run up to the verb (or its
auxiliaries). This component re-attaches such a phrase to the verb as its subject.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

__all__ = ["FrontedSubjects", "make_fronted_subjects"]

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
# Words that may stand between the subject and its verb ("was found", "had reportedly fled").
_BETWEEN = frozenset({"aux", "auxpass", "neg", "advmod"})


def _subjectless_verb(tok: Token) -> bool:
    """A main verb with no subject, or with only a date for one ("Around 8 May 2020, ...,
    eight bags were found": the parser made "8" the subject)."""
    return tok.pos_ in ("VERB", "AUX") and tok.dep_ in ("ROOT", "conj", "ccomp") and \
        not any(c.dep_ in _SUBJECTS and not _dated(c) for c in tok.children)


def _dated(tok: Token) -> bool:
    # The date entity may leave out the day the parser made the head ("8" of "8 May 2020").
    return tok.ent_type_ in ("DATE", "TIME") or tok.like_num and any(
        c.ent_type_ in ("DATE", "TIME") for c in tok.children)


def _fronted_apposition(verb: Token) -> Token | None:
    """The common-noun apposition that ends right before ``verb`` (and its auxiliaries) inside
    one of its fronted phrases, if any."""
    first = verb.i
    for child in reversed(list(verb.lefts)):
        if child.dep_ in _BETWEEN and child.i == first - 1:
            first = child.i
        else:
            break
    if first == 0:
        return None
    last = verb.doc[first - 1]
    # Walk up from the word before the verb to the apposition whose phrase it closes.
    node = last
    while node.dep_ != "appos" and node.head.i != node.i and node.head.i < first:
        node = node.head
    if node.dep_ != "appos" or node.pos_ != "NOUN" or node.right_edge.i != first - 1:
        return None
    # The place list it hangs on must be a phrase of this verb ("in X, Y" before it), and the
    # apposition must follow a comma: "Guerrero, a group", not "the town a group".
    if not verb.is_ancestor(node) or node.left_edge.i == 0 or \
            verb.doc[node.left_edge.i - 1].text != ",":
        return None
    return node


class FrontedSubjects:
    """Re-attach a subject the parser read as an apposition of a fronted place list."""

    def __call__(self, doc: Doc) -> Doc:
        """Repair the parse of ``doc`` in place.

        doc (Doc): a parsed document.
        RETURNS (Doc): the same document.
        """
        if not doc.has_annotation("DEP"):
            return doc
        for tok in doc:
            if not _subjectless_verb(tok):
                continue
            subject = _fronted_apposition(tok)
            if subject is None:
                continue
            passive = any(c.dep_ == "auxpass" for c in tok.children)
            for date in [c for c in tok.children if c.dep_ in _SUBJECTS]:
                date.dep_ = "npadvmod"  # what it is: when, not who
            subject.head = tok
            subject.dep_ = "nsubjpass" if passive else "nsubj"
        return doc


@Language.factory("eventlens_fronted_subjects_v1", assigns=["token.dep", "token.head"],
                  requires=["token.dep", "token.head", "token.pos", "token.ent_type"])
def make_fronted_subjects(nlp: Language, name: str) -> FrontedSubjects:
    """Build the component (registered as ``eventlens_fronted_subjects_v1``)."""
    return FrontedSubjects()
