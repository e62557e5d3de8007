"""newsloom: turn news articles from many outlets into a dated, source-cited record of events.

The public API, for scripts and notebooks (imported on first use, so that `import newsloom` stays light):

    from newsloom import Store, events
    from newsloom.pipeline import ingest
    with Store("news.db") as store:
        ingest(store, ["articles.jsonl"])
        for e in events(store):
            print(e["date"]["start"], e["title"])

Every name below is the same function the command line and the web app call. A module's name is never
one of them (`newsloom.pipeline.ingest`, `newsloom.timeline.timeline`, `newsloom.compare.compare`: the
modules keep their names).
Each module declares its own public names in `__all__` (tests/test_boundaries.py checks that modules
import only those).
"""

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name -> the module that defines it
_API = {
    "Store": "store",
    "NewsloomError": "errors",
    "InputError": "errors",
    "NotFoundError": "errors",
    "StoreError": "errors",
    "recluster": "pipeline",
    "load_resources": "annotate",
    "articles": "views",
    "events": "views",
    "storylines": "views",
    "entities": "views",
    "entity_detail": "views",
    "summarise": "datewise",
    "brief": "compare",
    "search": "store.search",
    "Browse": "store.browse",
}

__all__ = ["__version__", *sorted(_API)]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module 'newsloom' has no attribute {name!r}")
