"""Vendor-compatible analytics APIs (Lingma, Qoder, Cursor, Windsurf), one module each.

Each surface maps its vendor's paths, parameters, field names, pagination and errors onto
``aicode.metrics``; none computes a metric of its own.
"""
