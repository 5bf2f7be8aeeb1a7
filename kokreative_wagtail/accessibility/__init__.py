"""Accessibility: Leichte Sprache companion pages, the DGS video block, the accessibility
statement (EU model) and the links to them in a site's header and footer."""
