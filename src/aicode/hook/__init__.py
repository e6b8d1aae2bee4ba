"""Clients on the developer's machine: the git hook, the agent hooks and ``aicode attribute``.

They compute line fingerprints locally and send only those (never source code) to the server.
This package runs inside ``git commit`` and inside coding agents, so it imports only the
standard library and ``aicode.attribution.fingerprint``: nothing heavy on the hook's path.
"""
