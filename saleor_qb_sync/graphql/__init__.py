"""The plugin's own GraphQL API (graphene 2, as Saleor runs), served at ``graphql/``.

``schema.py`` wires every field; ``view.py`` serves it over HTTP for authenticated staff and
apps holding MANAGE_ORDERS; ``schema.graphql`` is the committed SDL (``sdl.py`` prints it).
"""
