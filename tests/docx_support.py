"""Reading a Word document back in the report tests."""

from __future__ import annotations

import io
import re

import docx


def docx_text(data: bytes) -> tuple[str, list[list[list[str]]]]:
    """The paragraphs of a .docx as one string, and its tables as lists of rows of cell texts."""
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return text, tables


def number(text: str) -> float:
    """'1,234.50' -> 1234.5."""
    return float(re.sub(r"[,，]", "", text))
