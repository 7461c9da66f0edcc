"""citytwin.analysis: the studies (solar, shadow, sky view factor) and their science.

Read first: :mod:`~citytwin.analysis.options` (how a study's options are declared once),
:mod:`~citytwin.analysis.results` (the one result interface: points, indices, typed tables) and
:mod:`~citytwin.analysis.scene` (scene preparation and site location every study shares).

- studies: ``solar`` (+ ``solar_tables``), ``shadow_study``, ``svf``
- shared: ``scene``, ``options``, ``results``, ``table``
- kernels: ``sampling``, ``raycast`` (the Embree wrapper, also used for picking), ``irradiance``,
  ``sky``, ``reflections``, ``shadow``, ``pv``
- weather: ``weather``, ``weather_formats``, ``weather_timing``

Nothing here imports ``citytwin.io`` or a front end; the commands in :mod:`citytwin.app.commands`
add progress glue and exports, and :mod:`citytwin.app.commands.studies` lists the studies.
"""
