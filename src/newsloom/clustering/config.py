"""Every number of the same-event clustering in one object, each with its meaning.

`SETTINGS` is the configuration in use. A TOML file overrides any of it (`newsloom --cluster-config FILE`,
or `load(path)`): a table of `name = value` lines, names as below. `newsloom cluster-settings` prints them
all with their meanings. The pair model's weights are not here: they are data, written by
`benchmarks/learn_weights.py` (see `pairs.PairModel`).

Two kinds of number: `tuned` ones change which reports make one event and were chosen on the development
corpora (`benchmarks/ablate.py` switches each off in turn); `bound` ones only limit the cost of a step (how
many candidates, how many comparisons) and are not tuned for quality.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..errors import NewsloomError

__all__ = ["ClusterConfig", "SETTINGS", "load", "overridden"]


def _tuned(value: Any, meaning: str) -> Any:
    return field(default=value, metadata={"kind": "tuned", "meaning": meaning})


def _bound(value: Any, meaning: str) -> Any:
    return field(default=value, metadata={"kind": "bound", "meaning": meaning})


@dataclass
class ClusterConfig:
    # --- joining a report to an event -----------------------------------------------------------------
    veto_days: int = _tuned(
        10,
        "the days (or weeks) a report and an event state for their happening, further apart than this "
        "(days), veto the match outright; closer disagreements, and publication dates, are weighed by the "
        "pair model",
    )
    followups_join: bool = _tuned(
        True,
        "a report leading with a person an event names, at a place it names, may join it whatever its "
        "date (an arrest, a charge or a funeral after the happening: see docs/events.md)",
    )
    # --- refinement after a batch -----------------------------------------------------------------------
    refine_threshold: float = _tuned(
        0.55,
        "after a batch, the reports of the events it touched are re-clustered by average link down to "
        "this probability",
    )
    refine_link: float = _tuned(
        0.3, "an event a report scored above this with takes part in that report's refinement"
    )
    refine_undated_link: float = _tuned(
        0.5,
        "a report whose dates veto an event still asks for refinement with it when it links above this "
        "to one of the event's undated reports",
    )
    group_min: int = _tuned(
        3,
        "a group of at least this many reports is large: two large groups need group_extra more to join "
        "in refinement, and only smaller groups attach after it, each to a large one",
    )
    group_extra: float = _tuned(
        0.1, "what two large groups need above refine_threshold to join (0: no more than two reports)"
    )
    attach_threshold: float = _tuned(
        0.3,
        "after refinement, a small group joins the group it is clearly nearest to when their average "
        "link is at least this (above 1: never)",
    )
    attach_margin: float = _tuned(0.05, "... and no other group comes within this margin")
    refine_movable: int = _bound(
        48, "an event of more reports keeps them in refinement and takes part as a whole"
    )
    refine_articles: int = _bound(64, "at most this many reports are re-clustered together")
    refine_anchors: int = _bound(4, "at most this many large events take part in one refinement")
    refine_pairs: int = _bound(100, "comparisons a batch may spend on refinement, per report")
    figure_tolerance: float = _tuned(
        0.2,
        "whole figures of two leads within this share of each other do not differ (a toll that grew)",
    )
    # --- storylines ---------------------------------------------------------------------------------------
    story_threshold: float = _tuned(
        0.22, "two events whose storyline score (text, people, places) exceeds this share a storyline"
    )
    # --- candidates and profiles: cost bounds ---------------------------------------------------------
    per_entity: int = _bound(40, "latest events looked at per participant or place")
    scored_candidates: int = _bound(25, "candidate events that get the full pair model")
    max_members: int = _bound(12, "an event is compared through at most this many of its reports")
    max_terms: int = _bound(300, "terms kept in an event's profile")
    block_articles: int = _bound(
        5000,
        "with `newsloom batch --corpus sharded`, a time block of more articles is cut into blocks of at most "
        "this many by the names they share (one executor task's work)",
    )
    idf_drift: float = _bound(0.02, "a batch's idf map is kept until the store has grown by this share")

    def describe(self) -> list[tuple[str, Any, str, str]]:
        """(name, value, kind, meaning) of every setting, in the order above."""
        return [
            (f.name, getattr(self, f.name), f.metadata["kind"], f.metadata["meaning"]) for f in fields(self)
        ]

    def update(self, values: dict[str, Any], origin: str = "settings") -> None:
        """Set some values, checked against the names and types above."""
        known = {f.name: f for f in fields(self)}
        for name, value in values.items():
            if name not in known:
                raise NewsloomError(f"{origin}: unknown clustering setting {name!r}")
            current: Any = known[name].default
            if isinstance(current, bool):
                ok = isinstance(value, bool)
            elif isinstance(current, int):
                ok = isinstance(value, int) and not isinstance(value, bool)
            else:
                ok = isinstance(value, int | float) and not isinstance(value, bool)
            if not ok:
                what = "true or false" if isinstance(current, bool) else f"a number like {current!r}"
                raise NewsloomError(f"{origin}: clustering setting {name!r} must be {what}")
            setattr(self, name, type(current)(value))


SETTINGS = ClusterConfig()


def load(path: str | Path) -> None:
    """Override settings from a TOML file of `name = value` lines."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise NewsloomError(f"{path}: cannot read the clustering settings ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise NewsloomError(f"{path}: not a TOML file ({exc})") from None
    SETTINGS.update(data, origin=str(path))


@contextmanager
def overridden(**values: Any) -> Iterator[ClusterConfig]:
    """The settings with some values changed, restored afterwards (benchmarks and tests)."""
    before = {f.name: getattr(SETTINGS, f.name) for f in fields(SETTINGS)}
    SETTINGS.update(values)
    try:
        yield SETTINGS
    finally:
        for name, value in before.items():
            setattr(SETTINGS, name, value)
