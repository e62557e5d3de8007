"""Optional abstractive briefing through an OpenAI-compatible chat endpoint (a local vLLM or llama.cpp
server, say). Never required: the extractive briefing is the default and the fallback.

The model sees only the numbered source sentences of the extractive briefing and is asked to cite them
as [n]. Its output is then checked sentence by sentence against the sources: a sentence is kept only if
the sources it cites (or, without a citation, one source) contain most of its content words and every
number it states. Sentences without support are dropped and reported.
"""

from __future__ import annotations

import json
import re
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from . import netfetch
from .errors import NewsloomError

__all__ = ["SUPPORT", "abstractive", "check"]

SUPPORT = 0.7  # share of a sentence's content words that its sources must contain
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+|\d[\d.,]*")
_CITE = re.compile(r"\s*\[(\d+)\]")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def _content(text: str) -> set[str]:
    return {w.lower().strip(".,") for w in _WORD.findall(text) if w.lower() not in STOP_WORDS and len(w) > 2}


def _numbers(text: str) -> set[str]:
    return {n.rstrip(".,").replace(",", "") for n in re.findall(r"\d[\d.,]*", _CITE.sub("", text))}


def check(sentences: list[str], sources: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Split generated sentences into (supported, dropped); each supported one gets the sources it rests on."""
    kept, dropped = [], []
    for s in sentences:
        cited = [int(n) - 1 for n in _CITE.findall(s) if 0 < int(n) <= len(sources)]
        words = _content(_CITE.sub("", s))
        nums = _numbers(s)
        if not words:
            continue
        candidates = [cited] if cited else [[i] for i in range(len(sources))]
        best: list[int] | None = None
        for idx in candidates:
            pool = " ".join(sources[i] for i in idx)
            cover = len(words & _content(pool)) / len(words)
            if cover >= SUPPORT and nums <= _numbers(pool):
                best = idx
                break
        if best is None:
            dropped.append(
                {
                    "text": s,
                    "reason": "not supported by the cited sources" if cited else "no source supports it",
                }
            )
        else:
            kept.append({"text": _CITE.sub("", s).strip(), "source_index": best})
    return kept, dropped


def abstractive(
    brief: dict[str, Any], url: str, model: str = "default", timeout: float = 60.0
) -> dict[str, Any]:
    """Rewrite an extractive briefing with a language model; unsupported sentences are dropped."""
    sources = [s["text"] for s in brief["sentences"]]
    if not sources:
        return {**brief, "mode": "abstractive", "dropped": []}
    numbered = "\n".join(f"[{i + 1}] {s}" for i, s in enumerate(sources))
    prompt = (
        "Write a short news briefing (at most 5 sentences) using only the facts in these numbered source "
        "sentences. End every sentence with the numbers of the sources it uses, like [1] or [2][3]. "
        "Do not add facts.\n\n" + numbered
    )
    body = json.dumps(
        {"model": model, "messages": [{"role": "user", "content": prompt}], "temperature": 0}
    ).encode()
    endpoint = url.rstrip("/") + (
        "" if url.rstrip("/").endswith("/chat/completions") else "/v1/chat/completions"
    )
    try:
        # The model server is the user's own, often on this machine: private addresses are allowed.
        # `timeout` bounds the whole exchange, not each read.
        resp = netfetch.request(
            endpoint,
            data=body,
            headers={"Content-Type": "application/json"},
            timeout=timeout,
            total=timeout,
            max_bytes=2_000_000,
            allow_private=True,
        )
        reply = json.loads(resp.body)
        text = reply["choices"][0]["message"]["content"]
        if not isinstance(text, str):
            raise TypeError
    except netfetch.FetchError as exc:
        raise NewsloomError(f"--llm-url {url}: could not reach the model server ({exc})") from None
    except (ValueError, KeyError, IndexError, TypeError):
        raise NewsloomError(f"--llm-url {url}: the reply is not an OpenAI-style chat completion") from None
    generated = [s.strip() for s in _SENT.split(text.strip()) if s.strip()]
    kept, dropped = check(generated, sources)
    out_sents = []
    for k in kept:
        srcs = [src for i in k["source_index"] for src in brief["sentences"][i]["sources"]]
        out_sents.append(
            {
                "text": k["text"],
                "role": "summary",
                "sources": srcs,
                "source_sentences": [sources[i] for i in k["source_index"]],
            }
        )
    return {**brief, "mode": "abstractive", "sentences": out_sents, "dropped": dropped}
