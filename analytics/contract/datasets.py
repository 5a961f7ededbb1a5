"""The data contract as data: every dataset, its columns, types, aliases and key.

This module is the single source of truth for the data contract (spec/data-contract.md).
The store builds its tables from it, the importer validates against it, and the
templates and sample data are written from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SECTORS = (
    "道路交通",
    "工业",
    "商贸",
    "建筑施工",
    "危险化学品",
    "烟花爆竹",
    "矿山",
    "农业机械",
    "水上交通",
    "铁路交通",
    "消防火灾",
    "其他",
)
SECTOR_ALIASES = {
    "道路运输": "道路交通",
    "交通": "道路交通",
    "工贸": "工业",
    "建筑": "建筑施工",
    "建筑业": "建筑施工",
    "危化品": "危险化学品",
    "化工": "危险化学品",
    "非煤矿山": "矿山",
    "煤矿": "矿山",
    "农机": "农业机械",
    "火灾": "消防火灾",
    "消防": "消防火灾",
}
# 工矿商贸: the safety bureau's own domain (metrics.md, Sectors).
INDUSTRY_TRADE_SECTORS = ("工业", "商贸", "建筑施工", "危险化学品", "烟花爆竹", "矿山")
ROAD_TRAFFIC = "道路交通"

ACCIDENT_TYPES = (
    "物体打击",
    "车辆伤害",
    "机械伤害",
    "起重伤害",
    "触电",
    "淹溺",
    "灼烫",
    "火灾",
    "高处坠落",
    "坍塌",
    "冒顶片帮",
    "透水",
    "放炮",
    "火药爆炸",
    "瓦斯爆炸",
    "锅炉爆炸",
    "容器爆炸",
    "其他爆炸",
    "中毒和窒息",
    "其他伤害",
)
ACCIDENT_LEVELS = ("一般", "较大", "重大", "特别重大")
INSPECTION_KINDS = ("日常检查", "专项检查", "联合检查", "节假日检查", "复查")
HAZARD_LEVELS = ("一般隐患", "重大隐患")
HAZARD_LEVEL_ALIASES = {
    "一般": "一般隐患",
    "一般事故隐患": "一般隐患",
    "重大": "重大隐患",
    "重大事故隐患": "重大隐患",
}
MEASURES = (
    "罚款",
    "警告",
    "责令限期整改",
    "责令停产停业整改",
    "取缔关闭",
    "暂扣吊销证照",
    "移送司法机关",
)
TRAINING_CATEGORIES = ("主要负责人", "安全管理人员", "特种作业人员", "基层监管人员", "一般从业人员")
LISTED_LEVELS = ("县级", "市级", "省级")  # 挂牌督办级别
LISTED_LEVEL_ALIASES = {
    **{level[0]: level for level in LISTED_LEVELS},
    **{f"{level}挂牌": level for level in LISTED_LEVELS},
    **{f"{level}挂牌督办": level for level in LISTED_LEVELS},
}
GRADES = ("一级", "二级", "三级")  # 安全生产标准化创建等级
GRADE_ALIASES = {f"{grade}达标": grade for grade in GRADES}
SOURCE_LEVELS = ("一级", "二级", "三级", "四级")  # 重大危险源等级 (GB 18218; 一级 the most dangerous)
SOURCE_LEVEL_ALIASES = {f"{level}重大危险源": level for level in SOURCE_LEVELS}
REPORT_ITEMS = ("道路交通违法行为", "非法违法行为")  # 部门月报 统计项目
REPORT_ITEM_ALIASES = {
    "交通违法": "道路交通违法行为",
    "道路交通违规行为": "道路交通违法行为",
    "打非治违": "非法违法行为",
    "非法违法生产经营行为": "非法违法行为",
}
# 作出行政处罚: measures that are administrative penalties under the 行政处罚法 (metrics.md, Enforcement);
# 责令限期整改 is an order and 移送司法机关 a referral, not penalties.
PENALTY_MEASURES = ("罚款", "警告", "责令停产停业整改", "取缔关闭", "暂扣吊销证照")

# Column types. Each maps to one DuckDB type and one normalisation rule.
TEXT, DATE, INT, DECIMAL, ENUM, BOOL = "text", "date", "int", "decimal", "enum", "bool"
SQL_TYPES = {
    TEXT: "VARCHAR",
    DATE: "DATE",
    INT: "BIGINT",
    DECIMAL: "DECIMAL(18,4)",
    ENUM: "VARCHAR",
    BOOL: "BOOLEAN",
}


@dataclass(frozen=True)
class Column:
    """One column of a dataset as the contract defines it."""

    name: str
    zh: str
    type: str
    required: bool = False
    values: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    minimum: float | None = None  # inclusive lower bound
    positive: bool = False  # strictly greater than zero
    maximum: float | None = None  # inclusive upper bound
    default: object = None
    not_after_today: bool = False
    units: tuple[str, ...] = ()  # unit suffixes accepted after a number, e.g. "3人"
    credit_code: bool = False  # 统一社会信用代码: 18 characters with a GB 32100-2015 check character


@dataclass(frozen=True)
class Dataset:
    """One importable dataset: its table, key, columns and the date it is filed under."""

    name: str
    zh: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    date_column: str | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _county(required: bool = True) -> Column:
    return Column("county", "县市区", TEXT, required=required)


def _township() -> Column:
    return Column("township", "乡镇（街道）", TEXT)


PEOPLE = ("人",)
MONEY = ("万元",)

ACCIDENTS = Dataset(
    "accidents",
    "生产安全事故",
    key=("accident_id",),
    date_column="occurred_on",
    columns=(
        Column("accident_id", "事故编号", TEXT, required=True),
        Column("occurred_on", "发生日期", DATE, required=True, not_after_today=True),
        _county(),
        _township(),
        Column("sector", "行业领域", ENUM, required=True, values=SECTORS, aliases=SECTOR_ALIASES),
        Column("accident_type", "事故类别", ENUM, values=ACCIDENT_TYPES),
        Column("deaths", "死亡人数", INT, required=True, minimum=0, units=PEOPLE),
        Column("serious_injuries", "重伤人数", INT, minimum=0, default=0, units=PEOPLE),
        Column("injuries", "受伤人数", INT, required=True, minimum=0, units=PEOPLE),
        Column("missing", "下落不明人数", INT, minimum=0, default=0, units=PEOPLE),
        Column("direct_loss_wan", "直接经济损失（万元）", DECIMAL, required=True, minimum=0, units=MONEY),
        Column("unit", "事故单位", TEXT),
        Column("summary", "事故简况", TEXT),
    ),
)

INSPECTIONS = Dataset(
    "inspections",
    "安全检查",
    key=("inspection_id",),
    date_column="inspected_on",
    columns=(
        Column("inspection_id", "检查编号", TEXT, required=True),
        Column("inspected_on", "检查日期", DATE, required=True, not_after_today=True),
        _county(),
        _township(),
        Column("department", "检查部门", TEXT, required=True),
        Column("unit", "被检查单位", TEXT, required=True),
        Column("kind", "检查类型", ENUM, values=INSPECTION_KINDS),
        Column("sector", "行业领域", ENUM, values=SECTORS, aliases=SECTOR_ALIASES),
    ),
)

HAZARDS = Dataset(
    "hazards",
    "隐患排查整改",
    key=("hazard_id",),
    date_column="found_on",
    columns=(
        Column("hazard_id", "隐患编号", TEXT, required=True),
        Column("inspection_id", "检查编号", TEXT),
        Column("found_on", "排查日期", DATE, required=True, not_after_today=True),
        _county(),
        _township(),
        Column("department", "检查部门", TEXT, required=True),
        Column("unit", "隐患单位", TEXT, required=True),
        Column("sector", "行业领域", ENUM, values=SECTORS, aliases=SECTOR_ALIASES),
        Column("level", "隐患等级", ENUM, required=True, values=HAZARD_LEVELS, aliases=HAZARD_LEVEL_ALIASES),
        Column("description", "隐患描述", TEXT),
        Column("deadline", "整改期限", DATE, required=True),
        Column("rectified_on", "整改完成日期", DATE, not_after_today=True),
        Column("order_issued", "下达整改指令书", BOOL, default=False),
        Column("reviewed_on", "复查日期", DATE),
        Column("listed_level", "挂牌督办级别", ENUM, values=LISTED_LEVELS, aliases=LISTED_LEVEL_ALIASES),
        Column("closed_on", "销号日期", DATE, not_after_today=True),
    ),
)

ENFORCEMENT = Dataset(
    "enforcement",
    "行政执法",
    key=("case_id",),
    date_column="filed_on",
    columns=(
        Column("case_id", "案件编号", TEXT, required=True),
        Column("filed_on", "立案日期", DATE, required=True, not_after_today=True),
        _county(),
        _township(),
        Column("department", "执法部门", TEXT, required=True),
        Column("party", "当事单位", TEXT),
        Column("violation", "违法行为", TEXT),
        Column("measure", "处理措施", ENUM, required=True, values=MEASURES),
        Column("fine_wan", "罚款金额（万元）", DECIMAL, minimum=0, default=0, units=MONEY),
    ),
)

TRAINING = Dataset(
    "training",
    "安全培训",
    key=("session_id",),
    date_column="held_on",
    columns=(
        Column("session_id", "培训编号", TEXT, required=True),
        Column("held_on", "培训日期", DATE, required=True, not_after_today=True),
        _county(),
        _township(),
        Column("category", "培训对象", ENUM, required=True, values=TRAINING_CATEGORIES),
        Column("organizer", "组织单位", TEXT),
        Column("trainees", "参训人数", INT, required=True, positive=True, units=PEOPLE),
        Column("passed", "考核合格人数", INT, minimum=0, units=PEOPLE),
        Column("hours", "学时", DECIMAL, positive=True, units=("学时", "小时")),
        Column("title", "培训班名称", TEXT),
    ),
)

TRAINING_TARGETS = Dataset(
    "training_targets",
    "年度培训任务",
    key=("year", "county", "township", "category"),
    columns=(
        Column("year", "年度", INT, required=True, units=("年",)),
        _county(),
        _township(),
        Column("category", "培训对象", ENUM, required=True, values=TRAINING_CATEGORIES),
        Column("required", "应培训人数", INT, required=True, minimum=0, units=PEOPLE),
    ),
)

REGIONS = Dataset(
    "regions",
    "行政区划",
    key=("county", "township"),
    columns=(
        _county(),
        Column("township", "乡镇（街道）", TEXT, required=True),
        Column("city", "市", TEXT),
    ),
)

CITY_BULLETIN = Dataset(
    "city_bulletin",
    "全市通报",
    key=("year", "month", "county"),
    columns=(
        Column("year", "年度", INT, required=True, units=("年",)),
        Column("month", "月份", INT, required=True, minimum=1, maximum=12, units=("月",)),
        _county(),
        Column("accidents", "事故起数", INT, required=True, minimum=0, units=("起",)),
        Column("deaths", "死亡人数", INT, required=True, minimum=0, units=PEOPLE),
        Column("injuries", "受伤人数", INT, required=True, minimum=0, units=PEOPLE),
        Column("direct_loss_wan", "直接经济损失（万元）", DECIMAL, required=True, minimum=0, units=MONEY),
    ),
)

COUNTY_PROFILE = Dataset(
    "county_profile",
    "县域基础数据",
    key=("year", "county"),
    columns=(
        Column("year", "年度", INT, required=True, units=("年",)),
        _county(),
        Column("gdp_yi", "地区生产总值（亿元）", DECIMAL, positive=True, units=("亿元",)),
        Column("population_wan", "常住人口（万人）", DECIMAL, positive=True, units=("万人",)),
        Column("vehicles_wan", "机动车保有量（万辆）", DECIMAL, positive=True, units=("万辆",)),
        Column("workforce_wan", "工矿商贸从业人员（万人）", DECIMAL, positive=True, units=("万人",)),
    ),
)

STANDARDIZATION = Dataset(
    "standardization",
    "安全生产标准化创建",
    key=("record_id",),
    date_column="applied_on",
    columns=(
        Column("record_id", "创建编号", TEXT, required=True),
        _county(),
        _township(),
        Column("enterprise", "企业名称", TEXT, required=True),
        Column("credit_code", "统一社会信用代码", TEXT, credit_code=True),
        Column("sector", "行业领域", ENUM, values=SECTORS, aliases=SECTOR_ALIASES),
        Column("grade", "创建等级", ENUM, required=True, values=GRADES, aliases=GRADE_ALIASES),
        Column("applied_on", "申报日期", DATE, required=True, not_after_today=True),
        Column("passed_on", "评审通过日期", DATE, not_after_today=True),
        Column("expires_on", "证书有效期至", DATE),
    ),
)

STANDARDIZATION_TARGETS = Dataset(
    "standardization_targets",
    "年度标准化创建任务",
    key=("year", "county", "grade"),
    columns=(
        Column("year", "年度", INT, required=True, units=("年",)),
        _county(),
        Column("grade", "创建等级", ENUM, required=True, values=GRADES, aliases=GRADE_ALIASES),
        Column("target", "任务数（户）", INT, required=True, minimum=0, units=("户",)),
    ),
)

MAJOR_HAZARD_SOURCES = Dataset(
    "major_hazard_sources",
    "重大危险源",
    key=("source_id",),
    date_column="registered_on",
    columns=(
        Column("source_id", "危险源编号", TEXT, required=True),
        _county(),
        _township(),
        Column("enterprise", "所属单位", TEXT, required=True),
        Column("name", "危险源名称", TEXT),
        Column(
            "level", "危险源等级", ENUM, required=True, values=SOURCE_LEVELS, aliases=SOURCE_LEVEL_ALIASES
        ),
        Column("registered_on", "备案日期", DATE, required=True, not_after_today=True),
        Column("deregistered_on", "核销日期", DATE, not_after_today=True),
        Column("monitored", "在线监控", BOOL, default=False),
    ),
)

PROJECTS = Dataset(
    "projects",
    "建设项目安全设施“三同时”",
    key=("project_id",),
    date_column="registered_on",
    columns=(
        Column("project_id", "项目编号", TEXT, required=True),
        _county(),
        _township(),
        Column("name", "项目名称", TEXT, required=True),
        Column("sector", "行业领域", ENUM, values=SECTORS, aliases=SECTOR_ALIASES),
        Column("registered_on", "立项备案日期", DATE, required=True, not_after_today=True),
        Column("evaluated_on", "安全评价日期", DATE, not_after_today=True),
        Column("accepted_on", "竣工验收日期", DATE, not_after_today=True),
    ),
)

MONTHLY_REPORTS = Dataset(
    "monthly_reports",
    "部门月报",
    key=("year", "month", "county", "department", "item"),
    columns=(
        Column("year", "年度", INT, required=True, units=("年",)),
        Column("month", "月份", INT, required=True, minimum=1, maximum=12, units=("月",)),
        _county(),
        Column("department", "报送部门", TEXT, required=True),
        Column("item", "统计项目", ENUM, required=True, values=REPORT_ITEMS, aliases=REPORT_ITEM_ALIASES),
        Column("value", "数量（起）", INT, required=True, minimum=0, units=("起",)),
    ),
)

CONTROL_TARGETS = Dataset(
    "control_targets",
    "年度控制指标",
    key=("year", "county", "township"),
    columns=(
        Column("year", "年度", INT, required=True, units=("年",)),
        _county(),
        _township(),  # empty = the county as a whole
        Column("accidents_cap", "事故起数控制数", INT, minimum=0, units=("起",)),
        Column("deaths_cap", "死亡人数控制数", INT, minimum=0, units=PEOPLE),
    ),
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        ACCIDENTS,
        INSPECTIONS,
        HAZARDS,
        ENFORCEMENT,
        TRAINING,
        TRAINING_TARGETS,
        REGIONS,
        CITY_BULLETIN,
        COUNTY_PROFILE,
        STANDARDIZATION,
        STANDARDIZATION_TARGETS,
        MAJOR_HAZARD_SOURCES,
        PROJECTS,
        MONTHLY_REPORTS,
        CONTROL_TARGETS,
    )
}

# Accident level thresholds (生产安全事故报告和调查处理条例, Art. 3), highest first:
# (level, deaths, serious_injuries, direct_loss_wan); 以上 includes the number.
ACCIDENT_LEVEL_THRESHOLDS = (
    ("特别重大", 30, 100, 10000),
    ("重大", 10, 50, 5000),
    ("较大", 3, 10, 1000),
)
MAJOR_LEVELS = ("较大", "重大", "特别重大")  # 较大及以上


def accident_level_sql() -> str:
    """SQL expression deriving 事故等级 from deaths, serious injuries and loss."""
    cases = " ".join(
        f"WHEN deaths >= {d} OR coalesce(serious_injuries, 0) >= {s} OR direct_loss_wan >= {w} THEN '{level}'"
        for level, d, s, w in ACCIDENT_LEVEL_THRESHOLDS
    )
    return f"CASE {cases} ELSE '一般' END"
