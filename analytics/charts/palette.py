"""The one palette, by meaning: every page, card, table shade and chart takes its colours from here.

Colour follows meaning, not sign (domain.md): GOOD is green and BAD red whatever
the direction of the change; LEVEL is the grey of "equal to 同期" or "no
verdict"; a volume that is neither good nor bad (hazards found) is NEUTRAL blue; WARNING is the amber
of a control target used faster than the year goes by.
"""

from __future__ import annotations

GOOD = "#2e7d32"  # better than 同期 / than the average
BAD = "#c62828"  # worse
LEVEL = "#607d8b"  # equal, missing, or not judged
NEUTRAL = "#1565c0"  # a volume drawn by size, with no good or bad
PREVIOUS = "#b0bec5"  # 同期 bars
HOME = "#1565c0"  # the office's own county in the ranking
OTHER = "#b0bec5"  # every other county
TIME_PROGRESS = "#ef6c00"  # the time-progress line of training coverage and control targets
WARNING = "#e65100"  # 超过时间进度: ahead of the year's pace against a control target, not yet over it
WARNING_SHADE = "#ffe0b2"  # a table cell holding that warning
BAD_SHADE = "#ffcdd2"  # a table cell holding 超出控制指标
HOME_ROW = "#e3f2fd"  # table row of the home county
SELECTED_ROW = "#fff8e1"  # table row of another county picked in the filter
