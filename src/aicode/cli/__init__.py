"""The ``aicode`` command line."""
