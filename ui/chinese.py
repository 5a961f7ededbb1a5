"""Chinese for the parts of the screen that Streamlit and Plotly write themselves.

Streamlit has no language setting: its uploader, dialogs, tooltips, table menus and status widget
are English in the bundled frontend. `install()` puts a small script on the page (no external
request) that translates those texts where the browser shows them — text, `aria-label`, `title`,
`placeholder` — and keeps doing so as Streamlit redraws. Plotly's tool bar is translated by Plotly
itself: `plotly_config()` registers a zh-CN locale with the chart.

What stays English, and why, is written down in docs/chinese-ui.md.
"""

from __future__ import annotations

import json

import streamlit as st

# Streamlit's own words, exactly as its frontend writes them (streamlit 1.67), and their Chinese.
UI_TEXT = {
    # Page furniture
    "Skip to main content": "跳到正文",
    "Main menu": "主菜单",
    "App pages": "页面导航",
    "Sidebar": "侧边栏",
    "Collapse sidebar": "收起侧边栏",
    "Expand sidebar": "展开侧边栏",
    "Link to heading": "链接到此标题",
    "Copy to clipboard": "复制",
    "Copied": "已复制",
    "Help": "说明",
    "Close": "关闭",
    "Open": "展开",
    "Running...": "正在计算……",
    "Stop": "停止",
    "Rerun": "重新运行",
    "Connecting": "正在连接",
    "Connection error": "连接中断",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:": (
        "无法连接到看板服务。请确认服务仍在运行（可在终端重新启动）："
    ),
    "Always rerun": "总是重新运行",
    "Please wait...": "请稍候……",
    "Loading...": "正在加载……",
    # The dialog for a page URL the app does not have
    "Page not found": "页面不存在",
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "您打开的页面不存在，已转到首页。"
    ),
    "No page file was found in the app's pages/ directory. Running the app's main page.": (
        "您打开的页面不存在，已转到首页。"
    ),
    # Select boxes and sliders
    "Choose an option": "请选择",
    "Choose options": "请选择",
    "No results": "无匹配项",
    "No options": "无可选项",
    "Clear all": "全部清除",
    "Clear value": "清除",
    "Type to search": "输入以搜索",
    # File uploader
    "Drag and drop file here": "将文件拖放到此处",
    "Drag and drop files here": "将文件拖放到此处",
    "Drag and drop a file here": "将文件拖放到此处",
    "Upload": "选择文件",
    "Browse files": "选择文件",
    "Remove": "移除",
    "Error:": "错误：",
    "Add files": "添加文件",
    "add icon": "添加",
    "Previous page": "上一页",
    "Next page": "下一页",
    # Element tool bar (tables and charts)
    "Search": "搜索",
    "Close Search": "关闭搜索",
    "Next Result": "下一个结果",
    "Previous Result": "上一个结果",
    "Download as CSV": "下载 CSV",
    "Show/hide columns": "显示/隐藏列",
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    "Exit fullscreen": "退出全屏",
    "Show data": "查看数据",
    # Table column menu
    "Dataframe column menu": "列菜单",
    "Sort ascending": "升序排列",
    "Sort descending": "降序排列",
    "Format": "数字格式",
    "Automatic": "自动",
    "Localized": "本地格式",
    "Plain": "普通",
    "Compact": "紧凑",
    "Percent": "百分比",
    "Scientific": "科学计数",
    "Accounting": "会计格式",
    "Dollar": "美元",
    "Euro": "欧元",
    "Yen": "日元",
    "Autosize": "自动列宽",
    "Pin column": "固定列",
    "Unpin column": "取消固定",
    "Hide column": "隐藏列",
    "Copy column name": "复制列名",
    "Select all": "全选",
    "Statistics": "统计",
    "Count": "计数",
    "Distinct": "不同值",
    "Empty": "空值",
    "Minimum": "最小值",
    "Maximum": "最大值",
    "Average": "平均值",
    "Median": "中位数",
    "Sum": "合计",
    "Standard deviation": "标准差",
    "Minimum length": "最短长度",
    "Maximum length": "最长长度",
    "Average length": "平均长度",
    "Based on sample": "基于抽样",
    "Values": "值的个数",
    "(index)": "（行号）",
    "Dismiss": "关闭",
    "text": "文本",
    "number": "数字",
    "date": "日期",
    "datetime": "日期时间",
    "checkbox": "是/否",
    "Range": "范围",
    "Distribution histogram": "分布直方图",
    "Top values frequency chart": "高频取值图",
    "True/false distribution chart": "是/否分布图",
    "No data": "无数据",
    "Failed to export data as CSV": "导出 CSV 失败",
}
# Texts that carry a name or a number: (JavaScript regular expression, replacement with $1).
UI_PATTERNS = (
    (r"^Help for (.+)$", "$1的说明"),
    (r"^(\d+(?:\.\d+)?\s?[KMGT]?B) per file$", "每个文件不超过 $1"),
    (r"^Remove (.+)$", "移除 $1"),
    (r"^(\d+) options? available\.$", "共 $1 个选项"),
    (r"^Top values frequency chart: (.*)$", "高频取值图：$1"),
    (r"^Distribution histogram: (.*)$", "分布直方图：$1"),
    (r"^True/false distribution chart: (.*)$", "是/否分布图：$1"),
    (r"^(.+) — start$", "$1（起）"),
    (r"^(.+) — end$", "$1（止）"),
    (r"^(.+) files are not allowed\.$", "不支持该文件类型，请上传 CSV 或 Excel 文件"),
    (r"^File must be (.+) or smaller\.$", "文件不能超过 $1"),
)

