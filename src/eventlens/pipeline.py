"""Wire the stages: documents -> spaCy -> actors, places, dates -> events. Owns no logic.

Each document is processed on its own: a failure becomes a :class:`DocumentFailure` for that
document and the batch goes on (spaCy's ``set_error_handler`` idea, at document level).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Union

from spacy.language import Language
from spacy.tokens import Doc

from .config import Settings
from .errors import EventlensError
from .extract.context import build_context
from .extract.events import EventExtractor
from .extract.lexicon import load_lexicon
from .models import Document, DocumentFailure, Event, PlaceMention
from .nlp import build_nlp
from .resolve.actors import ActorKB, ActorMatcher
from .resolve.dates import find_dates
from .resolve.gazetteer import Gazetteer
from .resolve.places import PlaceResolver

__all__ = ["DocumentResult", "Pipeline"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentResult:
    """What the pipeline made of one document."""

    document: Document
    events: list[Event]
    places: list[PlaceMention]


class Pipeline:
    """The configured extraction pipeline; build once, run over many documents.

    settings (Settings): model name, data directory, limits.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nlp: Language = build_nlp(settings.model, settings.model_meta)
        self.kb = ActorKB.load()
        self.actors = ActorMatcher(self.kb, self.nlp)
        self.gazetteer = Gazetteer.open(Path(settings.data_dir))
        self.places = PlaceResolver(self.gazetteer)
        self.extractor = EventExtractor(load_lexicon(), self.kb, self.gazetteer)

    def _annotate(self, doc: Doc, document: Document, with_events: bool) -> DocumentResult:
        places = self.places(doc, document.id)
        if not with_events:
            return DocumentResult(document, [], places)
        actors = self.actors(doc)
        dates = find_dates(doc.text, document.published)
        ctx = build_context(doc, document, actors, places, dates)
        return DocumentResult(document, self.extractor.extract(ctx), places)

    def run(self, items: Iterable[Union[Document, DocumentFailure]], *,
            with_events: bool = True) -> Iterator[Union[DocumentResult, DocumentFailure]]:
        """Process documents in spaCy batches, yielding one result or failure per input.

        items (Iterable[Document | DocumentFailure]): ingested documents; failures pass through.
        with_events (bool): False to stop after place resolution (``eventlens places``).
        YIELDS (DocumentResult | DocumentFailure): in input order.
        """
        def texts() -> Iterator[tuple[str, Document]]:
            for item in items:
                if isinstance(item, DocumentFailure):
                    pending.append(item)
                    continue
                if len(item.text) > self.settings.max_document_chars:
                    pending.append(DocumentFailure(
                        doc_id=item.id, origin=item.origin,
                        error=f"document has {len(item.text):,} characters, over the limit of "
                              f"{self.settings.max_document_chars:,} (setting "
                              f"max_document_chars); split it or raise the limit"))
                    continue
                yield item.text, item

        pending: list[DocumentFailure] = []
        stream = self.nlp.pipe(texts(), as_tuples=True, batch_size=self.settings.batch_size)
        for doc, document in stream:
            # Failures met while filling the batch come out before the batch's results.
            yield from pending
            pending.clear()
            yield self._one(doc, document, with_events)
        yield from pending

    def _one(self, doc: Doc, document: Document,
             with_events: bool) -> Union[DocumentResult, DocumentFailure]:
        try:
            return self._annotate(doc, document, with_events)
        except EventlensError as exc:
            return DocumentFailure(doc_id=document.id, error=str(exc), origin=document.origin)
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            # A bug in a rule must cost one document, not the batch; it is logged with a trace.
            log.exception("extraction failed on %s", document.id)
            return DocumentFailure(doc_id=document.id, origin=document.origin,
                                   error=f"internal error while extracting: {exc!r}")
