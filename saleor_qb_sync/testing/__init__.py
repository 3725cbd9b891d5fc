"""Test doubles for QuickBooks and the QuickBooks Web Connector, built from public specs only."""
