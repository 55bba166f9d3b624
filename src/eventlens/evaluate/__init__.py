"""evaluate: scoring eventlens against labelled data (``eventlens eval``)."""
