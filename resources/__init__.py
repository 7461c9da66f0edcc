"""citytwin.resources"""
