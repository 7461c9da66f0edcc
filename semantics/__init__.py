"""citytwin.semantics"""
