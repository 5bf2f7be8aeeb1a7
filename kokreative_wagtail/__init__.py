"""Wagtail page types, blocks and a JSON API for the Kokreative Kommune programme."""

__version__ = "0.1.0"
