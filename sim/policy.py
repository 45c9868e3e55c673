"""Policy levers: what each lever delivers this year, through which mechanism, at what cost.

Every lever acts on the home place (``places.home``) from its start year
and through a mechanism of the model, never as a free-floating bonus:

- ``shared_facilities`` and ``campus_amenity`` raise the home place's
  facility and amenity indices (at most to 1);
- ``accessibility_minutes_saved`` shortens the routes from home named in
  the lever's ``places`` (to at least one minute);
- ``rent_subsidy`` pays a share of the rent of the kinds it names;
- ``talent_programme_students`` adds graduates at home (``sim.model``);
- ``innovation_fund_meur_per_year`` is a budget shared as grants among the
  eligible applicants at home (:func:`grant_per_firm`); a firm values its
  grant with diminishing returns (:func:`saturating`), and the same grant
  lowers the exit hazard of the incubated kinds;
- ``cooperation_programme`` raises the spillover weights γ among the
  participating kinds for the mass of participants at home, scaled by the
  scenario's proximity weight π(t) and decayed with travel time like every
  other spillover (:func:`cooperation_term`).

Costs are charged on what is delivered — the index points actually added,
the minutes actually saved, the grants actually paid — and reported
undiscounted and discounted to the first simulated year at
``policy_costs.discount_rate`` (:func:`yearly_cost`).
"""

from __future__ import annotations

import math

import numpy as np


def saturating(grant: float, scale: float) -> float:
    """Diminishing returns of a grant: 1 − exp(−grant / scale); 0 at 0, → 1 for large grants."""
    if grant <= 0.0:
        return 0.0
    return 1.0 - math.exp(-grant / scale)


def grant_per_firm(budget: float, applicants: int, cap: float) -> float:
    """Per-firm yearly grant (M€): the budget shared among the applicants, at most ``cap``.

    With no applicant yet, a first one would receive the cap (or the whole
    budget if smaller). Budget beyond ``cap × applicants`` is not spent.
    """
    if budget <= 0.0:
        return 0.0
    return min(cap, budget / max(applicants, 1))


def cooperation_term(
    home_jobs: np.ndarray,
    decay_from_home: np.ndarray,
    participants: list[int],
    delta_gamma: float,
    proximity: float,
    mass_ref: float,
) -> np.ndarray:
    """The cooperation programme's term in the utility, a kinds × locations table.

    For a participating kind k at location ℓ:
    ``π · Σ_{k' participating} Δγ · ln(1 + E[k', home] · exp(−τ[ℓ, home]/λ) / M_ref)``
    — the agglomeration formula with Δγ added among the participants and
    only the participants' jobs at home as mass (the programme runs there).
    ``home_jobs`` is E[k, home] for every kind, ``decay_from_home`` is
    exp(−τ[ℓ, home]/λ) per location. Non-participants get 0.
    """
    term = np.zeros((home_jobs.size, decay_from_home.size))
    if delta_gamma <= 0.0 or not participants:
        return term
    mass = home_jobs[participants][:, None] * decay_from_home[None, :]  # participants × places
    term[participants, :] = proximity * delta_gamma * np.log1p(mass / mass_ref).sum(axis=0)
    return term


def discount_factor(year: int, base_year: int, rate: float) -> float:
    """1 / (1 + r)^(year − base_year): the value in ``base_year`` of one euro paid in ``year``."""
    return (1.0 + rate) ** -(year - base_year)


def apply_levers(model) -> None:
    """Set this year's lever-dependent inputs of ``model`` and record what they deliver.

    Expects the scenario's ``travel`` and ``pull`` for the year to be set
    already; sets ``facility``, ``amenity``, ``subsidy``, ``incubation``,
    adjusts ``travel`` and ``pull`` at home, and fills ``model.delivered``
    (what :func:`yearly_cost` charges for).
    """
    p = model.params
    h = model.home
    effects = p.policy_effects
    delivered: dict[str, float] = {}

    model.facility = model.facility_0.copy()
    model.facility[h] = min(1.0, model.facility[h] + model.lever("shared_facilities"))
    delivered["shared_facilities"] = float(model.facility[h] - model.facility_0[h])
    model.amenity = model.amenity_0.copy()
    model.amenity[h] = min(1.0, model.amenity[h] + model.lever("campus_amenity"))
    delivered["campus_amenity"] = float(model.amenity[h] - model.amenity_0[h])

    saved = model.lever("accessibility_minutes_saved")
    routes = p.policy.accessibility_minutes_saved.places or []
    minutes = 0.0
    for partner in routes:
        j = model.location_names.index(partner)
        before = model.travel[h, j]
        model.travel[h, j] = model.travel[j, h] = max(1.0, before - saved)
        minutes += before - model.travel[h, j]
    delivered["accessibility_minutes_saved"] = minutes / len(routes) if routes else 0.0

    model.subsidy = np.zeros((len(model.kind_names), len(model.location_names)))
    model.subsidy[model.lever_kinds("rent_subsidy"), h] = model.lever("rent_subsidy")

    budget = model.lever("innovation_fund_meur_per_year")
    funded = model.lever_kinds("innovation_fund_meur_per_year")
    applicants = int(model.orgs[funded, h].sum()) if hasattr(model, "orgs") else 0
    grant = grant_per_firm(budget, applicants, effects.innovation_grant_cap_meur)
    response = saturating(grant, effects.innovation_grant_scale_meur)
    model.grant_per_firm = grant
    model.pull[funded, h] += effects.innovation_max_utility * response
    model.incubation = np.zeros(len(model.location_names))
    model.incubation[h] = effects.incubation_support_max * response
    delivered["innovation_fund_meur_per_year"] = grant * applicants

    model.delivered = delivered


def yearly_cost(model) -> float:
    """This year's cost of the active levers (M€), on what they deliver."""
    c = model.params.policy_costs
    h = model.home
    d = model.delivered
    cost = model.space.public_started * c.space_meur_per_m2  # m² started this year (sim.space)
    subsidy = model.subsidy[:, h]
    if subsidy.any():
        n = model.n_rows
        here = model.org_alive[:n] & (model.org_location[:n] == h)
        space_by_kind = np.bincount(
            model.org_kind[:n][here].astype(np.int64),
            model.org_space[:n][here],
            len(model.kind_names),
        )
        paid = (subsidy * space_by_kind).sum() * model.rent[h] / 1e6
        cost += paid * c.rent_subsidy_share_paid
    cost += model.lever("talent_programme_students") * c.talent_meur_per_student_year
    cost += d["innovation_fund_meur_per_year"]
    cost += d["shared_facilities"] * c.facilities_meur_per_point_year
    cost += d["accessibility_minutes_saved"] * c.accessibility_meur_per_minute_year
    cost += d["campus_amenity"] * c.amenity_meur_per_point_year
    cost += model.lever("cooperation_programme") * c.cooperation_meur_per_point_year
    return float(cost)
