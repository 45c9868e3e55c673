"""The interactive explorer (``make explore``): Mesa's SolaraViz on the model.

``app.py`` holds the Solara page; ``model.py`` the explorer's model (a
:class:`sim.MediaClusterModel` whose policy levers can be moved while it
runs); ``reference.py`` reads the stored sweep's median paths; ``views.py``
draws the map-like view and the share chart with matplotlib.
"""
