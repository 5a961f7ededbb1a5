"""The bundled sample: a fictional city generated deterministically, and loading or removing it.

青川市 and its ten counties do not exist. Every record is drawn from a numpy
Generator seeded with SAMPLE_SEED, one stream per county and month, so the
output depends only on the seed, the end month and the scale, never on today
or on how the work is split. Each county-month is built with vectorised numpy
and pyarrow and written at once, so `scale=500` (about ten million hazards)
runs in bounded memory.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from analytics import store
from analytics.contract.datasets import (
    ACCIDENT_TYPES,
    BOOL,
    DATASETS,
    DATE,
    DECIMAL,
    INT,
    SECTORS,
    TRAINING_CATEGORIES,
)

SAMPLE_DIR = store.PROJECT_ROOT / "data" / "sample"
SAMPLE_SEED = 20240101
SAMPLE_END_MONTH = (2026, 10)
START_MONTH = (2024, 1)

CITY = "青川市"


@dataclass(frozen=True)
class CountySpec:
    """A fictional county: its name, the code used in record IDs, and whether it is an urban district."""

    name: str
    code: str
    district: bool = False


COUNTY_SPECS = (
    CountySpec("川中区", "CZ", district=True),
    CountySpec("临河县", "LH"),
    CountySpec("东山县", "DS"),
    CountySpec("鹤溪县", "HX"),
    CountySpec("云溪县", "YX"),
    CountySpec("白鹭县", "BL"),
    CountySpec("松岭县", "SL"),
    CountySpec("苇塘县", "WT"),
    CountySpec("雁鸣县", "YM"),
    CountySpec("枫林县", "FL"),
)
HOME_COUNTY = COUNTY_SPECS[4].name
# The bulletin leaves out this county's latest months, so its ranking source is "mixed".
BULLETIN_GAP_COUNTY = COUNTY_SPECS[7].name
BULLETIN_GAP_MONTHS = 2

# Datasets in the order they must be imported: regions first so names are checked,
# inspections before the hazards that refer to them.
LOAD_ORDER = (
    "regions",
    "county_profile",
    "training_targets",
    "city_bulletin",
    "inspections",
    "hazards",
    "accidents",
    "enforcement",
    "training",
)

# --- Volumes at scale 1 (per weighted day unless said otherwise) ------------------
HOME_RICHNESS = 3.5  # the home county's own ledgers are far fuller than the others'
ACCIDENTS_PER_WAN_PEOPLE_YEAR = (0.55, 0.9)
ACCIDENT_TREND_PER_YEAR = 0.88  # a slow decline, year over year
SUPERVISION_TREND_PER_YEAR = 1.05  # inspections and cases grow a little each year
INSPECTIONS_PER_DAY = 0.85
HAZARDS_PER_INSPECTION = 1.9
HAZARDS_PER_FOLLOW_UP = 0.4
CASES_PER_DAY = 0.26
SESSIONS_PER_DAY = 0.25
UNITS_PER_DEPARTMENT = 40
MAJOR_HAZARD_SHARE = 0.03
ORDER_SHARE = 0.38
REVIEW_SHARE = 0.9
NO_TOWNSHIP_SHARE = 0.05
MISSING_PERSONS_SECTOR = "水上交通"  # people go missing mostly in water accidents

# --- Names -------------------------------------------------------------------------
TOWNSHIP_STEMS = (
    "柳营", "桃源", "石桥", "河湾", "杏林", "龙泉", "白沙", "新塘", "马坊", "梅岭",
    "沙河", "金滩", "青龙", "双井", "高岗", "枣林", "长乐", "三合", "蒲溪", "麻坪",
    "竹园", "凤鸣", "杨柳", "古城", "西关", "东岳", "南湖", "北坡", "大庄", "小营",
    "洪山", "碧水", "荷塘", "鹿鸣", "云台", "仙桥", "花园", "黄渡", "芦滩", "清水",
    "望山", "红石", "柏林", "卧龙", "莲花", "甘泉", "银杏", "紫荆", "安乐", "丰收",
    "桑园", "苇坪", "雁塘", "松坡", "梨树", "鹤岭", "瓦窑", "铁炉", "盐井", "槐树",
)  # fmt: skip
SEAT_TOWNSHIP = "城关镇"
BRANDS = (
    "恒通", "鑫源", "宏达", "金泰", "华盛", "永安", "兴旺", "嘉禾", "瑞丰", "顺达",
    "盛世", "天成", "润泽", "东升", "福源", "新锐", "博远", "泰和", "众鑫", "荣昌",
    "万通", "德润", "佳宇", "协力", "富民", "民安", "安泰", "聚力", "远航", "明辉",
)  # fmt: skip
JOINT_TEAM = "乡镇联合检查组"


@dataclass(frozen=True)
class Department:
    """A supervising department: what it inspects, which sectors, how its units are named."""

    name: str
    inspection_share: float
    case_share: float
    sectors: tuple[tuple[str, float], ...]
    unit_suffixes: tuple[str, ...]
    branded: bool = True  # schools and clinics are named after their place, not a brand
    violations: tuple[str, ...] = ()


DEPARTMENTS = (
    Department(
        "应急管理局",
        0.20,
        0.40,
        (("工业", 0.35), ("危险化学品", 0.25), ("烟花爆竹", 0.1), ("商贸", 0.2), ("矿山", 0.1)),
        ("化工有限公司", "烟花爆竹批发部", "石料厂", "机械制造有限公司", "仓储物流有限公司", "建材有限公司"),
        violations=(
            "未按规定开展隐患排查治理",
            "特种作业人员未持证上岗",
            "未按规定对从业人员进行安全培训",
            "未经许可经营危险化学品",
            "未按规定设置安全警示标志",
            "超许可范围储存烟花爆竹",
        ),
    ),
    Department(
        "公安交警大队",
        0.08,
        0.04,
        (("道路交通", 1.0),),
        ("运输有限公司", "客运有限公司", "驾驶培训学校", "物流有限公司"),
        violations=("营运车辆逾期未检验", "未落实驾驶人安全教育", "车辆动态监控未落实"),
    ),
    Department(
        "消防救援大队",
        0.12,
        0.15,
        (("消防火灾", 0.8), ("商贸", 0.2)),
        ("宾馆", "商场", "大酒店", "休闲会所", "网吧", "养老院"),
        violations=("消防设施未保持完好有效", "占用堵塞疏散通道", "安全出口锁闭", "违规使用易燃装修材料"),
    ),
    Department(
        "住房和城乡建设局",
        0.10,
        0.12,
        (("建筑施工", 1.0),),
        ("花园二期项目", "安置小区项目", "建筑工程有限公司", "商住楼项目"),
        violations=("未按规定设置临边防护", "起重机械未经检验投入使用", "施工现场安全管理人员不到岗"),
    ),
    Department(
        "交通运输局",
        0.07,
        0.08,
        (("道路交通", 0.75), ("水上交通", 0.25)),
        ("运输有限公司", "客运站", "渡口", "物流园"),
        violations=("渡船超载运营", "客运站未落实三不进站五不出站", "未按规定配备救生设备"),
    ),
    Department(
        "教育局",
        0.05,
        0.0,
        (("其他", 0.7), ("消防火灾", 0.3)),
        ("中心小学", "中学", "中心幼儿园", "职业中学"),
        branded=False,
    ),
    Department(
        "市场监督管理局",
        0.09,
        0.10,
        (("商贸", 0.6), ("工业", 0.3), ("其他", 0.1)),
        ("超市", "农贸市场", "商贸有限公司", "餐饮店", "燃气有限公司"),
        violations=("特种设备未按规定定期检验", "电梯维护保养不到位", "气瓶充装不规范"),
    ),
    Department(
        "卫生健康局",
        0.04,
        0.0,
        (("其他", 0.6), ("消防火灾", 0.4)),
        ("卫生院", "社区卫生服务中心", "敬老院"),
        branded=False,
    ),
    Department(
        "自然资源局",
        0.04,
        0.06,
        (("矿山", 1.0),),
        ("采石场", "砂石有限公司", "矿业有限公司", "砖厂"),
        violations=("未按设计开采", "越界开采", "无证开采"),
    ),
    Department(
        "工业和信息化局",
        0.05,
        0.0,
        (("工业", 1.0),),
        ("机械制造有限公司", "食品有限公司", "纺织有限公司", "木业有限公司", "新材料有限公司"),
    ),
    Department(
        "生态环境局",
        0.04,
        0.05,
        (("危险化学品", 0.5), ("工业", 0.5)),
        ("污水处理厂", "化工有限公司", "电镀厂", "造纸有限公司"),
        violations=("危险废物贮存不规范", "环保设施安全风险未辨识"),
    ),
    Department(
        JOINT_TEAM,
        0.12,
        0.0,
        (
            ("商贸", 0.3),
            ("消防火灾", 0.3),
            ("工业", 0.15),
            ("道路交通", 0.1),
            ("农业机械", 0.1),
            ("其他", 0.05),
        ),
        ("农家乐", "小作坊", "出租屋", "加油站", "五金店", "农机合作社"),
    ),
)
DEPARTMENT_INDEX = {d.name: i for i, d in enumerate(DEPARTMENTS)}

HAZARD_DESCRIPTIONS = {
    "道路交通": (
        "车辆超载运输",
        "驾驶员未按规定进行安全教育",
        "营运车辆逾期未检验",
        "临水临崖路段防护栏缺失",
    ),
    "工业": ("设备防护罩缺失", "配电箱未上锁且无警示标识", "特种设备未定期检验", "员工未佩戴劳动防护用品"),
    "商贸": ("疏散通道堆放杂物", "电线私拉乱接", "灭火器过期失效", "燃气管道未安装泄漏报警装置"),
    "建筑施工": ("脚手架连墙件缺失", "临边洞口防护不到位", "塔吊限位装置失效", "高处作业未系安全带"),
    "危险化学品": ("危化品储存超量", "可燃气体报警器失效", "安全周知卡缺失", "防雷检测逾期"),
    "烟花爆竹": ("超范围储存烟花爆竹", "仓库防火间距不足", "零售点未设置专柜"),
    "矿山": ("边坡角度超过设计", "爆破作业未设置警戒", "排土场未设置安全挡墙"),
    "农业机械": ("拖拉机未按规定年检", "农机具安全防护装置缺失"),
    "水上交通": ("渡船救生衣配备不足", "船舶超载", "渡口安全警示标志缺失"),
    "铁路交通": ("铁路沿线私设道口",),
    "消防火灾": ("消防设施未保持完好有效", "安全出口锁闭", "电动自行车楼道内充电", "疏散指示标志缺失"),
    "其他": ("围墙存在倒塌风险", "食堂燃气软管老化", "应急预案未演练", "安全培训记录不全"),
}
MAJOR_HAZARD_DESCRIPTIONS = (
    "重大危险源未实施有效监控",
    "高大模板支撑系统未经专家论证",
    "未按设计开采且存在坍塌风险",
    "人员密集场所疏散通道严重堵塞",
    "有限空间作业未制定方案且无监护",
)

# Sector share of accidents and the department whose ledger names the unit.
ACCIDENT_SECTORS = (
    ("道路交通", 0.72, "公安交警大队"),
    ("工业", 0.05, "工业和信息化局"),
    ("商贸", 0.02, "市场监督管理局"),
    ("建筑施工", 0.05, "住房和城乡建设局"),
    ("危险化学品", 0.01, "应急管理局"),
    ("烟花爆竹", 0.005, "应急管理局"),
    ("矿山", 0.01, "自然资源局"),
    ("农业机械", 0.04, None),
    ("水上交通", 0.02, "交通运输局"),
    ("铁路交通", 0.005, None),
    ("消防火灾", 0.05, "消防救援大队"),
    ("其他", 0.02, JOINT_TEAM),
)
ACCIDENT_SECTOR_NAMES = [s for s, _, _ in ACCIDENT_SECTORS]
ACCIDENT_TYPE_BY_SECTOR = {
    "道路交通": (("车辆伤害", 1.0),),
    "工业": (("机械伤害", 0.35), ("物体打击", 0.2), ("起重伤害", 0.1), ("触电", 0.1), ("灼烫", 0.1),
             ("中毒和窒息", 0.05), ("其他伤害", 0.1)),
    "商贸": (("高处坠落", 0.3), ("触电", 0.3), ("物体打击", 0.2), ("其他伤害", 0.2)),
    "建筑施工": (("高处坠落", 0.45), ("坍塌", 0.15), ("物体打击", 0.2), ("起重伤害", 0.1), ("触电", 0.1)),
    "危险化学品": (("中毒和窒息", 0.35), ("火灾", 0.25), ("容器爆炸", 0.2), ("灼烫", 0.2)),
    "烟花爆竹": (("火药爆炸", 0.8), ("火灾", 0.2)),
    "矿山": (("冒顶片帮", 0.3), ("坍塌", 0.3), ("放炮", 0.2), ("物体打击", 0.2)),
    "农业机械": (("车辆伤害", 0.7), ("机械伤害", 0.3)),
    "水上交通": (("淹溺", 1.0),),
    "铁路交通": (("车辆伤害", 1.0),),
    "消防火灾": (("火灾", 1.0),),
    "其他": (("淹溺", 0.4), ("触电", 0.3), ("其他伤害", 0.3)),
}  # fmt: skip
ROADS = ("G318线", "S218线", "S305线", "县道X103线", "乡道Y021线", "城区迎宾大道", "城区滨河路")
COLLISIONS = ("两车相撞", "车辆侧翻", "追尾", "碰撞行人", "摩托车与货车相撞", "车辆驶出路外")

MEASURE_SHARES = (
    ("罚款", 0.45),
    ("责令限期整改", 0.30),
    ("警告", 0.12),
    ("责令停产停业整改", 0.06),
    ("暂扣吊销证照", 0.03),
    ("取缔关闭", 0.02),
    ("移送司法机关", 0.02),
)
FINE_RANGE_WAN = (0.1, 20.0)

# Category: share of sessions, trainees range, hours offered with their shares, organisers.
TRAINING_PLAN = {
    "主要负责人": (0.15, (20, 120), ((32, 0.3), (12, 0.5), (48, 0.1), (16, 0.1)), ("应急管理局",)),
    "安全管理人员": (0.2, (20, 150), ((32, 0.3), (12, 0.5), (48, 0.1), (16, 0.1)), ("应急管理局",)),
    "特种作业人员": (0.15, (15, 80), ((48, 0.5), (32, 0.3), (16, 0.2)),
                 ("应急管理局", "市场监督管理局", "人力资源和社会保障局")),
    "基层监管人员": (0.15, (10, 60), ((16, 0.6), (24, 0.2), (12, 0.2)), ("应急管理局", "安委会办公室")),
    "一般从业人员": (0.35, (40, 200), ((12, 0.5), (16, 0.3), (8, 0.2)), ()),  # held by the township
}  # fmt: skip
# Targets for these categories are set county-wide; the others township by township.
COUNTY_WIDE_CATEGORIES = ("主要负责人", "安全管理人员", "特种作业人员")
EXAMINED_SHARE = 0.85
FAIL_SHARE = 0.06

# Spring Festival (the lunar new year's day); the other holidays have fixed dates.
SPRING_FESTIVAL = {
    2024: (2, 10), 2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13),
    2030: (2, 3), 2031: (1, 23), 2032: (2, 11), 2033: (1, 31), 2034: (2, 19), 2035: (2, 8),
}  # fmt: skip
FIXED_HOLIDAYS = (((4, 4), 3), ((5, 1), 5), ((10, 1), 7))  # 清明, 五一, 国庆: (start, days)
PRE_HOLIDAY_DAYS = 10


# --- Calendar -------------------------------------------------------------------------


def last_full_month(today: dt.date | None = None) -> tuple[int, int]:
    """The month before today's month: the latest month whose ledgers can be complete."""
    today = today or dt.date.today()
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def _months(end_month: tuple[int, int]) -> list[tuple[int, int]]:
    year, month = START_MONTH
    out = []
    while (year, month) <= end_month:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass(frozen=True)
