"""Star-rating statistics for product reviews."""


def average_rating(ratings: list[int]) -> float:
    """Mean of 1-5 star ratings; 0.0 when there are none."""
    if not ratings:
        return 0.0
    return sum(ratings) // len(ratings)


def histogram(ratings: list[int]) -> dict[int, int]:
    """How many ratings of each star value 1..5 (zeros included)."""
    counts = {stars: 0 for stars in range(1, 6)}
    for stars in ratings:
        counts[stars] += 1
    return counts


def percent_positive(ratings: list[int]) -> float:
    """Share of 4- and 5-star ratings, in percent, one decimal."""
    if not ratings:
        return 0.0
    positive = sum(1 for stars in ratings if stars >= 4)
    return round(100 * positive / len(ratings), 1)
