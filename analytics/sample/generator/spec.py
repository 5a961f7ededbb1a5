"""The fictional city's specification: counties, departments, names, volumes at scale 1, holidays."""

from __future__ import annotations

from dataclasses import dataclass

from analytics import store

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
    "standardization_targets",
    "standardization",
    "major_hazard_sources",
    "projects",
    "monthly_reports",
    "control_targets",
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

# --- County programmes (programmes.py) ------------------------------------------------
# The seed's own figures for the home county's end year: 20 二级 and 60 三级 达标 to reach,
# 25 and 57 enterprises applied, 42 new projects under “三同时” supervision.
HOME_STANDARDIZATION_TARGETS = {"一级": 0, "二级": 20, "三级": 60}
HOME_STANDARDIZATION_APPLIED = {"一级": 0, "二级": 25, "三级": 57}
HOME_NEW_PROJECTS = 42
CERTIFICATE_YEARS = 3  # 安全生产标准化证书有效期
REGION_CODE_PREFIX = "3699"  # fictional: no real prefecture carries it
STANDARDIZATION_SUFFIXES = (
    ("工业", ("机械制造有限公司", "食品有限公司", "纺织有限公司", "木业有限公司", "新材料有限公司", "建材有限公司")),
    ("危险化学品", ("化工有限公司", "燃气有限公司", "石油销售有限公司")),
    ("商贸", ("商贸有限公司", "仓储物流有限公司", "购物中心有限公司")),
    ("烟花爆竹", ("烟花爆竹批发有限公司",)),
    ("矿山", ("矿业有限公司", "砂石有限公司")),
)  # fmt: skip
SOURCE_KINDS = (
    ("化工有限公司", ("液氨储罐区", "甲醇储罐区", "液氯钢瓶库", "硫酸储罐区")),
    ("燃气有限公司", ("液化石油气储罐区", "天然气储配站")),
    ("石油储运有限公司", ("汽油柴油储罐区", "油品装卸区")),
    ("烟花爆竹批发有限公司", ("烟花爆竹成品仓库",)),
    ("新材料有限公司", ("氢气充装站", "有机溶剂罐区")),
)  # fmt: skip
SOURCE_LEVEL_SHARES = (("一级", 0.05), ("二级", 0.15), ("三级", 0.35), ("四级", 0.45))
PROJECT_KINDS = (
    ("工业", "年产5万吨饲料加工项目"),
    ("工业", "标准化厂房建设项目"),
    ("工业", "光伏组件生产线项目"),
    ("商贸", "冷链仓储物流园项目"),
    ("商贸", "商业综合体建设项目"),
    ("危险化学品", "加油加气站改扩建项目"),
    ("危险化学品", "液化天然气储配站项目"),
    ("建筑施工", "安置小区建设项目"),
    ("矿山", "建筑石料矿开采项目"),
)
# 部门月报: (department, item, count per month per unit of the county, the unit, trend per year).
MONTHLY_REPORTERS = (
    ("公安交警大队", "道路交通违法行为", 55.0, "vehicles_wan", 0.9),
    ("交通运输局", "道路交通违法行为", 1.5, "vehicles_wan", 0.92),
    ("应急管理局", "非法违法行为", 0.12, "population_wan", 1.1),
    ("消防救援大队", "非法违法行为", 0.08, "population_wan", 1.05),
    ("市场监督管理局", "非法违法行为", 0.06, "population_wan", 1.08),
    ("自然资源局", "非法违法行为", 0.03, "population_wan", 1.0),
)
LISTED_SHARE = 0.75  # 重大隐患 put under 挂牌督办
LISTED_LEVEL_SHARES = (("县级", 0.65), ("市级", 0.28), ("省级", 0.07))
CLOSED_SHARE = 0.85  # rectified listed hazards 销号 within weeks
# 培训班: (categories, title, numbered 第N期, from month, share of the category's sessions); first match wins.
TRAINING_TITLES = (
    (("安全管理人员",), "危险化学品行业安全管理培训班", False, 6, 0.1),
    (("主要负责人", "安全管理人员"), "企业安全管理培训班", True, 4, 0.45),
    (("特种作业人员",), "特种作业人员安全技术培训班", True, 1, 0.5),
    (("基层监管人员",), "基层安全生产管理干部业务培训班", True, 1, 0.6),
)
