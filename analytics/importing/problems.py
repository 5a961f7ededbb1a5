"""The problems of one file: each with its row, column, value and Chinese message, up to a cap."""

from __future__ import annotations

from analytics import settings

MAX_ERRORS = settings.MAX_ERRORS_PER_FILE


def problem(row: int | None, column: str | None, value: object, message: str) -> dict:
    """One problem as a result lists it (no row: the whole file; no column: the whole row or file)."""
    return {"row": row, "column": column, "value": value, "message": message}


class Problems:
    """Collects every problem up to a cap, counting the rest so nothing passes silently."""

    def __init__(self) -> None:
        self.items: list[dict] = []
        self.overflow = 0

    def add(self, row: int | None, column: str | None, value: object, message: str) -> None:
        if len(self.items) < MAX_ERRORS:
            self.items.append(problem(row, column, value, message))
        else:
            self.overflow += 1

    def extend(self, other: Problems) -> None:
        """Take another collector's problems after these, as if each had been added here in turn."""
        room = max(0, MAX_ERRORS - len(self.items))
        self.items.extend(other.items[:room])
        self.overflow += max(0, len(other.items) - room) + other.overflow

    def result(self) -> list[dict]:
        items = sorted(self.items, key=lambda e: (e["row"] is not None, e["row"] or 0))
        if self.overflow:
            items.append(problem(None, None, None, f"另有 {self.overflow} 处问题未列出，请先修正以上问题"))
        return items
