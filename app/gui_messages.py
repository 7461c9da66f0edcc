"""Messages for the GUI: the commands' sentences name CLI flags (``--weather-anywhere``,
``citytwin convert --crs``); shown in the desktop app they name the dialog fields and menu
items instead, and the layer's file rather than a generic "model".

:func:`for_gui` rewrites one message. The studies' options are named by the labels their forms
show, taken from the study registry (:mod:`citytwin.app.commands.studies`, where each option is
written once with its flag and label); :data:`GUI_WORDING` holds the words of the GUI for the
other flags a command's message may name (dialog fields, menu items). A test checks that every
flag written in the commands' and analyses' messages has its words.
"""

from __future__ import annotations

import re

#: CLI wording -> GUI wording (longest first when applied).
GUI_WORDING: dict[str, str] = {
    "citytwin convert --crs": "Layer > Reproject...",
    "citytwin convert --assign-crs": "Layer > Assign CRS...",
    "--latitude/--longitude": "the site's 'Latitude' and 'Longitude'",
    "--from/--to": "'From (local time)' and 'To'",
    "--weather-anywhere": "the box 'Use the weather file even when it was recorded far from the site'",
    "--weather-time-offset": "the weather file's time offset",
    "--weather": "'Weather file (EPW/TMY)'",
    "--clear-sky": "an empty 'Weather file' (a clear-sky year)",
    "--latitude": "'Latitude'",
    "--longitude": "'Longitude'",
    "--assign-crs": "the CRS given (Layer > Assign CRS...)",
    "--crs": "Layer > Reproject...",
    "--resolution": "'Resolution'",
    "--surfaces all": "every box of 'Surfaces'",
    "--surfaces": "'Surfaces'",
    "--max-memory": "the memory limit (environment variable CITYTWIN_MAX_MEMORY)",
    "--file-timeout": "the time limit per file",
    "--file-memory": "the memory limit per file",
    "--albedo": "'Ground albedo'",
    "--lod": "the layer's 'LoD'",
    "--date": "'Date'",
    "--from": "'From (local time)'",
    "--to": "'To'",
    "--time": "the time",
    "--step": "'Step'",
    "--grid": "'Ground grid cell'",
    "--mesh-crs": "the mesh 'CRS'",
    "--mesh-offset": "the mesh 'Offset E, N, H'",
    "--mesh-up": "the mesh 'Up axis'",
    "--mesh": "'Mesh files'",
    "--ifc-georef": "'Place the IFC files here, overriding their own georeference'",
    "--ifc-mode": "'IFC mode'",
    "--ifc-crs": "the IFC placement 'CRS'",
    "--ifc-timeout": "the IFC time limit",
    "--ifc": "'IFC files'",
    "--types": "the object types",
    "--bbox": "the area",
    "--format": "the file type",
    "--citygml-version": "the CityGML version",
    "--precision": "the precision",
    "--veg-transmissivity": "the vegetation transmissivity",
    "--leaf-on": "the leaf-on months",
    "--pv-temp-coeff": "the PV temperature coefficient",
    "--pv-losses": "the PV losses",
    "--pv-inverter-efficiency": "the PV inverter efficiency",
    "--workers": "the number of workers",
    "--context-buffer": "the context buffer",
    "--fast-copy": "the fast copy",
    "--report": "the report file",
    "--csv": "the CSV file",
    "--geojson": "the GeoJSON file",
    "--json-summary": "the JSON summary file",
    "--json": "the JSON file",
    "--png": "the PNG file",
}

_GUI_ASIDE = re.compile(r"\((--[\w-]+); in the GUI: ([^)]*)\)")
_WORDS: dict[str, str] | None = None
_FLAG: re.Pattern | None = None


def gui_words() -> dict[str, str]:
    """Flag (or CLI phrase) -> GUI words: the study registry's labels, then :data:`GUI_WORDING`."""
    global _WORDS, _FLAG
    if _WORDS is None:
        words = dict(GUI_WORDING)
        try:
            from citytwin.analysis.options import option_specs
            from citytwin.app.commands.studies import STUDIES

            for study in STUDIES.values():
                for spec in option_specs(study.options_class()):
                    if spec.info.cli:
                        words[spec.flag] = f"'{spec.label}'"
        except ImportError:  # pragma: no cover - a build without the studies
            pass
        order = sorted(words, key=len, reverse=True)
        _WORDS, _FLAG = words, re.compile("|".join(re.escape(k) for k in order) + r"|--[a-z][\w-]*")
    return _WORDS


def for_gui(message: str, file_name: str | None = None) -> str:
    """``message`` in the GUI's words (see the module docstring).

    A leading ``"model: "`` (a command run on a model without its file's name) becomes
    ``"<file_name>: "`` or is dropped; an aside ``"(--flag; in the GUI: 'X')"`` becomes the
    flag's GUI wording; each flag becomes its words (:func:`gui_words`; an unknown one loses its dashes).
    """
    words = gui_words()
    text = _GUI_ASIDE.sub(lambda m: f"({words.get(m.group(1), m.group(2).strip())})", message)
    if text.startswith("model: "):
        text = (f"{file_name}: " if file_name else "") + text[len("model: "):]
    text = re.sub(r"\bmodel \(model CRS", f"{file_name or 'the layer'} (its CRS", text)
    return _FLAG.sub(lambda m: words.get(m.group(0), "'" + m.group(0).lstrip("-").replace("-", " ") + "'"),
                     text)
