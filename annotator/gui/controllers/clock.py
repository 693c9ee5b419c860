"""Time on the current item, counted only while the rater's window is active."""

from __future__ import annotations

import time


class ItemClock:
    """Seconds spent on one item: what the project already holds plus what runs now.

    Time counts only while the window is active (a rater who switches to another program
    is not working on the item); ``take`` hands over the seconds not yet written.
    """

    def __init__(self) -> None:
        self.stored = 0.0  # already in the project file (or handed over by ``take``)
        self._pending = 0.0  # counted while active, not yet handed over
        self._active_since: float | None = None

    def start_item(self, stored: float, *, active: bool) -> None:
        """A new item is on screen; ``stored`` is the time the project holds for it."""
        self.stored = stored
        self._pending = 0.0
        self._active_since = time.monotonic() if active else None

    def running(self) -> float:
        return 0.0 if self._active_since is None else time.monotonic() - self._active_since

    def total(self) -> int:
        """Whole seconds on the item, to show."""
        return int(self.stored + self._pending + self.running())

    def take(self) -> float:
        """The seconds counted since the last ``take``; they count as stored from now on."""
        seconds = self._pending + self.running()
        self._pending = 0.0
        if self._active_since is not None:
            self._active_since = time.monotonic()
        self.stored += seconds
        return seconds

    def activation(self, active: bool) -> None:
        """The window became active or inactive."""
        if active and self._active_since is None:
            self._active_since = time.monotonic()
        elif not active and self._active_since is not None:
            self._pending += self.running()
            self._active_since = None
