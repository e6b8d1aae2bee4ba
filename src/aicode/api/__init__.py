"""The native HTTP API: ingest, read endpoints over the metrics layer, administration."""
