"""The generator: same seed same bytes, every message readable, ground truth consistent."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from piu.errors import FormatError
from piu.formats import paxlst
from piu.synth import Generator, run
from piu.synth import pnr as synth_pnr
from tests.synth.support import of_type, small, truth

needs_pnr = pytest.mark.skipif(
    not synth_pnr.available(), reason="piu.formats.pnrgov.write is not usable yet"
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    run(Generator(small()), out)
    return out


def _files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "ground_truth.jsonl"
    }


def test_same_seed_same_bytes(generated: Path, tmp_path: Path) -> None:
    run(Generator(small()), tmp_path)
    assert _files(tmp_path) == _files(generated)
    strip = [line for line in truth(generated) if line["type"] != "summary"]
    assert [line for line in truth(tmp_path) if line["type"] != "summary"] == strip


def test_another_seed_other_traffic(generated: Path, tmp_path: Path) -> None:
    run(Generator(small(seed=12)), tmp_path)
    assert set(_files(tmp_path).values()) != set(_files(generated).values())


def test_parallel_workers_give_the_same_bytes(generated: Path, tmp_path: Path) -> None:
    run(Generator(small(workers=2)), tmp_path)
    assert _files(tmp_path) == _files(generated)


def test_every_message_reads_with_piu_readers(generated: Path) -> None:
    from piu.formats import pnrgov

    readers = {"paxlst": paxlst.read, "pnrgov": pnrgov.read}
    messages = of_type(truth(generated), "message")
    assert {m["kind"] for m in messages} >= {"paxlst"}
    for m in messages:
        data = (generated / m["file"]).read_bytes()
        if m["expect"] == "rejected":
            with pytest.raises(FormatError):
                readers[m["kind"]](data)
            continue
        lists = readers[m["kind"]](data)
        assert lists, m["file"]
        assert not [w for x in lists for w in x.warnings], m["file"]
        if m["kind"] == "paxlst":
            assert sum(len(x.travellers) for x in lists) == m["travellers"]


def test_ground_truth_is_consistent(generated: Path) -> None:
    lines = truth(generated)
    assert lines[0]["type"] == "run" and lines[-1]["type"] == "summary"
    messages = of_type(lines, "message")
    summary = lines[-1]
    assert summary["messages"] == len(messages)
    assert summary["missing"] == len(of_type(lines, "missing"))
    for m in messages:
        data = (generated / m["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == m["sha256"]
        assert m["expect"] == {"malformed": "rejected", "resend": "duplicate"}.get(
            m["fault"] or "", "stored"
        )
    first = {m["sha256"]: m for m in messages if m["fault"] != "resend"}
    assert all(m["sha256"] in first for m in messages if m["fault"] == "resend")
    cases = of_type(lines, "planted")
    assert {c["kind"] for c in cases} == {"watchlist", "namesake", "sltd", "pattern"}
    by_file = {m["file"]: m for m in messages}
    watch = (generated / "watchlist.csv").read_text(encoding="utf-8")
    sltd = (generated / "sltd.csv").read_text(encoding="utf-8")
    for c in cases:
        assert c["messages"], c["case"]
        sent = [by_file[f] for f in c["messages"]]
        assert all(m["expect"] == "stored" and m["fault"] is None for m in sent)
        api = [m for m in sent if m["kind"] == "paxlst" and m["list"] == "passengers"]
        [api_list] = paxlst.read((generated / api[0]["file"]).read_bytes())
        [traveller] = [t for t in api_list.travellers if t.passenger_ref == c["passenger_ref"]]
        assert traveller.surname == c["passport_name"]["surname"]
        assert traveller.documents[0].number == c["document"]
        if c["kind"] == "watchlist":
            assert f"{c['entry_id']}," in watch and c["listed_names"][0] in watch
        if c["kind"] == "sltd":
            assert c["document"] in sltd


@needs_pnr
def test_api_and_pnr_spell_a_planted_person_differently(generated: Path) -> None:
    from piu.formats import pnrgov

    lines = truth(generated)
    by_file = {m["file"]: m for m in of_type(lines, "message")}
    differing = 0
    for c in of_type(lines, "planted"):
        if not c["booking_changes"]:
            continue
        pushes = [f for f in c["messages"] if by_file[f]["kind"] == "pnrgov"]
        assert pushes, c["case"]
        [push] = pnrgov.read((generated / pushes[0]).read_bytes())
        [pnr] = [p for p in push.pnrs if p.record_locator == c["record_locator"]]
        [t] = pnr.travellers
        booked = (t.surname, t.given_names)
        assert booked == (c["booking_name"]["surname"], c["booking_name"]["given"])
        passport = c["passport_name"]
        full_given = " ".join(x for x in (passport["given"], passport["middle"]) if x)
        assert booked != (passport["surname"], full_given)
        assert t.docs and t.docs[0].surname == passport["surname"]  # DOCS: the passport
        differing += 1
    assert differing >= 4


@needs_pnr
def test_planted_patterns_match_their_targeting_rule(generated: Path) -> None:
    targeting = pytest.importorskip("piu.targeting")
    from piu.formats import pnrgov

    lines = truth(generated)
    patterns = [c for c in of_type(lines, "planted") if c["kind"] == "pattern"]
    assert patterns
    for c in patterns:
        rule = targeting.compile_rule(c["rule"])
        close = next(f for f in c["messages"] if f.endswith("_pnr-close.edi"))
        api = next(f for f in c["messages"] if f.endswith("_passengers.edi"))
        [push] = pnrgov.read((generated / close).read_bytes())
        [pnr] = [p for p in push.pnrs if p.record_locator == c["record_locator"]]
        [api_list] = paxlst.read((generated / api).read_bytes())
        [t] = [t for t in api_list.travellers if t.passenger_ref == c["passenger_ref"]]
        facts = targeting.build_facts(
            traveller=t, flight=api_list.reported_flight, pnr=pnr, pnr_traveller=pnr.travellers[0]
        )
        assert rule(facts), rule.explain(facts)
