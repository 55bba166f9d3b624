"""Distances on the Earth's surface, shared by the event placer, the store and the evaluation."""

from __future__ import annotations

import math

__all__ = ["EARTH_KM", "haversine_km"]

EARTH_KM = 6371.0088  # mean Earth radius (IUGG)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points.

    lat1, lon1, lat2, lon2 (float): degrees.
    RETURNS (float): kilometres.
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))
