"""Messages for the GUI: the commands' sentences name CLI flags (``--weather-anywhere``,
``citytwin convert --crs``); shown in the desktop app they name the dialog fields and menu
items instead, and the layer's file rather than a generic "model".

:func:`for_gui` rewrites one message. :data:`GUI_WORDING` holds, for every flag a command's
message may name, the words of the GUI (the label of the field, in quotes, or the menu item);
a test checks that every flag written in the commands' and analyses' messages is in it.
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
_ORDER = sorted(GUI_WORDING, key=len, reverse=True)
_FLAG = re.compile("|".join(re.escape(k) for k in _ORDER) + r"|--[a-z][\w-]*")


def for_gui(message: str, file_name: str | None = None) -> str:
    """``message`` in the GUI's words (see the module docstring).

    A leading ``"model: "`` (a command run on a model without its file's name) becomes
    ``"<file_name>: "`` or is dropped; an aside ``"(--flag; in the GUI: 'X')"`` becomes the
    flag's GUI wording; each flag becomes its :data:`GUI_WORDING` (an unknown one loses its dashes).
    """
    text = _GUI_ASIDE.sub(lambda m: f"({GUI_WORDING.get(m.group(1), m.group(2).strip())})", message)
    if text.startswith("model: "):
        text = (f"{file_name}: " if file_name else "") + text[len("model: "):]
    text = re.sub(r"\bmodel \(model CRS", f"{file_name or 'the layer'} (its CRS", text)
    return _FLAG.sub(lambda m: GUI_WORDING.get(m.group(0), "'" + m.group(0).lstrip("-").replace("-", " ") + "'"),
                     text)
