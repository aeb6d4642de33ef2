"""Rule pages: the editor's checking (button and live), trials, drafts, four-eyes review."""

from __future__ import annotations

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from piu.accounts import Role
from piu.store import audit
from piu.store import rules as lifecycle
from tests.web.support import Travel
from tests.web.ui.support import sign_in

JUSTIFICATION = "Cash bookings on the day of departure out of Almaty precede smuggling runs."
TYPO = "flight.origin = 'ALA'\r\nand booking.paid_csh"


def _edit(client: TestClient, token: str, do: str, **fields: str) -> Response:
    data = {
        "csrf_token": token,
        "mode": "new",
        "name": "cash-ala",
        "expression": "flight.origin = 'ALA' and booking.paid_cash",
        "justification": JUSTIFICATION,
        "category": "smuggling",
        "severity": "high",
        "do": do,
        **fields,
    }
    return client.post("/rules/edit", data=data, follow_redirects=False)


def _step(client: TestClient, token: str, action: str, note: str = "") -> Response:
    return client.post(
        f"/rules/cash-ala/versions/1/{action}",
        data={"csrf_token": token, "note": note},
        follow_redirects=False,
    )


def _status(engine: Engine, name: str = "cash-ala") -> str:
    with engine.connect() as conn:
        versions, _ = lifecycle.get_rule(conn, name)
    return versions[0].status


def test_the_check_button_shows_line_column_and_suggestion(
    client: TestClient, engine: Engine
) -> None:
    token = sign_in(client, engine, "rita", Role.RULE_MANAGER)
    refused = _edit(client, token, "check", expression=TYPO)
    assert refused.status_code == 400
    assert "line 2, column 5: unknown attribute" in refused.text
    assert "did you mean &#39;booking.paid_cash&#39;?" in refused.text
    assert "and booking.paid_csh\n    ^^^^^^^^^^^^^^^^" in refused.text  # the caret line
    accepted = _edit(client, token, "check")
    assert accepted.status_code == 200
    assert "Accepted: flight.origin = &#39;ALA&#39; and booking.paid_cash" in accepted.text
    # The non-discrimination check speaks through the same button.
    protected = _edit(client, token, "check", expression="traveller.nationality = 'SYR'")
    assert protected.status_code == 400 and "column 1" in protected.text


def test_only_the_editor_may_run_the_first_party_script(client: TestClient, engine: Engine) -> None:
    sign_in(client, engine, "rita", Role.RULE_MANAGER)
    editor = client.get("/rules/new")
    csp = editor.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1]
    assert '<script src="/ui-static/rule-check.js" defer></script>' in editor.text
    assert "<script>" not in editor.text  # nothing inline
    listing = client.get("/rules")
    assert "script-src" not in listing.headers["content-security-policy"]
    script = client.get("/ui-static/rule-check.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "/rules/check" in script.text and "innerHTML" not in script.text
    client.cookies.clear()
    anonymous = client.get("/ui-static/rule-check.js", follow_redirects=False)
    assert anonymous.status_code == 303


def test_the_live_check_answers_json_and_needs_the_csrf_token(
    client: TestClient, engine: Engine
) -> None:
    token = sign_in(client, engine, "ana", Role.ANALYST)  # checking is a read
    answer = client.post("/rules/check", data={"csrf_token": token, "expression": TYPO})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["ok"], body["line"], body["column"]) == (False, 2, 5)
    assert body["suggestions"] == ["booking.paid_cash"]
    ok = client.post("/rules/check", data={"csrf_token": token, "expression": "itinerary.one_way"})
    assert ok.json() == {**ok.json(), "ok": True, "canonical": "itinerary.one_way"}
    forged = client.post("/rules/check", data={"expression": TYPO})
    assert forged.status_code == 403 and "security token" in forged.text


