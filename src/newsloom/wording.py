"""How counts are written: "1 article", "2 articles" (the command line and the web pages)."""

from __future__ import annotations

__all__ = ["plural"]


def plural(n: int, noun: str, many: str | None = None) -> str:
    """`n` and the noun in the number it takes: plural(1, "article") is "1 article", plural(2, "entity")
    "2 entities"; `many` for a plural no rule makes."""
    if n == 1:
        return f"{n} {noun}"
    if many is None:
        many = noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou") else noun + "s"
    return f"{n} {many}"
