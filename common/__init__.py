"""Leaf modules every stage shares: configuration, the bodies gazetteer, text
from HTML, dates, the kinds of commitment, and where packaged files live.

Nothing here imports any other package of the project (a test checks it), so
spiders/, db/, extract/ and commitments/ can all depend on it.
"""
