"""Figure colours: one per package, distinct from the places' palette."""

from __future__ import annotations

from experiments.palette import NO_POLICY_COLOUR, PACKAGE_COLOURS, package_style, place_colours


def test_packages_and_places_never_share_a_colour():
    places = place_colours(["hilversum", "amsterdam", "utrecht", "rest_nl", "abroad", "x", "y"])
    assert len(set(places.values())) == len(places)
    assert not set(places.values()) & {*PACKAGE_COLOURS, NO_POLICY_COLOUR}


def test_each_package_keeps_one_style_and_none_is_black():
    policies = ["none", *[f"p{i}" for i in range(10)]]
    style = package_style(policies)
    assert style["none"]["color"] == NO_POLICY_COLOUR
    combos = [(s["color"], s["ls"]) for s in style.values()]
    assert len(set(combos)) == len(policies)  # even beyond seven packages
    # the same package list gives the same styles in every figure
    assert package_style(policies) == style
    assert package_style(["a", "none", "b"])["b"] == package_style(["none", "a", "b"])["b"]
