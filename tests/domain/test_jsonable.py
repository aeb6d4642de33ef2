from piu.domain.booking import Pnr
from piu.domain.jsonable import from_json, to_json
from piu.formats import pnrgov
from tests.conftest import corpus_dir


def test_every_corpus_booking_survives_json() -> None:
    root = corpus_dir("gtas", "gtas-parent", "gtas-parsers", "src", "test", "resources")
    for name in ("pnrWithBags.txt", "pnrMessage.txt", "pnrWithDoco.txt"):
        for push in pnrgov.read((root / "pnr-messages" / name).read_bytes()):
            for pnr in push.pnrs:
                assert from_json(Pnr, to_json(pnr)) == pnr, name
