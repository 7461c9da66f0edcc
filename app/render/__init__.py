"""citytwin.app.render: the model as a VTK scene, without Qt.

``scene`` (a few merged meshes per layer and semantic class), ``coloring`` (semantic, attribute,
analysis colourings), ``palette``, ``picking`` (Embree ray per click) and ``snapshot``
(off-screen PNG, used by ``citytwin demo``). PyVista/VTK are imported inside functions.
"""
