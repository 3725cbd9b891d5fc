"""The qbXML tests use the session-wide ``qbxml_schema`` fixture of ``tests/conftest.py``."""
