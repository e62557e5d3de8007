"""Near-duplicate articles (syndicated wire copies, re-posts): MinHash over word shingles, LSH bands in the store.

The signature is a pure function of the text (per-document stage); the band index lives in SQLite so
that it persists, grows incrementally and costs one indexed lookup per band, whatever the store's size.
"""

from __future__ import annotations

import re
import sqlite3

import numpy as np
from datasketch import MinHash

from .store.minhash import MinHashIndex
from .textclean import looks_like_sentence

__all__ = [
    "BANDS",
    "MIN_PROSE_WORDS",
    "NUM_PERM",
    "ROWS",
    "SEED",
    "SHINGLE",
    "THRESHOLD",
    "band_keys",
    "find_near_duplicate",
    "index",
    "is_copy",
    "signature",
    "substance",
]

NUM_PERM = 128
BANDS = 16  # 16 bands x 8 rows: pairs above ~0.7 estimated Jaccard become candidates
ROWS = NUM_PERM // BANDS
SHINGLE = 5
THRESHOLD = 0.8  # estimated Jaccard of 5-word shingles at which two bodies are copies of one report
SEED = 1
# Words of prose a body needs to be compared at all: two pages whose only prose is a sign-in wall, a
# cookie notice or a list of links (pages of related sites share them word for word) are not copies of
# one report, and neither are two one-line briefs.
MIN_PROSE_WORDS = 40


def substance(text: str) -> str:
    """The prose of a body: its lines that read as sentences (menus, bylines, link lists and other
    furniture do not), which is what two copies of one report share."""
    return "\n".join(line for line in text.split("\n") if looks_like_sentence(line))


def signature(text: str) -> np.ndarray | None:
    """MinHash signature of the 5-word shingles of a body's prose; None for a body with too little prose
    to tell a copy of a report from a page of furniture."""
    words = re.findall(r"\w+", substance(text).lower())
    if len(words) < MIN_PROSE_WORDS:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}
    mh = MinHash(num_perm=NUM_PERM, seed=SEED)
    mh.update_batch(list(shingles))
    return np.asarray(mh.hashvalues, dtype=np.uint64)


def _band_key(chunk: bytes) -> int:
    import hashlib

    return int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little") & 0x7FFFFFFFFFFFFFFF


def band_keys(sig: np.ndarray) -> list[tuple[int, int]]:
    """Stable band keys (the same across processes and machines, unlike Python's hash())."""
    return [(b, _band_key(sig[b * ROWS : (b + 1) * ROWS].tobytes())) for b in range(BANDS)]


def is_copy(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two bodies are copies of one report: their estimated Jaccard similarity reaches THRESHOLD."""
    return float(np.mean(a == b)) >= THRESHOLD


def find_near_duplicate(db: sqlite3.Connection, sig: np.ndarray | None) -> str | None:
    """The earliest stored article whose body is a near-copy of this one, if any."""
    if sig is None:
        return None
    index = MinHashIndex(db)
    best: tuple[int, str] | None = None
    for aid in index.sharing_a_band(band_keys(sig)):
        row = index.signed(aid)
        if row is None:
            continue
        if is_copy(np.frombuffer(row[0], dtype=np.uint64), sig):
            target = row[2] or aid  # link to the first copy, not to a copy of it
            if best is None or row[1] < best[0]:
                best = (row[1], target)
    return best[1] if best else None


def index(db: sqlite3.Connection, article_id: str, sig: np.ndarray | None) -> None:
    if sig is None:
        return
    MinHashIndex(db).add(article_id, sig.tobytes(), band_keys(sig))
