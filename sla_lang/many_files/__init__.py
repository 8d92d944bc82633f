"""Checking many files fast: parsing them from the cache or across processes
(parse.py), the child processes and the queue they share (processes.py), and
the parse and result caches (cache.py)."""
