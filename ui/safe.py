"""Text from files (names of counties, townships, units, files; messages quoting them) shown as text.

Streamlit renders `st.markdown`, `st.caption`, `st.info`/`warning`/`error`/`success` and
`st.write` of a string as Markdown (links, emphasis, `:red[…]`, `$…$` formulas, and with
`unsafe_allow_html` raw HTML). `text()` turns every character that Markdown or HTML would
read as markup into a numeric character reference, which both show as the character itself:
`<script>` stays eight characters on screen, `**x**` stays four asterisks and an x.
A line's first character is escaped too when it would start a heading, list or quote, and
so is a bare web address (`http://…`, `www.…`), which GitHub-flavoured Markdown links.
"""

from __future__ import annotations

import re

_MARKUP = set("&<>*_`[]\\~$|")
_LINE_START = re.compile(r"(^|\n)([ \t]*)([#+\-=>]|\d+[.)])", re.M)


def _reference(ch: str) -> str:
    return f"&#{ord(ch)};"


def text(value: object) -> str:
    """`value` as a string that Markdown and HTML both show literally."""
    escaped = "".join(_reference(ch) if ch in _MARKUP else ch for ch in str(value))
    # Bare addresses become links in GitHub-flavoured Markdown.
    escaped = re.sub(r":(?=//)", _reference(":"), escaped)
    escaped = re.sub(r"(?i)(www)\.", r"\1" + _reference("."), escaped)
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2) + "".join(map(_reference, m.group(3))), escaped)
