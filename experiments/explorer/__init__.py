"""The interactive explorer (``make explore``): a Solara page on the model.

``app.py`` holds the page; ``model.py`` the explorer's model (a
:class:`sim.MediaClusterModel` whose policy levers can be moved while it
runs); ``views.py`` draws the share chart, the map and the comparison chart
with matplotlib; ``geography.py`` holds the places' coordinates and the
shipped outline of the Netherlands; ``policy_mix.py`` writes, validates,
saves and runs a lever mix as a policy file; ``reference.py`` reads the
stored sweep's bands. See docs/explorer.md.
"""
