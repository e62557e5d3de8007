"""One exception root with a few subclasses. Messages say what failed, on which input, what to do."""

__all__ = ["InputError", "NewsloomError", "NotFoundError", "PipelineError", "StoreError", "internal_error"]


class NewsloomError(Exception):
    """Root of every error newsloom raises on purpose."""


class InputError(NewsloomError):
    """An input (file, line, URL, text) cannot be read or turned into an article."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(NewsloomError):
    """The database cannot be opened, migrated or written."""


class PipelineError(NewsloomError):
    """The pipeline is misconfigured (a stage needs what no earlier stage adds)."""


class NotFoundError(NewsloomError):
    """A requested storyline, event, entity or article does not exist."""


def internal_error(stage: str, origin: str, exc: BaseException) -> str:
    """Log an unexpected exception met on one input with its traceback, and return the one-line reason
    stored for that input (its failure record) and shown to the user."""
    import logging

    logging.getLogger("newsloom").error("%s failed on %s", stage, origin, exc_info=exc)
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"internal error in {stage}: {type(exc).__name__}{': ' + text if text else ''}"
