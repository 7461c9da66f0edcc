"""citytwin.mesh"""
