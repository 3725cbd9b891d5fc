"""The QuickBooks Web Connector side: session engine, SOAP service, .qwc file."""