def test_a_trial_runs_on_stored_data_and_is_audited(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    token = sign_in(client, engine, "rita", Role.RULE_MANAGER)
    trial = _edit(
        client,
        token,
        "try",
        expression="flight.origin = 'ALA'",
        start="2026-11-01",
        end="2026-12-31",
    )
    assert trial.status_code == 200, trial.text
    assert "2 of 2 travellers would have been hit" in trial.text
    assert "BAKYT ASANOV" in trial.text and "KC109" in trial.text
    (entry,) = audit.search(engine, actor="rita", action="page.rule_trial")
    assert sorted(entry.detail["shown"]) == sorted([travel.asanov, travel.zhumabaeva])
    with engine.connect() as conn:  # a trial writes nothing
        assert [v.name for v in lifecycle.list_rules(conn)] == ["transit-ist"]
    backwards = _edit(client, token, "try", start="2026-12-31", end="2026-11-01")
    assert backwards.status_code == 400 and "before the first" in backwards.text


def test_save_submit_and_four_eyes_approval(client: TestClient, engine: Engine) -> None:
    token = sign_in(client, engine, "rita", Role.RULE_MANAGER)
    saved = _edit(client, token, "save")
    assert saved.status_code == 303 and saved.headers["location"] == "/rules/cash-ala"
    page = client.get("/rules/cash-ala")
    assert "v1</strong> draft" in page.text and JUSTIFICATION in page.text
    assert _step(client, token, "submit").status_code == 303
    assert _status(engine) == "submitted"

    own = _step(client, token, "approve")
    assert own.status_code == 409 and "four eyes" in own.text
    assert _status(engine) == "submitted"
    no_note = _step(client, token, "reject")
    assert no_note.status_code == 409 and "needs a note" in no_note.text

    client.cookies.clear()
    other = sign_in(client, engine, "ruben", Role.RULE_MANAGER)
    assert _step(client, other, "approve").status_code == 303
    assert _step(client, other, "activate").status_code == 303
    assert _status(engine) == "active"
    listing = client.get("/rules")
    assert "cash-ala" in listing.text and "v1 active" in listing.text
    steps = [e.action for e in reversed(audit.search(engine, subject_id="cash-ala"))]
    assert steps == ["rule.draft", "rule.submit", "rule.approve", "rule.activate"]


def test_a_refused_draft_is_not_saved_and_names_are_checked(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    token = sign_in(client, engine, "rita", Role.RULE_MANAGER)
    refused = _edit(client, token, "save", expression=TYPO)
    assert refused.status_code == 400 and "line 2, column 5" in refused.text
    kept = "flight.origin = &#39;ALA&#39;\nand booking.paid_csh</textarea>"
    assert kept in refused.text  # the text comes back to be fixed
    taken = _edit(client, token, "save", name="transit-ist")
    assert taken.status_code == 400 and "exists already" in taken.text
    reserved = _edit(client, token, "save", name="new")
    assert reserved.status_code == 400 and "rule name" in reserved.text
    with engine.connect() as conn:
        assert [v.name for v in lifecycle.list_rules(conn)] == ["transit-ist"]


def test_a_new_version_starts_from_the_newest(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    token = sign_in(client, engine, "rita", Role.RULE_MANAGER)
    form = client.get("/rules/transit-ist/edit")
    assert form.status_code == 200 and "flight.origin = &#39;IST&#39;" in form.text
    saved = _edit(
        client,
        token,
        "save",
        mode="version",
        name="transit-ist",
        expression="flight.origin = 'IST' and itinerary.one_way",
    )
    assert saved.status_code == 303
    with engine.connect() as conn:
        versions, _ = lifecycle.get_rule(conn, "transit-ist")
    assert [(v.version, v.author) for v in versions] == [(2, "rita"), (1, "alice")]


def test_readers_see_rules_but_cannot_write(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    token = sign_in(client, engine, "ana", Role.ANALYST)
    listing = client.get("/rules")
    assert listing.status_code == 200 and "transit-ist" in listing.text
    assert "/rules/new" not in listing.text
    page = client.get("/rules/transit-ist")
    assert page.status_code == 200 and "Submit</button>" not in page.text
    assert _edit(client, token, "save").status_code == 403
    assert client.get("/rules/nope").status_code == 404
