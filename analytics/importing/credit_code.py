"""统一社会信用代码 (GB 32100-2015): its alphabet and check character.

18 characters: 登记管理部门代码 (1), 机构类别代码 (1), 登记管理机关行政区划码 (6),
主体标识码 (9, the 组织机构代码 of GB 11714 with its own check character) and a check
character over the first 17, from 31 characters (the digits and the capital letters
without I, O, Z, S and V).
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
# GB 11714 组织机构代码: 8 body characters (digits and capital letters) and a check character.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def check_character(first17: str) -> str:
    """The GB 32100-2015 check character of the first 17 characters (all from ALPHABET)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def organization_check(body8: str) -> str:
    """The GB 11714 check character of an 8-character 组织机构代码 body (0-9, A-Z)."""
    total = sum(int(c, 36) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def credit_code_problem(text: str) -> str | None:
    """A Chinese message saying what is wrong with a 统一社会信用代码, or None when it is valid."""
    code = text.strip()
    if len(code) != LENGTH:
        return f"统一社会信用代码应为 {LENGTH} 位，“{code}”是 {len(code)} 位"
    wrong = sorted({c for c in code if c not in _VALUE}, key=code.index)
    if wrong:
        shown = "”“".join(wrong)
        return (
            f"统一社会信用代码“{code}”含有不允许的字符“{shown}”：只能是数字和大写字母（不含 I、O、Z、S、V）"
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码“{code}”的校验位应为“{expected}”，不是“{code[17]}”：请核对代码"
    return None
