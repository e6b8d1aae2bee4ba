"""Ingestion: decode batches of facts, validate them and hand them to the store."""

from aicode.ingest.service import ingest_body, ingest_items

__all__ = ["ingest_body", "ingest_items"]
