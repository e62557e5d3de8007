"""newsloom: turn news articles from many outlets into a dated, source-cited record of events."""

__version__ = "0.1.0"
