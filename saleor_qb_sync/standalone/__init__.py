"""A small Django project of our own that serves the plugin's routes without Saleor.

It backs the test suite, ``make serve`` (developing the Dashboard extension) and ``make demo``.
Orders come from our sample-order tables, and callers authenticate with a development
authenticator that refuses to load inside Saleor.
"""
