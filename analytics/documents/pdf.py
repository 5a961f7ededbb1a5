"""A PDF beside a Word document, when LibreOffice is installed (it is optional: the .docx is the document)."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
CONVERT_TIMEOUT_SECONDS = 120


def soffice() -> str | None:
    """LibreOffice's command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: Path) -> Path | None:
    """Convert `docx` to a PDF of the same name beside it; None if LibreOffice is missing or fails."""
    command = soffice()
    if command is None:
        return None
    # A profile of its own, so a conversion run by a timer never clashes with a LibreOffice already open.
    with tempfile.TemporaryDirectory(prefix="soffice-") as profile:
        try:
            subprocess.run(
                [
                    command,
                    f"-env:UserInstallation={Path(profile).as_uri()}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(docx.parent),
                    str(docx),
                ],
                capture_output=True,
                timeout=CONVERT_TIMEOUT_SECONDS,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            log.warning("PDF conversion of %s failed", docx, exc_info=True)
            return None
    pdf = docx.with_suffix(".pdf")
    return pdf if pdf.is_file() else None
