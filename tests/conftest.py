"""Shared fixtures: factories with keyword defaults, as Saleor's test suite does."""
