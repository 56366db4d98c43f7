"""Commitments Tracker: collect, extract, track and publish government commitments."""

__version__ = "0.1.0"
