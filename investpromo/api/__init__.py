"""The REST API: the ledger for other systems, through the same services as the web."""
