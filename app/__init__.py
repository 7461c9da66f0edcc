"""citytwin.app"""
