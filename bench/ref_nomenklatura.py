"""Score query/candidate pairs with OpenSanctions' nomenklatura ``logic-v2`` (the matcher
yente uses), for ``bench/names.py``'s reference. Runs in ``bench/.venv-ref`` only; it is
not part of PIU and PIU never imports it.

stdin: one JSON object ``{"queries": [{"name", "dob"?, "nationality"?, "candidates":
[{"id", "names": [...], "dob": [...], "nationality": [...]}, ...]}, ...]}``.
stdout: one JSON object ``{"scores": [[score per candidate] per query], "pairs": n,
"warmup_s": s, "seconds": s}``.
"""

from __future__ import annotations

import json
import sys
import time

from followthemoney import model
from nomenklatura.matching import LogicV2


def _person(eid: str, names: list[str], dobs: list[str], nats: list[str]):
    e = model.make_entity("Person")
    e.id = eid
    e.add("name", names)
    e.add("birthDate", dobs)
    e.add("nationality", [n.lower() for n in nats], quiet=True)
    return e


def main() -> None:
    req = json.load(sys.stdin)
    config = LogicV2.default_config()
    t0 = time.perf_counter()
    warm = _person("w", ["Warm Up"], [], [])
    LogicV2.compare(warm, warm, config)  # loads the name tagger and its data
    warmup = time.perf_counter() - t0
    t0 = time.perf_counter()
    out: list[list[float]] = []
    n = 0
    for k, q in enumerate(req["queries"]):
        # a fresh id per query: logic-v2 memoises per entity id
        qe = _person(f"query-{k}", [q["name"]], [q["dob"]] if q.get("dob") else [],
                     [q["nationality"]] if q.get("nationality") else [])  # fmt: skip
        scores = []
        for c in q["candidates"]:
            ce = _person(c["id"], c["names"], c.get("dob", []), c.get("nationality", []))
            scores.append(round(LogicV2.compare(qe, ce, config).score, 4))
            n += 1
        out.append(scores)
    json.dump({"scores": out, "pairs": n, "warmup_s": round(warmup, 2),
               "seconds": round(time.perf_counter() - t0, 2)}, sys.stdout)  # fmt: skip


if __name__ == "__main__":
    main()
