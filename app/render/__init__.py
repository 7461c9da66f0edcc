"""citytwin.app.render"""
