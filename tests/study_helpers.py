"""Pieces of tiny sensitivity study files shared by the tests."""

# The two lever factors of every tiny study: campus amenity and the innovation fund.
TWO_LEVER_FACTORS = """
[factors.campus_amenity]
role = "lever"
key = "policy.campus_amenity.value"
bounds = [0.0, 0.35]
reason = "test range of the amenity lever"

[factors.innovation_fund]
role = "lever"
key = "policy.innovation_fund_meur_per_year.value"
bounds = [0.0, 20.0]
reason = "test range of the fund lever"
"""
