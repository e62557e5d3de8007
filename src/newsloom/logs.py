"""Logging for the command line: one line a message on stderr, full tracebacks in a log file.

A user sees what went wrong in one line; the traceback a developer needs is written to the log file,
whose path the line names. The file is `$NEWSLOOM_LOG`, else `newsloom.log` in the user's state
directory (`$XDG_STATE_HOME/newsloom`, default `~/.local/state/newsloom`), else in the temporary directory.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

__all__ = ["LOG_BYTES", "log_path", "setup"]

LOG_BYTES = 5 * 2**20  # the log is rotated past this size (one old copy kept)


def log_path() -> Path:
    if os.environ.get("NEWSLOOM_LOG"):
        return Path(os.environ["NEWSLOOM_LOG"])
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "newsloom" / "newsloom.log"


class _OneLine(logging.Formatter):
    """Messages without their tracebacks; a message that had one says where it was logged."""

    def __init__(self, where: str | None) -> None:
        super().__init__("newsloom: %(message)s")
        self.where = where

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text
        record.exc_info, record.exc_text = None, None
        try:
            line = super().format(record)
        finally:
            record.exc_info, record.exc_text = saved
        if saved[0] is not None:
            line += f" (traceback in {self.where})" if self.where else " (no log file could be written)"
        return line


def setup(verbose: bool = False) -> Path | None:
    """Configure logging for one command; returns the log file's path, or None if none can be written."""
    from logging.handlers import RotatingFileHandler

    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    path: Path | None = None
    for candidate in (log_path(), Path(tempfile.gettempdir()) / "newsloom.log"):
        try:
            candidate.parent.mkdir(parents=True, exist_ok=True)
            fh = RotatingFileHandler(candidate, maxBytes=LOG_BYTES, backupCount=1, encoding="utf-8")
        except OSError:
            continue
        fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        fh.setLevel(logging.WARNING)
        root.addHandler(fh)
        path = candidate
        break
    err = logging.StreamHandler()
    err.setFormatter(_OneLine(str(path) if path else None))
    root.addHandler(err)
    return path
