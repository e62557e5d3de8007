"""Everything newsloom reads from and writes to its SQLite database: no SQL lives outside this package
(tests/test_boundaries.py).

`Store` (database.py) owns the connection, transactions and migrations; one repository per noun holds the
SQL of that noun and works over a connection, inside the caller's transaction:

- `articles.ArticleRepository`: articles beyond their insertion (the corpus stages' reads and flags, the
  pages' reads, date-wise summaries), the URLs waiting to be fetched, the failures;
- `entities.EntityRepository`: canonical entities, their lookup keys (`norm_name`, `entity_keys`), lookup
  by name, the links of mentions to them;
- `events.EventRepository`: events and storylines (the clustering's reads and writes, cards, timelines),
  and `events.CandidateIndex`, the bounded lookups of candidate events;
- `mentions.MentionRepository`: entity and event mentions read back with what they name and cite;
- `minhash.MinHashIndex`, `linestats.LineStats`, `feeds.WatchedFeeds`: the near-duplicate index, the
  counts of repeated lines, the feeds `watch` follows;
- `merge.BlockCopy`: a block's store merged into the main one (`batch --corpus sharded`);
- `browse.Browse` and `search.search`: the sorted, filtered, paged lists and the full-text search.
"""

from .database import Store, content_hash, now
from .events import CandidateIndex, EventRepository

__all__ = ["CandidateIndex", "EventRepository", "Store", "content_hash", "now"]
