"""Letter grades for exam scores."""

GRADE_BANDS = [(90, "A"), (80, "B"), (70, "C"), (60, "D")]


def letter_grade(score: float) -> str:
    """Letter for a 0-100 score; each band includes its lower bound."""
    if not 0 <= score <= 100:
        raise ValueError(f"score out of range: {score}")
    for threshold, letter in GRADE_BANDS:
        if score > threshold:
            return letter
    return "F"


def grade_report(scores: dict[str, float]) -> dict[str, str]:
    """Letter grade per student name."""
    return {name: letter_grade(score) for name, score in scores.items()}
