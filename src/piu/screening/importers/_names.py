"""Split the name cells lists print into separate names.

Lists put several spellings in one field and annotate them in parentheses:
``Amir Khazmat (original script: Амир Хазмат)`` (UN ``ALIAS_NAME``),
``حسن غول (Hassan Ghul; Hassan Gul)``, ``Kirsanova (Russian spelling: Кирсанова) or
Selyun`` (EU ``previousName``), ``EL PARA (COMBAT NAME)``, ``Abdel Ilah Sabri (false
identity related to ...)``. A parenthesis in *another script* than the text around it is
a further rendition of the name and is kept as a name; any other parenthesis is an
annotation and is dropped. Semicolons separate names. Nothing is split on commas, because
"LAST, First" and "Hilarion Santos, III" are single names.
"""

from __future__ import annotations

import re

from ..scripts import LATIN, detect_script
from ._base import clean, uniq

__all__ = ["split_names"]

_LABEL = re.compile(
    r"^(?:original script|in [a-z]+|[a-z]+ spelling|[a-z]+ script|previously listed as\.?"
    r"(?:\s*in [a-z]+)?)\s*:\s*",
    re.I,
)
_TAIL = re.compile(r",\s*(?:born|date of birth|dob)\b.*$", re.I)


def _top_level(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _groups(text: str) -> tuple[str, list[str]]:
    """Text outside parentheses, and the contents of each top-level parenthesis."""
    outside: list[str] = []
    inner: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            if depth > 0:
                cur.append(ch)
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                inner.append("".join(cur))
                cur = []
            else:
                cur.append(ch)
        elif depth > 0:
            cur.append(ch)
        else:
            outside.append(ch)
    if cur:  # unbalanced: treat the rest as outside text
        outside.extend(cur)
    return "".join(outside), inner


def split_names(cell: str | None, *, split_or: bool = False) -> list[str]:
    """Every name in a cell, annotations removed, other-script renditions kept."""
    out: list[str] = []
    for piece in _top_level(clean(cell), ";"):
        subpieces = re.split(r"\s+or\s+", piece) if split_or else [piece]
        for sub in subpieces:
            outside, inner = _groups(sub)
            outside = clean(_TAIL.sub("", outside)).strip(" ,.-\"'")
            script = detect_script(outside) if outside else None
            out.append(outside)
            for grp in inner:
                grp = _LABEL.sub("", clean(grp))
                g_script = detect_script(grp)
                if grp and (g_script != script or not outside) and g_script != "unknown":
                    if g_script == LATIN and script is None:
                        continue
                    out.extend(split_names(grp))
    return uniq(n for n in out if any(c.isalpha() for c in n))
