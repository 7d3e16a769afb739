"""Offline, deterministic text analysis of consultation comments (no Django here: plain data in, plain data out)."""
