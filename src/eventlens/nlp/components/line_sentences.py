"""A component that starts a new sentence after every line break.

News text puts headlines, bylines and paragraphs on their own lines without final punctuation;
spaCy's parser then glues a headline onto the next sentence ("Threat of ISIS-K\\nWith the Paris
Olympics ..."). Setting ``is_sent_start`` before the parser makes it respect those boundaries.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["LineSentences", "make_line_sentences"]


class LineSentences:
    """Mark the first token after a line break as a sentence start."""

    def __call__(self, doc: Doc) -> Doc:
        """Set ``is_sent_start`` on tokens that follow a newline.

        doc (Doc): a tokenised document; modified in place, as spaCy components are.
        RETURNS (Doc): the same document.
        """
        for i in range(1, len(doc)):
            prev = doc[i - 1]
            if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
                doc[i].is_sent_start = True
        return doc


@Language.factory("eventlens_line_sentences_v1", assigns=["token.is_sent_start"])
def make_line_sentences(nlp: Language, name: str) -> LineSentences:
    """Build the component (registered as ``eventlens_line_sentences_v1``)."""
    return LineSentences()
