"""The bundled sample: a fictional city generated deterministically.

青川市 and its ten counties do not exist. Every record is drawn from a numpy
Generator seeded with SAMPLE_SEED, one stream per county and month, so the
output depends only on the seed, the end month and the scale, never on today
or on how the work is split. Each county-month is built with vectorised numpy
and pyarrow and written at once, so `scale=500` (about ten million hazards)
runs in bounded memory.

Modules: `spec` (the city: counties, departments, names, volumes, holidays),
`city` (calendar, counties and townships), `arrow` (typed columns and pools),
`records` (one county-month's records per dataset), `tables` (the city-wide
tables), `programmes` (标准化创建, 重大危险源, “三同时”, 部门月报, 控制指标 per county
and year), `writer` (files in chunks, and `generate`).
"""

from analytics.sample.generator.city import _months, last_full_month
from analytics.sample.generator.spec import (
    BULLETIN_GAP_COUNTY,
    BULLETIN_GAP_MONTHS,
    CITY,
    COUNTY_SPECS,
    HOME_COUNTY,
    HOME_NEW_PROJECTS,
    HOME_STANDARDIZATION_APPLIED,
    HOME_STANDARDIZATION_TARGETS,
    LOAD_ORDER,
    SAMPLE_DIR,
    SAMPLE_END_MONTH,
    SAMPLE_SEED,
    START_MONTH,
    CountySpec,
)
from analytics.sample.generator.writer import generate

__all__ = [
    "BULLETIN_GAP_COUNTY",
    "BULLETIN_GAP_MONTHS",
    "CITY",
    "COUNTY_SPECS",
    "HOME_COUNTY",
    "HOME_NEW_PROJECTS",
    "HOME_STANDARDIZATION_APPLIED",
    "HOME_STANDARDIZATION_TARGETS",
    "LOAD_ORDER",
    "SAMPLE_DIR",
    "SAMPLE_END_MONTH",
    "SAMPLE_SEED",
    "START_MONTH",
    "CountySpec",
    "_months",
    "generate",
    "last_full_month",
]
