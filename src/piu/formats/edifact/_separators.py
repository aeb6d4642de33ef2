"""Service characters (UNA) and input limits for the EDIFACT tokenizer.

Why a module of its own: the separators decide everything else (how the tokenizer splits,
what the writer must escape), and they come from three places that must agree — the UNA
service string advice, the defaults of the syntax version named in UNB, and the caller.

ISO 9735-1 (syntax version 4) section 7 / PAXLST MIG v3.0 section 3 ("Service string
advice"): ``UNA`` is followed by exactly six characters, in this order::

    UNA : + . ? * '
        | | | | | +-- segment terminator
        | | | | +---- repetition separator (syntax 4; a space in syntax 3 = not used)
        | | | +------ release character (a space = not used)
        | | +-------- decimal mark
        | +---------- data element separator
        +------------ component data element separator

Without UNA the defaults of the character set apply: for UNOA/UNOC.. ``:+.? '`` (syntax 3)
or ``:+.?*'`` (syntax 4); for UNOB the information separators IS1 (0x1F, component), IS3
(0x1D, element) and IS4 (0x1C, terminator), ISO 9735-1 section 7.2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

__all__ = ["Limits", "Separators"]


@dataclass(frozen=True, slots=True)
class Separators:
    """The six service characters of an interchange.

    A space as ``release`` or ``repetition`` means "not used" (ISO 9735: syntax 3 has no
    repetition separator; a sender may also declare no release character).
    """

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = "*"
    terminator: str = "'"

    DEFAULT: ClassVar[Separators]  # syntax 4 defaults, ":+.?*'"
    SYNTAX3: ClassVar[Separators]  # syntax 3 defaults, ":+.? '"
    UNOB: ClassVar[Separators]  # level B defaults (IS1/IS3/IS4 control characters)

    def __post_init__(self) -> None:
        problem = self.problem()
        if problem:
            raise ValueError(problem)

    def problem(self) -> str | None:
        """Why these characters cannot work together, or ``None`` when they can.

        All six must be single ASCII characters (the incremental tokenizer splits raw bytes,
        which is only safe for ASCII in every charset PIU decodes). Component, element and
        terminator must be distinct, not a space and not a letter or digit (tags would become
        ambiguous); release and repetition must be distinct from them unless unused (space).
        """
        chars = {
            "component": self.component,
            "element": self.element,
            "decimal": self.decimal,
            "release": self.release,
            "repetition": self.repetition,
            "terminator": self.terminator,
        }
        for name, ch in chars.items():
            if len(ch) != 1:
                return f"{name} separator must be one character, got {ch!r}"
            if not ch.isascii():
                return f"{name} separator {ch!r} is not an ASCII character"
        structural = {"component": self.component, "element": self.element}
        structural["terminator"] = self.terminator
        if self.release_active:
            structural["release"] = self.release
        if self.repetition_active:
            structural["repetition"] = self.repetition
        seen: dict[str, str] = {}
        for name, ch in structural.items():
            if ch.isalnum():
                return f"{name} separator {ch!r} is a letter or digit"
            if ch == " " and name in ("component", "element", "terminator"):
                return f"{name} separator cannot be a space"
            if ch in seen:
                return f"{name} separator {ch!r} is also the {seen[ch]} separator"
            seen[ch] = name
        return None

    @property
    def release_active(self) -> bool:
        return self.release != " "

    @property
    def repetition_active(self) -> bool:
        return self.repetition != " "

    @property
    def una(self) -> str:
        """The UNA segment declaring these characters (it ends with the terminator)."""
        return (
            "UNA"
            + self.component
            + self.element
            + self.decimal
            + self.release
            + self.repetition
            + self.terminator
        )

    @classmethod
    def from_una_body(cls, body: str) -> Separators:
        """Separators from the six characters after ``UNA``; ``ValueError`` if unusable."""
        if len(body) != 6:
            raise ValueError(f"UNA needs exactly 6 service characters, got {len(body)}")
        return cls(body[0], body[1], body[2], body[3], body[4], body[5])


Separators.DEFAULT = Separators()
Separators.SYNTAX3 = Separators(repetition=" ")
Separators.UNOB = Separators(
    component="\x1f", element="\x1d", decimal=".", release=" ", repetition=" ", terminator="\x1c"
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Hard caps on input, so hostile or broken bytes cost bounded time and memory.

    Real PAXLST interchanges are a few hundred KiB (a full wide-body flight with documents is
    about 1,000 segments per 60 passengers); the defaults leave two orders of magnitude.
    """

    max_interchange_bytes: int = 32 * 1024 * 1024
    max_segments: int = 500_000
    max_element_length: int = 4096

    DEFAULT: ClassVar[Limits]


Limits.DEFAULT = Limits()