class _Calendar:
    """Every day of the sample with the weights that shape when things happen."""

    days: np.ndarray  # datetime64[D]
    accident_weight: np.ndarray
    inspection_weight: np.ndarray
    office_weight: np.ndarray  # cases and training: working days
    pre_holiday: np.ndarray  # bool: the days before a holiday, when 节假日检查 happen
    month_start: dict[tuple[int, int], int]  # index of the month's first day
    month_length: dict[tuple[int, int], int]

    def span(self, year: int, month: int) -> slice:
        start = self.month_start[(year, month)]
        return slice(start, start + self.month_length[(year, month)])


def _calendar(end_month: tuple[int, int]) -> _Calendar:
    months = _months(end_month)
    first = np.datetime64(dt.date(*START_MONTH, 1), "D")
    last_day = calendar.monthrange(*end_month)[1]
    days = np.arange(first, np.datetime64(dt.date(*end_month, last_day), "D") + 1)
    holiday = np.zeros(days.size, dtype=bool)
    pre_holiday = np.zeros(days.size, dtype=bool)
    for year in range(START_MONTH[0], end_month[0] + 1):
        if year not in SPRING_FESTIVAL:
            raise ValueError(f"示例数据的节假日表不含 {year} 年")
        # The Spring Festival holiday starts on its eve and lasts eight days.
        starts = [(np.datetime64(dt.date(year, *SPRING_FESTIVAL[year]), "D") - 1, 8)]
        starts += [(np.datetime64(dt.date(year, *start), "D"), length) for start, length in FIXED_HOLIDAYS]
        for start, length in starts:
            offset = int((start - first).astype(int))
            holiday[max(offset, 0) : max(offset + length, 0)] = True
            pre_holiday[max(offset - PRE_HOLIDAY_DAYS, 0) : max(offset, 0)] = True
    weekday = (days.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-01 was a Thursday
    weekend = weekday >= 5
    month_number = (days.astype("datetime64[M]").astype(int) % 12) + 1
    accident_weight = np.where(holiday, 2.2, 1.0) * np.where(weekend, 1.15, 1.0)
    inspection_weight = np.where(weekend | holiday, 0.15, 1.0) * np.where(pre_holiday, 2.5, 1.0)
    # June is 安全生产月: more cases and training.
    office_weight = np.where(weekend | holiday, 0.1, 1.0) * np.where(month_number == 6, 1.5, 1.0)
    month_start, month_length = {}, {}
    offset = 0
    for year, month in months:
        month_start[(year, month)] = offset
        month_length[(year, month)] = calendar.monthrange(year, month)[1]
        offset += month_length[(year, month)]
    return _Calendar(
        days, accident_weight, inspection_weight, office_weight, pre_holiday, month_start, month_length
    )


# --- The fictional city -----------------------------------------------------------------


@dataclass
class _County:
    spec: CountySpec
    index: int
    townships: list[str]
    township_weights: np.ndarray
    population_wan: float
    gdp_yi: float
    vehicles_wan: float
    workforce_wan: float
    accidents_per_year: float
    richness: float

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def stem(self) -> str:
        return self.name[:-1]


def _townships(rng: np.random.Generator, spec: CountySpec, seated: bool) -> list[str]:
    count = int(rng.integers(8, 15))
    stems = [str(s) for s in rng.choice(TOWNSHIP_STEMS, size=count, replace=False)]
    if spec.district:
        streets = count - int(rng.integers(2, 4))
    else:
        streets = int(rng.integers(1, 3)) + (0 if seated else 1)
    names = []
    for i, stem in enumerate(stems):
        if seated and i == 0:
            names.append(SEAT_TOWNSHIP)
        elif len(names) < streets + (1 if seated else 0):
            names.append(f"{stem}街道")
        else:
            names.append(f"{stem}乡" if rng.random() < 0.3 else f"{stem}镇")
    return names


def _city(seed: int) -> list[_County]:
    rng = np.random.default_rng([seed, 0])
    counties_with_seat = set(rng.choice(np.arange(1, len(COUNTY_SPECS)), size=5, replace=False).tolist())
    counties = []
    for index, spec in enumerate(COUNTY_SPECS):
        townships = _townships(rng, spec, index in counties_with_seat)
        weights = rng.gamma(2.0, 1.0, size=len(townships))
        weights[0] *= 3.0  # the seat or the first 街道 is where people and business are
        population = float(rng.uniform(28, 85))
        if spec.name == HOME_COUNTY:
            population = max(population, 60.0)
        counties.append(
            _County(
                spec=spec,
                index=index,
                townships=townships,
                township_weights=weights / weights.sum(),
                population_wan=population,
                gdp_yi=population * float(rng.uniform(4.5, 9.0)),
                vehicles_wan=population * float(rng.uniform(0.22, 0.34)),
                workforce_wan=population * float(rng.uniform(0.08, 0.16)),
                accidents_per_year=population * float(rng.uniform(*ACCIDENTS_PER_WAN_PEOPLE_YEAR)),
                richness=(population / 50.0) * (HOME_RICHNESS if spec.name == HOME_COUNTY else 1.0),
            )
        )
    return counties


def _major_accident_months(seed: int, months: list[tuple[int, int]], county_count: int) -> dict:
    """One 较大 accident a year: (county index, year, month) -> 1."""
    rng = np.random.default_rng([seed, 1])
    planted = {}
    for year in sorted({y for y, _ in months}):
        in_year = [m for y, m in months if y == year]
        month = in_year[int(rng.integers(len(in_year)))]
        planted[(int(rng.integers(county_count)), year, month)] = 1
    return planted


# --- Arrow helpers -------------------------------------------------------------------------


def _strings(values: Sequence[str]) -> pa.Array:
    return pa.array(list(values), type=pa.string())


def _pick(rng: np.random.Generator, choices: Sequence[tuple], size: int) -> np.ndarray:
    """Indices into `choices` drawn with the weights in their second field."""
    weights = np.array([c[1] for c in choices], dtype=float)
    return rng.choice(len(choices), size=size, p=weights / weights.sum())


def _take(pool: pa.Array, index: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pool.take(pa.array(index, mask=null))


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _ids(prefix: str, code: str, year: int, month: int, count: int) -> pa.Array:
    numbers = pc.cast(pa.array(np.arange(1, count + 1)), pa.string())
    return _join(f"{prefix}-{code}-{year:04d}{month:02d}-", pc.utf8_lpad(numbers, 4, "0"))


def _money(cents: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    """万元 with exactly 2 decimals, from integer hundredths (exact sums for the bulletin)."""
    cents = np.ascontiguousarray(cents, dtype=np.int64)
    words = np.stack([cents, cents >> 63], axis=1)  # 128-bit little-endian two's complement
    validity = None
    if null is not None and null.any():
        validity = pa.array(~null).buffers()[1]
    return pa.Array.from_buffers(pa.decimal128(18, 2), cents.size, [validity, pa.py_buffer(words.tobytes())])


def _dates(days: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype("datetime64[D]"), type=pa.date32(), mask=null)


def _ints(values: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return pa.array(values.astype(np.int64), type=pa.int64(), mask=null)


def _table(dataset: str, columns: dict[str, pa.Array]) -> pa.Table:
    names = DATASETS[dataset].column_names
    return pa.Table.from_arrays([columns[n] for n in names], schema=_schema(dataset))


def _arrow_type(dataset: str, column: str) -> pa.DataType:
    kind = DATASETS[dataset].column(column).type
    if column == "hours":  # hours are whole numbers in every ledger we have seen
        return pa.int64()
    return {DATE: pa.date32(), INT: pa.int64(), DECIMAL: pa.decimal128(18, 2), BOOL: pa.bool_()}.get(
        kind, pa.string()
    )


def _schema(dataset: str) -> pa.Schema:
    return pa.schema([(c, _arrow_type(dataset, c)) for c in DATASETS[dataset].column_names])


class _Pool:
    """A fixed list of strings a text column is filled from by index (vectorised)."""

    def __init__(self, values: Sequence[str]) -> None:
        self.values = tuple(values)
        self.array = _strings(self.values)
        self.position = {v: i for i, v in enumerate(self.values)}

    def __len__(self) -> int:
        return len(self.values)

    def take(self, index: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
        return _take(self.array, index, null)


@dataclass(frozen=True)
class _Grouped:
    """Pools of strings, one per group (a sector, a department), laid end to end."""

    pool: _Pool
    offset: np.ndarray
    count: np.ndarray

    @classmethod
    def of(cls, groups: Sequence[Sequence[str]]) -> _Grouped:
        count = np.array([len(g) for g in groups], dtype=np.int64)
        return cls(_Pool([v for g in groups for v in g]), np.concatenate([[0], np.cumsum(count)[:-1]]), count)

    def draw(self, rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
        """A uniformly chosen member of each row's group (an index into the pool)."""
        return self.offset[group] + (rng.random(group.size) * self.count[group]).astype(np.int64)


def _pick_within(
    rng: np.random.Generator, group: np.ndarray, choices: Sequence[Sequence[tuple]]
) -> np.ndarray:
    """For each row, the value (first field) of a weighted choice among its group's `choices`."""
    out = np.zeros(group.size, dtype=np.int64)
    for index, options in enumerate(choices):
        rows = group == index
        if rows.any() and options:
            values = np.array([value for value, _ in options], dtype=np.int64)
            out[rows] = values[_pick(rng, options, int(rows.sum()))]
    return out


SECTOR_POOL = _Pool(SECTORS)
DEPARTMENT_POOL = _Pool([d.name for d in DEPARTMENTS])
ACCIDENT_TYPE_POOL = _Pool(ACCIDENT_TYPES)
DEPARTMENT_SECTORS = [[(SECTOR_POOL.position[s], w) for s, w in d.sectors] for d in DEPARTMENTS]
HAZARD_TEXT = _Grouped.of([HAZARD_DESCRIPTIONS[s] for s in SECTORS] + [MAJOR_HAZARD_DESCRIPTIONS])
VIOLATIONS = _Grouped.of([d.violations for d in DEPARTMENTS])
ORGANIZERS = _Grouped.of([TRAINING_PLAN[c][3] for c in TRAINING_CATEGORIES])
ACCIDENT_TYPE_CHOICES = [
    [(ACCIDENT_TYPE_POOL.position[t], w) for t, w in ACCIDENT_TYPE_BY_SECTOR[s]]
    for s, _, _ in ACCIDENT_SECTORS
]


# --- One county --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Registry:
    """The units (enterprises, sites, schools) a county's departments supervise, by department."""

    names: pa.Array
    township: np.ndarray  # index into the county's townships, -1 for a county-level unit
    sector: np.ndarray  # index into SECTORS: what the unit does
    offset: np.ndarray  # first unit of each department
    count: np.ndarray  # units per department

    def draw(self, rng: np.random.Generator, department: np.ndarray) -> np.ndarray:
        return self.offset[department] + (rng.random(department.size) * self.count[department]).astype(
            np.int64
        )


def _registry(rng: np.random.Generator, county: _County, scale: float) -> _Registry:
    stems = [t.removesuffix("街道").removesuffix("镇").removesuffix("乡") for t in county.townships]
    stem_pool = _Pool([*stems, county.stem])
    brand_pool = _Pool(BRANDS)
    names, townships, sectors, counts = [], [], [], []
    for index, department in enumerate(DEPARTMENTS):
        count = max(3, round(UNITS_PER_DEPARTMENT * county.richness * scale))
        township = rng.choice(len(county.townships), size=count, p=county.township_weights)
        township = np.where(rng.random(count) < NO_TOWNSHIP_SHARE, -1, township)
        parts = [stem_pool.take(np.where(township < 0, len(stems), township))]
        if department.branded:
            parts.append(brand_pool.take(rng.integers(len(BRANDS), size=count)))
        suffixes = _Pool(department.unit_suffixes)
        parts.append(suffixes.take(rng.integers(len(suffixes), size=count)))
        names.append(_join(*parts))
        townships.append(township)
        sectors.append(_pick_within(rng, np.full(count, index), DEPARTMENT_SECTORS))
        counts.append(count)
    count = np.array(counts, dtype=np.int64)
    return _Registry(
        names=pa.concat_arrays(names),
        township=np.concatenate(townships),
        sector=np.concatenate(sectors),
        offset=np.concatenate([[0], np.cumsum(count)[:-1]]),
        count=count,
    )


@dataclass(frozen=True)
class _Month:
    """One county-month: its days, its random stream and what every record of it shares."""

    county: _County
    registry: _Registry
    year: int
    month: int
    days: np.ndarray
    span: slice  # the month's days within the calendar
    end_day: np.datetime64  # the sample's last day: nothing is dated after it
    scale: float
    rng: np.random.Generator

    @property
    def trend_years(self) -> float:
        return (self.year - START_MONTH[0]) + (self.month - START_MONTH[1]) / 12

    def dates(self, weights: np.ndarray, daily_rate: float, at_least: int = 0) -> np.ndarray:
        """Poisson-many days of this month drawn by weight, sorted so IDs follow the date."""
        count = max(int(self.rng.poisson(daily_rate * weights.sum() * self.scale)), at_least)
        return np.sort(self.rng.choice(self.days, size=count, p=weights / weights.sum()))

    def ids(self, prefix: str, count: int) -> pa.Array:
        return _ids(prefix, self.county.spec.code, self.year, self.month, count)

    def county_column(self, count: int) -> pa.Array:
        return _take(_strings([self.county.name]), np.zeros(count, dtype=np.int64))

    def township_column(self, index: np.ndarray) -> pa.Array:
        return _take(_strings(self.county.townships), np.maximum(index, 0), index < 0)

    def random_township(self, count: int) -> np.ndarray:
        """Townships by weight, with the share of records that leave the township empty."""
        index = self.rng.choice(len(self.county.townships), size=count, p=self.county.township_weights)
        return np.where(self.rng.random(count) < NO_TOWNSHIP_SHARE, -1, index)


@dataclass(frozen=True)
class _Totals:
    accidents: int
    deaths: int
    injuries: int
    loss_cents: int


def _accidents(m: _Month, weights: np.ndarray, planted: bool) -> tuple[pa.Table, _Totals]:
    rng, county = m.rng, m.county
    daily = county.accidents_per_year / 365.0 / weights.mean() * ACCIDENT_TREND_PER_YEAR**m.trend_years
    day = m.dates(weights, daily, at_least=1 if planted else 0)
    n = day.size
    road_index = ACCIDENT_SECTOR_NAMES.index("道路交通")
    fire_index = ACCIDENT_SECTOR_NAMES.index("消防火灾")
    sector = _pick(rng, ACCIDENT_SECTORS, n)
    at = int(np.flatnonzero(sector == road_index)[0]) if (sector == road_index).any() else 0
    if planted:  # the year's 较大 accident is a road crash
        sector[at] = road_index
    road, fire = sector == road_index, sector == fire_index
    # Deaths 0-2, injuries at most 8 and losses under 800 万元 keep an ordinary accident
    # below every 较大 threshold; only the planted one has 3 or more deaths.
    u = rng.random(n)
    deaths = np.where(road, (u > 0.45).astype(int) + (u > 0.95), (u > 0.6).astype(int) + (u > 0.97))
    deaths = np.where(fire, (u > 0.8).astype(int) + (u > 0.98), deaths)
    injuries = np.minimum(rng.poisson(np.where(road, 1.3, 0.8)), 8)
    injuries = np.where((deaths + injuries == 0) & ~fire, 1, injuries)
    if planted:
        deaths[at] = 3 + int(rng.random() < 0.3)
        injuries[at] = int(rng.integers(2, 6))
    serious = rng.binomial(injuries, 0.3)
    water = sector == ACCIDENT_SECTOR_NAMES.index(MISSING_PERSONS_SECTOR)
    missing = np.where(water, rng.random(n) < 0.3, rng.random(n) < 0.004).astype(np.int64)
    base = np.where(road, 2.0, np.where(fire, 5.0, 4.0)) * np.exp(rng.normal(0.0, 0.9, n))
    loss = np.minimum(base + deaths * rng.uniform(20, 60, n), 800.0)
    cents = np.maximum(np.rint(loss * 100), 1).astype(np.int64)
    type_index = _pick_within(rng, sector, ACCIDENT_TYPE_CHOICES)
    type_null = rng.random(n) < 0.03

    # Units come from the supervising department's ledger; road accidents seldom name one.
    department = np.array([DEPARTMENT_INDEX[d] if d else -1 for _, _, d in ACCIDENT_SECTORS], dtype=np.int64)[
        sector
    ]
    has_unit = (department >= 0) & (~road | (rng.random(n) < 0.25))
    unit_index = m.registry.draw(rng, np.maximum(department, 0))
    township = np.where(has_unit, m.registry.township[unit_index], m.random_township(n))
    unit = _take(m.registry.names, unit_index, ~has_unit)
    place = pc.fill_null(m.township_column(township), county.name)
    accident_type = ACCIDENT_TYPE_POOL.take(type_index, type_null)
    road_summary = _join(
        place,
        "境内",
        _Pool(ROADS).take(rng.integers(len(ROADS), size=n)),
        "发生",
        _Pool(COLLISIONS).take(rng.integers(len(COLLISIONS), size=n)),
        "事故",
    )
    other_summary = _join(pc.fill_null(unit, place), "发生", pc.fill_null(accident_type, "生产安全"), "事故")
    table = _table(
        "accidents",
        {
            "accident_id": m.ids("SG", n),
            "occurred_on": _dates(day),
            "county": m.county_column(n),
            "township": m.township_column(township),
            "sector": _Pool(ACCIDENT_SECTOR_NAMES).take(sector),
            "accident_type": accident_type,
            "deaths": _ints(deaths),
            "serious_injuries": _ints(serious),
            "injuries": _ints(injuries),
            "missing": _ints(missing),
            "direct_loss_wan": _money(cents),
            "unit": unit,
            "summary": pc.if_else(pa.array(road, type=pa.bool_()), road_summary, other_summary),
        },
    )
    return table, _Totals(n, int(deaths.sum()), int(injuries.sum()), int(cents.sum()))


def _inspections_and_hazards(m: _Month, calendar_: _Calendar) -> tuple[pa.Table, pa.Table]:
    rng, registry = m.rng, m.registry
    trend = SUPERVISION_TREND_PER_YEAR**m.trend_years
    day = m.dates(calendar_.inspection_weight[m.span], INSPECTIONS_PER_DAY * m.county.richness * trend)
    n = day.size
    department = _pick(rng, [(d.name, d.inspection_share) for d in DEPARTMENTS], n)
    unit = registry.draw(rng, department)
    township = registry.township[unit]
    kinds = _Pool(("日常检查", "专项检查", "联合检查", "复查", "节假日检查"))
    kind = _pick(rng, (("日常检查", 0.55), ("专项检查", 0.2), ("联合检查", 0.1), ("复查", 0.15)), n)
    before_holiday = calendar_.pre_holiday[m.span][(day - m.days[0]).astype(np.int64)]
    kind = np.where(before_holiday & (rng.random(n) < 0.65), kinds.position["节假日检查"], kind)
    joint = department == DEPARTMENT_INDEX[JOINT_TEAM]
    kind = np.where(joint & (rng.random(n) < 0.7), kinds.position["联合检查"], kind)
    inspection_id = m.ids("JC", n)
    inspections = _table(
        "inspections",
        {
            "inspection_id": inspection_id,
            "inspected_on": _dates(day),
            "county": m.county_column(n),
            "township": m.township_column(township),
            "department": DEPARTMENT_POOL.take(department),
            "unit": _take(registry.names, unit),
            "kind": kinds.take(kind),
        },
    )

    follow_up = kind == kinds.position["复查"]
    found_per_inspection = rng.poisson(np.where(follow_up, HAZARDS_PER_FOLLOW_UP, HAZARDS_PER_INSPECTION))
    source = np.repeat(np.arange(n), found_per_inspection)
    h = source.size
    found = day[source]
    major = rng.random(h) < MAJOR_HAZARD_SHARE
    sector = registry.sector[unit[source]]
    description = HAZARD_TEXT.draw(rng, np.where(major, len(SECTORS), sector))
    allowed = np.where(
        major,
        rng.choice([30, 45, 60], size=h),
        rng.choice([7, 10, 15, 20, 30], size=h, p=[0.3, 0.2, 0.25, 0.1, 0.15]),
    )
    deadline = found + allowed.astype("timedelta64[D]")
    # Days taken as a share of the time allowed: most on time, some late, a few very
    # late; major hazards take longer. Whatever is not done by the sample's end is open.
    u = rng.random(h)
    share = np.where(
        u < np.where(major, 0.6, 0.82),
        rng.uniform(0.1, 1.0, h),
        np.where(u < np.where(major, 0.9, 0.97), rng.uniform(1.0, 2.0, h), rng.uniform(2.0, 5.0, h)),
    )
    on_the_spot = ~major & (rng.random(h) < 0.2)
    taken = np.where(on_the_spot, 0, np.rint(share * allowed)).astype(np.int64)
    rectified = found + taken.astype("timedelta64[D]")
    order = major | (rng.random(h) < ORDER_SHARE)
    reviewed = deadline + rng.integers(0, 11, size=h).astype("timedelta64[D]")
    not_reviewed = ~order | (rng.random(h) >= REVIEW_SHARE) | (reviewed > m.end_day)
    source_index = pa.array(source)
    hazards = _table(
        "hazards",
        {
            "hazard_id": m.ids("YH", h),
            "inspection_id": inspection_id.take(source_index),
            "found_on": _dates(found),
            "county": m.county_column(h),
            "township": m.township_column(township[source]),
            "department": DEPARTMENT_POOL.take(department[source]),
            "unit": _take(registry.names, unit[source]),
            "sector": SECTOR_POOL.take(sector),
            "level": _Pool(("一般隐患", "重大隐患")).take(major.astype(np.int64)),
            "description": HAZARD_TEXT.pool.take(description),
            "deadline": _dates(deadline),
            "rectified_on": _dates(rectified, rectified > m.end_day),
            "order_issued": pa.array(order, type=pa.bool_()),
            "reviewed_on": _dates(reviewed, not_reviewed),
        },
    )
    return inspections, hazards


def _enforcement(m: _Month, weights: np.ndarray) -> pa.Table:
    rng, registry = m.rng, m.registry
    trend = SUPERVISION_TREND_PER_YEAR**m.trend_years
    day = m.dates(weights, CASES_PER_DAY * m.county.richness * trend)
    n = day.size
    enforcing = [(i, d.case_share) for i, d in enumerate(DEPARTMENTS) if d.case_share > 0]
    department = np.array([i for i, _ in enforcing], dtype=np.int64)[_pick(rng, enforcing, n)]
    party = registry.draw(rng, department)
    measures = _Pool([name for name, _ in MEASURE_SHARES])
    measure = _pick(rng, MEASURE_SHARES, n)
    low, high = FINE_RANGE_WAN
    fine = np.clip(1.2 * np.exp(rng.normal(0.0, 0.9, n)), low, high)
    return _table(
        "enforcement",
        {
            "case_id": m.ids("ZF", n),
            "filed_on": _dates(day),
            "county": m.county_column(n),
            "township": m.township_column(registry.township[party]),
            "department": DEPARTMENT_POOL.take(department),
            "party": _take(registry.names, party),
            "violation": VIOLATIONS.pool.take(VIOLATIONS.draw(rng, department)),
            "measure": measures.take(measure),
            "fine_wan": _money(np.rint(fine * 100), measure != measures.position["罚款"]),
        },
    )


def _training(m: _Month, calendar_: _Calendar) -> tuple[pa.Table, np.ndarray]:
    """The month's sessions, and trainees summed by [category, township + 1] for the targets."""
    rng = m.rng
    daily_rate = SESSIONS_PER_DAY * m.county.richness
    day = m.dates(calendar_.office_weight[m.span], daily_rate)
    n = day.size
    plans = [TRAINING_PLAN[c] for c in TRAINING_CATEGORIES]
    category = _pick(rng, [(c, p[0]) for c, p in zip(TRAINING_CATEGORIES, plans, strict=True)], n)
    low = np.array([p[1][0] for p in plans])[category]
    high = np.array([p[1][1] for p in plans])[category]
    trainees = rng.integers(low, high + 1)
    hours = _pick_within(rng, category, [p[2] for p in plans])
    county_wide = np.isin(category, [TRAINING_CATEGORIES.index(c) for c in COUNTY_WIDE_CATEGORIES])
    # Courses for the county-wide categories are run by county departments, not a township.
    # Townships take turns running courses (a roster), so none goes a whole year without one.
    local_share = sum(TRAINING_PLAN[c][0] for c in TRAINING_CATEGORIES if c not in COUNTY_WIDE_CATEGORIES)
    per_day = daily_rate * calendar_.office_weight.mean() * m.scale * local_share
    roster = int(m.span.start * per_day) + np.cumsum(~county_wide) - 1
    township = np.where(county_wide, -1, roster % len(m.county.townships))
    township = np.where(rng.random(n) < NO_TOWNSHIP_SHARE, -1, township)
    township_text = m.township_column(township)
    # Courses for ordinary workers are run by the township government (a 街道's 办事处).
    by_township = _join(
        pc.fill_null(township_text, m.county.name),
        pc.if_else(pc.ends_with(pc.fill_null(township_text, ""), "街道"), "办事处", "人民政府"),
    )
    by_department = ORGANIZERS.pool.take(ORGANIZERS.draw(rng, category), ORGANIZERS.count[category] == 0)
    examined = rng.random(n) < EXAMINED_SHARE
    trained = np.zeros((len(TRAINING_CATEGORIES), len(m.county.townships) + 1), dtype=np.int64)
    np.add.at(trained, (category, township + 1), trainees)
    table = _table(
        "training",
        {
            "session_id": m.ids("PX", n),
            "held_on": _dates(day),
            "county": m.county_column(n),
            "township": township_text,
            "category": _Pool(TRAINING_CATEGORIES).take(category),
            "organizer": pc.coalesce(by_department, by_township),
            "trainees": _ints(trainees),
            "passed": _ints(trainees - rng.binomial(trainees, FAIL_SHARE), ~examined),
            "hours": _ints(hours),
        },
    )
    return table, trained


# --- City-wide tables -------------------------------------------------------------------------


def _regions(counties: list[_County]) -> pa.Table:
    rows = [(c.name, t) for c in counties for t in c.townships]
    return _table(
        "regions",
        {
            "county": _strings([c for c, _ in rows]),
            "township": _strings([t for _, t in rows]),
            "city": _strings([CITY] * len(rows)),
        },
    )


def _profiles(counties: list[_County], years: list[int], seed: int) -> pa.Table:
    columns: dict[str, list] = {
        "year": [],
        "county": [],
        "gdp_yi": [],
        "population_wan": [],
        "vehicles_wan": [],
        "workforce_wan": [],
    }
    growth = {}
    for county in counties:
        rng = np.random.default_rng([seed, 4, county.index])
        growth[county.name] = {
            "gdp_yi": rng.uniform(1.03, 1.07),
            "population_wan": rng.uniform(0.992, 1.004),
            "vehicles_wan": rng.uniform(1.04, 1.08),
            "workforce_wan": rng.uniform(0.99, 1.02),
        }
    for year in years:
        for county in counties:
            columns["year"].append(year)
            columns["county"].append(county.name)
            for name, factor in growth[county.name].items():
                columns[name].append(getattr(county, name) * factor ** (year - START_MONTH[0]))
    return _table(
        "county_profile",
        {
            "year": _ints(np.array(columns["year"])),
            "county": _strings(columns["county"]),
            **{
                name: _money(np.rint(np.array(columns[name]) * 100))
                for name in ("gdp_yi", "population_wan", "vehicles_wan", "workforce_wan")
            },
        },
    )


def _targets(
    counties: list[_County],
    trained: dict[tuple[int, int], np.ndarray],
    months: list[tuple[int, int]],
    seed: int,
) -> pa.Table:
    """Yearly training targets a little above or below what each county trains in a full year."""
    rows: list[tuple[int, str, str | None, str, int]] = []
    for year in sorted({y for y, _ in months}):
        to_full_year = 12 / sum(1 for y, _ in months if y == year)
        for county in counties:
            rng = np.random.default_rng([seed, 5, county.index, year])
            # by_township[category, township + 1]: column 0 holds sessions without a township.
            by_township = trained[(county.index, year)] * to_full_year
            for index, category in enumerate(TRAINING_CATEGORIES):
                if category in COUNTY_WIDE_CATEGORIES:
                    required = round(by_township[index].sum() * rng.uniform(0.9, 1.2), -1)
                    rows.append((year, county.name, None, category, int(required)))
                    continue
                factor = rng.uniform(0.85, 1.3, len(county.townships))
                required = np.rint(by_township[index, 1:] * factor / 5) * 5
                # A township that ran no course still has its task: a typical township's.
                typical = np.median(required[required > 0]) if (required > 0).any() else 5
                required = np.where(required > 0, required, np.rint(typical / 5) * 5)
                rows.extend(
                    (year, county.name, township, category, int(r))
                    for township, r in zip(county.townships, required, strict=True)
                )
    return _table(
        "training_targets",
        {
            "year": _ints(np.array([r[0] for r in rows])),
            "county": _strings([r[1] for r in rows]),
            "township": pa.array([r[2] for r in rows], type=pa.string()),
            "category": _strings([r[3] for r in rows]),
            "required": _ints(np.array([r[4] for r in rows])),
        },
    )


def _bulletin(totals: dict[tuple[str, int, int], _Totals], months: list[tuple[int, int]]) -> pa.Table:
    """The city's monthly figures for every county but ours, as its accident records add up."""
    rows = []
    for year, month in months:
        for spec in COUNTY_SPECS:
            if spec.name == HOME_COUNTY:
                continue
            if spec.name == BULLETIN_GAP_COUNTY and (year, month) in months[-BULLETIN_GAP_MONTHS:]:
                continue
            rows.append((year, month, spec.name, totals[(spec.name, year, month)]))
    return _table(
        "city_bulletin",
        {
            "year": _ints(np.array([r[0] for r in rows])),
            "month": _ints(np.array([r[1] for r in rows])),
            "county": _strings([r[2] for r in rows]),
            "accidents": _ints(np.array([r[3].accidents for r in rows])),
            "deaths": _ints(np.array([r[3].deaths for r in rows])),
            "injuries": _ints(np.array([r[3].injuries for r in rows])),
            "direct_loss_wan": _money(np.array([r[3].loss_cents for r in rows])),
        },
    )


# --- Writing --------------------------------------------------------------------------------

CHUNK_ROWS = 500_000
BOM = "\ufeff".encode()


class _Sink:
    """One dataset's file, written in chunks: CSV as a county analyst sends it, or typed Parquet."""

    def __init__(self, path: Path, dataset: str, file_format: str) -> None:
        self.path, self.dataset, self.file_format = path, dataset, file_format
        self.pending: list[pa.Table] = []
        self.pending_rows = 0
        self.rows = 0
        self.file = None
        self.writer = None

    def write(self, table: pa.Table) -> None:
        self.pending.append(table)
        self.pending_rows += table.num_rows
        if self.pending_rows >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        table = pa.concat_tables(self.pending) if self.pending else _schema(self.dataset).empty_table()
        self.pending, self.pending_rows = [], 0
        self.rows += table.num_rows
        if self.file_format == "parquet":
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.path, table.schema)
            self.writer.write_table(table)
            return
        table = _as_analyst_csv(table, self.dataset)
        if self.writer is None:
            self.file = open(self.path, "wb")  # noqa: SIM115 (closed in close())
            self.file.write(BOM + (",".join(table.schema.names) + "\n").encode())
            options = pa_csv.WriteOptions(include_header=False, quoting_style="none")
            self.writer = pa_csv.CSVWriter(self.file, table.schema, write_options=options)
        self.writer.write_table(table)

    def close(self) -> None:
        if self.pending or self.writer is None:
            self.flush()
        self.writer.close()
        if self.file is not None:
            self.file.close()


def _as_analyst_csv(table: pa.Table, dataset: str) -> pa.Table:
    """Chinese headers and 是/否 for booleans; dates and 2-decimal money already print right."""
    columns = []
    for column in table.columns:
        if pa.types.is_boolean(column.type):
            column = pc.if_else(column, "是", "否")
        columns.append(column)
    names = [DATASETS[dataset].column(n).zh for n in table.schema.names]
    return pa.Table.from_arrays(columns, names=names)


def generate(
    out_dir: str | os.PathLike,
    *,
    end_month: tuple[int, int] = SAMPLE_END_MONTH,
    scale: float = 1.0,
    seed: int = SAMPLE_SEED,
    file_format: str = "csv",
) -> dict[str, Path]:
    """Write every dataset of the fictional city from January 2024 to `end_month`; returns the paths.

    `scale` multiplies the record volumes (regions and profiles stay as they are);
    `file_format` is "csv" (UTF-8 with BOM, Chinese headers) or "parquet" (typed, English names).
    """
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"未知的文件格式：{file_format}")
    if scale <= 0:
        raise ValueError("规模系数必须大于 0")
    if end_month < START_MONTH or not 1 <= end_month[1] <= 12:
        raise ValueError(f"结束月份无效：{end_month[0]}-{end_month[1]}")
    if end_month > last_full_month():
        # Records dated after today would be rejected on import ("not after today").
        raise ValueError(
            f"结束月份 {end_month[0]}-{end_month[1]:02d} 尚未结束，示例数据只能生成到上一个完整月份"
        )
    months = _months(end_month)
    years = sorted({year for year, _ in months})
    calendar_ = _calendar(end_month)
    counties = _city(seed)
    planted = _major_accident_months(seed, months, len(counties))
    end_day = calendar_.days[-1]

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / f"{name}.{file_format}" for name in LOAD_ORDER}
    sinks = {name: _Sink(path, name, file_format) for name, path in paths.items()}
    try:
        sinks["regions"].write(_regions(counties))
        sinks["county_profile"].write(_profiles(counties, years, seed))
        totals: dict[tuple[str, int, int], _Totals] = {}
        trained: dict[tuple[int, int], np.ndarray] = {}
        for county in counties:
            registry = _registry(np.random.default_rng([seed, 2, county.index]), county, scale)
            for year, month in months:
                span = calendar_.span(year, month)
                m = _Month(
                    county=county,
                    registry=registry,
                    year=year,
                    month=month,
                    days=calendar_.days[span],
                    span=span,
                    end_day=end_day,
                    scale=scale,
                    rng=np.random.default_rng([seed, 3, county.index, year, month]),
                )
                accidents, totals[(county.name, year, month)] = _accidents(
                    m, calendar_.accident_weight[span], (county.index, year, month) in planted
                )
                inspections, hazards = _inspections_and_hazards(m, calendar_)
                sinks["accidents"].write(accidents)
                sinks["inspections"].write(inspections)
                sinks["hazards"].write(hazards)
                sinks["enforcement"].write(_enforcement(m, calendar_.office_weight[span]))
                training, month_trained = _training(m, calendar_)
                sinks["training"].write(training)
                trained[(county.index, year)] = trained.get((county.index, year), 0) + month_trained
        sinks["training_targets"].write(_targets(counties, trained, months, seed))
        sinks["city_bulletin"].write(_bulletin(totals, months))
    finally:
        for sink in sinks.values():
            sink.close()
    return paths
