"""``python -m citytwin`` runs the command-line interface."""

from citytwin.app.cli import main

raise SystemExit(main())
