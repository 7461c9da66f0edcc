# The public names of citytwin for type checkers and IDEs (at run time they are loaded lazily
# from citytwin.api by citytwin.__getattr__).
from citytwin.api import CityModel as CityModel
from citytwin.api import Table as Table
from citytwin.api import convert as convert
from citytwin.api import formats as formats
from citytwin.api import fuse as fuse
from citytwin.api import info as info
from citytwin.api import read as read
from citytwin.api import shadow as shadow
from citytwin.api import sky_view_factor as sky_view_factor
from citytwin.api import solar as solar
from citytwin.api import to_pyvista as to_pyvista
from citytwin.api import write as write

__version__: str
__all__: list[str]
