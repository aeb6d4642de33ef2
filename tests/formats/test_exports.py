"""The public API of the format packages: what other layers may import, and nothing else."""

from __future__ import annotations

import importlib

import pytest

PUBLIC = {
    "piu.formats.edifact": {
        "NEED_DATA",
        "Decoded",
        "Limits",
        "Segment",
        "Separators",
        "Tokenizer",
        "decode",
        "detect_encoding",
        "escape",
        "tokenize",
        "tokenize_decoded",
        "write_segments",
    },
    "piu.formats.paxlst": {"PassengerList", "read", "write"},
    "piu.formats.detect": {"PEEK_BYTES", "MessageKind", "detect"},
    "piu.formats.pnrgov_xml": {"IATA_NAMESPACE", "MAX_BYTES", "ROOT", "read"},
    "piu.reference.airports": {"country", "is_known", "name", "timezone", "to_utc"},
}


@pytest.mark.parametrize("module_name", sorted(PUBLIC))
def test_all_lists_exactly_the_public_names(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert set(module.__all__) == PUBLIC[module_name]
    for name in module.__all__:
        assert hasattr(module, name), name


def test_defaults() -> None:
    from piu.formats.edifact import Limits, Separators

    assert Separators.DEFAULT.una == "UNA:+.?*'"
    assert Separators.SYNTAX3.una == "UNA:+.? '"
    assert (
        Limits.DEFAULT.max_interchange_bytes,
        Limits.DEFAULT.max_segments,
        Limits.DEFAULT.max_element_length,
    ) == (32 * 1024 * 1024, 500_000, 4096)
    with pytest.raises(ValueError, match="also the"):
        Separators(element=":")
