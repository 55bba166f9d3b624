"""spaCy components registered by eventlens (one per module)."""
