"""saleor-qb-sync: export Saleor orders to QuickBooks Desktop through the QuickBooks Web Connector.

The package is a Django app (``saleor_qb_sync``) and a Saleor plugin
(``saleor_qb_sync.plugin:QuickBooksSyncPlugin``). Its core (documents, preferences, qbXML,
transfers, models) never imports Saleor; ``plugin.py`` and ``saleor_host/`` adapt it to Saleor.
"""

__version__ = "0.1.0"
