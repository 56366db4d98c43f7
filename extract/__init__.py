"""Extraction: commitment mentions from document text and metadata (spaCy)."""

# Bump when the extractor's output can change: every document is then re-extracted.
EXTRACTOR_VERSION = "0.6.0"
