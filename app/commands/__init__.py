"""citytwin.app.commands"""
