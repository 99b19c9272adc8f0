"""How two spellings of a listed value are compared: the one rule the consolidator and the
workbook's own check share."""
from __future__ import annotations

import functools
import unicodedata


@functools.lru_cache(maxsize=8192)  # dropdown values repeat on every row
def norm(value: str) -> str:
    """Compare as a person would: no accents, no case, single spaces, no dropdown arrow."""
    text = unicodedata.normalize("NFKD", str(value).replace("▾", ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())