# Plotly's tool bar and messages (plotly.js 3.8, bundled with Streamlit) as a zh-CN locale.
PLOTLY_LOCALE = {
    "dictionary": {
        "Autoscale": "自动缩放",
        "Box Select": "矩形选择",
        "Click to enter Colorscale title": "点击输入色标标题",
        "Click to enter Plot title": "点击输入图表标题",
        "Click to enter X axis title": "点击输入X轴标题",
        "Click to enter Y axis title": "点击输入Y轴标题",
        "Compare data on hover": "悬停时比较数据",
        "Double-click on legend to isolate one trace": "双击图例只显示该系列",
        "Double-click to zoom back out": "双击恢复原始比例",
        "Download plot": "下载图片",
        "Download plot as a PNG": "下载图片（PNG）",
        "Download plot as JSON": "下载图表数据（JSON）",
        "Image download succeeded": "图片已下载",
        "JSON download succeeded": "JSON 已下载",
        "Lasso Select": "套索选择",
        "Pan": "平移",
        "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
        "Produced with Plotly.js": "由 Plotly.js 生成",
        "Reset": "重置",
        "Reset axes": "重置坐标轴",
        "Reset view": "重置视图",
        "Reset views": "重置视图",
        "Show closest data on hover": "悬停时显示最近的数据",
        "Snapshot succeeded": "截图成功",
        "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败",
        "Sorry, there was a problem downloading your JSON file!": "抱歉，JSON 下载失败",
        "Taking snapshot - this may take a few seconds": "正在截图，请稍候",
        "Toggle show closest data on hover": "切换悬停时显示最近的数据",
        "Toggle Spike Lines": "切换辅助线",
        "Zoom": "缩放",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "close:": "收盘：",
        "high:": "最高：",
        "low:": "最低：",
        "open:": "开盘：",
        "trace": "系列",
        "max:": "最大值：",
        "mean:": "平均值：",
        "median:": "中位数：",
        "min:": "最小值：",
        "q1:": "下四分位数：",
        "q3:": "上四分位数：",
        "kde:": "密度：",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": [f"{m}月" for m in range(1, 13)],
        "shortMonths": [f"{m}月" for m in range(1, 13)],
        "date": "%Y-%m-%d",
        "decimal": ".",
        "thousands": ",",
    },
}
PLOTLY_LOCALE_NAME = "zh-CN"


def plotly_config(**settings) -> dict:
    """A st.plotly_chart config whose tool bar, tooltips and messages are Chinese."""
    return {**settings, "locale": PLOTLY_LOCALE_NAME, "locales": {PLOTLY_LOCALE_NAME: PLOTLY_LOCALE}}


_SCRIPT = """
(() => {
  if (window.__chineseUi) return;
  window.__chineseUi = true;
  const TEXT = %(text)s;
  const PATTERNS = %(patterns)s.map(([source, replacement]) => [new RegExp(source), replacement]);
  const ATTRIBUTES = ["aria-label", "title", "placeholder", "data-title"];
  const translated = (value) => {
    const plain = value.trim();
    if (!plain) return null;
    if (Object.prototype.hasOwnProperty.call(TEXT, plain)) return value.replace(plain, TEXT[plain]);
    for (const [pattern, replacement] of PATTERNS) {
      if (pattern.test(plain)) return value.replace(plain, plain.replace(pattern, replacement));
    }
    return null;
  };
  const fix = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const value = translated(node.nodeValue);
      if (value !== null && value !== node.nodeValue) node.nodeValue = value;
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      for (const name of ATTRIBUTES) {
        const current = node.getAttribute(name);
        if (!current) continue;
        const value = translated(current);
        if (value !== null && value !== current) node.setAttribute(name, value);
      }
    }
  };
  const walk = (root) => {
    fix(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) fix(node);
  };
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "childList") record.addedNodes.forEach(walk);
      else fix(record.target);
    }
  });
  observer.observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES,
  });
  walk(document.body);
  document.documentElement.lang = "zh-CN";
  document.body.dataset.chineseUi = "on";
})();
"""

# The element holding the script takes no room on the page.
_CSS = """
<style>
[data-testid="stLayoutWrapper"]:has(> .st-key-chinese-ui), .st-key-chinese-ui { display: none !important; }
</style>
"""


def install() -> None:
    """Translate Streamlit's own texts on this page (call once per run, from dashboard.py)."""
    script = _SCRIPT % {
        "text": json.dumps(UI_TEXT, ensure_ascii=False),
        "patterns": json.dumps([list(p) for p in UI_PATTERNS], ensure_ascii=False),
    }
    with st.container(key="chinese-ui"):
        st.html(f"{_CSS}<script>{script}</script>", unsafe_allow_javascript=True)
