"""The Saleor side of the plugin: Saleor's orders as order documents, Saleor's tokens as actors.

With ``plugin.py`` these are the only modules that import ``saleor``.
"""
