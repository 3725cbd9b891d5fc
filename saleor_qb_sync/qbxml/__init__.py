"""qbXML: what QuickBooks Desktop reads and writes (mapping, builders, parser, limits, statuses)."""
