"""GUI wording of the commands' messages (issue 14 item 16)."""

from __future__ import annotations

import re

from citytwin.app.gui_messages import for_gui, gui_words
from tests.conftest import ROOT


def test_every_flag_in_the_commands_messages_has_gui_words():
    """A flag a command or an analysis names in a message must have its GUI wording: a new one fails here."""
    flags = set()
    for sub in ("app/commands", "analysis", "semantics", "io"):
        for path in (ROOT / sub).rglob("*.py"):
            for lit in re.findall(r"f?\"[^\"\n]*\"|f?'[^'\n]*'", path.read_text()):
                flags.update(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*[a-z0-9]", lit))
    assert flags, "no flag found: the scan is broken"
    flags.discard("--citytwin-ifc-worker")  # the IFC worker process's own argv switch, in no message
    missing = sorted(f for f in flags if f not in gui_words())
    assert missing == []


def test_study_options_are_named_by_their_form_labels():
    """The study registry writes each option once: its flag's GUI words are its form's label."""
    from citytwin.analysis.options import option_specs
    from citytwin.app.commands.studies import STUDIES

    spec = next(s for s in option_specs(STUDIES["solar"].options_class()) if s.name == "sky_mf")
    assert for_gui(f"{spec.flag} must be at least 4") == f"'{spec.label}' must be at least 4"


def test_messages_name_fields_menus_and_the_file():
    assert for_gui("--to 16:00 is not after --from 18:00") == "'To' 16:00 is not after 'From' 18:00"
    msg = for_gui("model: the model has no CRS and no location was given; give --latitude/--longitude, "
                  "a weather file, or assign a CRS", "delft.city.json")
    assert msg.startswith("delft.city.json: ") and "'Latitude' and 'Longitude'" in msg and "--" not in msg
    msg = for_gui("reproject it to a projected CRS in metres first (citytwin convert --crs)")
    assert msg.endswith("(Layer > Reproject...)")
    msg = for_gui("or choose to use it all the same (--weather-anywhere; in the GUI: 'Use the weather file "
                  "even when...')")
    assert msg.endswith("'Use the weather file even when it was recorded far from the site')")
    assert "--" not in msg
