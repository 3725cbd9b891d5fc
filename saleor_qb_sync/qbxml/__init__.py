"""qbXML: what QuickBooks Desktop reads and writes (records, mapping, builders, parser, limits,
statuses)."""
