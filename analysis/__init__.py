"""citytwin.analysis"""
