"""argparse in Chinese: a gettext translation table for argparse's own messages.

argparse looks every message up with `gettext` (`_()`/`ngettext`) when it builds a parser, formats
help or reports an error. `ChineseParser` answers those look-ups from the table below while its own
methods run, and puts argparse back afterwards, so nothing else in the process is affected. The keys
are argparse's message ids as Python 3.11 writes them; a message not in the table stays as argparse
has it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gettext
from collections.abc import Iterator

MESSAGES = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必填参数：%s",
    "one of the arguments %s is required": "参数 %s 必须给出其中一个",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的%(type)s",
    "expected one argument": "需要一个取值",
    "expected at most one argument": "最多只能有一个取值",
    "expected at least one argument": "至少需要一个取值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的取值 %r",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的子命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}
PLURAL_MESSAGES = {
    ("expected %s argument", "expected %s arguments"): "需要 %s 个取值",
    ("conflicting option string: %s", "conflicting option strings: %s"): "选项冲突：%s",
}


class Translation(gettext.NullTranslations):
    """The table above as a gettext translation."""

    def gettext(self, message: str) -> str:
        return MESSAGES.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = PLURAL_MESSAGES.get((singular, plural))
        if found:
            return found
        return singular if n == 1 else plural


TRANSLATION = Translation()


@contextlib.contextmanager
def chinese() -> Iterator[None]:
    """Within the block argparse's messages are Chinese; afterwards they are argparse's own again."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = TRANSLATION.gettext, TRANSLATION.ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def _in_chinese(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with chinese():
            return method(*args, **kwargs)

    return wrapper


def integer(text: str) -> int:
    return int(text)


integer.__name__ = "整数"  # argparse names the type in "不是有效的整数"


def display_width(text: str) -> int:
    """Terminal columns: CJK characters and full-width punctuation take two."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, with the help column aligned when option names hold Chinese metavars."""

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        header = self._format_action_invocation(action)
        extra = display_width(header) - len(header)
        first, newline, rest = text.partition("\n")
        start = first.find(header)
        if extra <= 0 or start < 0:
            return text
        end = start + len(header)
        after = first[end:]
        gap = len(after) - len(after.lstrip(" "))
        if not after.strip():
            return text
        if gap - extra >= 2:
            first = first[:end] + after[extra:]
        else:  # the header no longer fits before the help column: help on the next line, as argparse does
            column = min(self._action_max_length + 2, self._max_help_position)
            first = first[:end] + "\n" + " " * column + after.lstrip(" ")
        return first + newline + rest


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose group titles, help and error messages are Chinese."""

    @_in_chinese
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)

    add_subparsers = _in_chinese(argparse.ArgumentParser.add_subparsers)
    parse_args = _in_chinese(argparse.ArgumentParser.parse_args)
    parse_known_args = _in_chinese(argparse.ArgumentParser.parse_known_args)
    format_usage = _in_chinese(argparse.ArgumentParser.format_usage)
    format_help = _in_chinese(argparse.ArgumentParser.format_help)
    error = _in_chinese(argparse.ArgumentParser.error)
