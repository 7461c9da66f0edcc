"""citytwin.app.qt"""
