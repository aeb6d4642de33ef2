"""The pages themselves: what they show, what they audit, the decision form, escaping."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

import piu.web.ui
from piu.accounts import Role
from piu.config import Settings
from piu.store import audit
from piu.store.schema import hit_reviews, hits, travellers
from piu.web.app import create_app
from tests.web.support import Travel
from tests.web.ui.support import sign_in

TEMPLATES = Path(piu.web.ui.__file__).parent / "templates"
EXTERNAL = re.compile(r"(?:https?:)?//(?!testserver\b)[A-Za-z0-9.-]+\.[A-Za-z]{2,}", re.I)


def _actions(engine: Engine, actor: str) -> list[str]:
    return [e.action for e in reversed(audit.search(engine, actor=actor))]


def test_dashboard_counts_and_chart(client: TestClient, engine: Engine, travel: Travel) -> None:
    sign_in(client, engine, "ana", Role.ANALYST)
    page = client.get("/")
    assert page.status_code == 200
    assert "<svg" in page.text and "Open hits by severity" in page.text
    assert "Messages rejected today" in page.text
    # Counts only: no traveller's name on the dashboard, so no page.* audit entry.
    assert "ASANOV" not in page.text
    assert not [a for a in _actions(engine, "ana") if a.startswith("page.")]


def test_with_the_piu_country_set_the_dashboard_says_inbound_and_outbound(
    settings: Settings, engine: Engine, travel: Travel
) -> None:
    with TestClient(create_app(replace(settings, country="KG"), engine)) as kg:
        sign_in(kg, engine, "ana", Role.ANALYST)
        page = kg.get("/")
    assert "Outbound today (from KG)" in page.text and "Inbound today (to KG)" in page.text
    assert "Departing today" not in page.text


def test_a_role_without_travel_data_sees_no_counts(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    sign_in(client, engine, "wl", Role.WATCHLIST_MANAGER)
    page = client.get("/")
    assert page.status_code == 200
    assert "<svg" not in page.text and "no access to travel data" in page.text


def test_flight_traveller_queue_messages_pages_show_and_audit(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    sign_in(client, engine, "ana", Role.ANALYST)
    assert "KC109" in client.get("/flights").text
    flight = client.get(f"/flights/{travel.kc109}")
    assert "ASANOV" in flight.text and "ZHUMABAEVA" in flight.text
    person = client.get(f"/travellers/{travel.asanov}")
    for shown in ("API data", "PNR data", "AC1234567", "ABC123", "kg-national", "BISHKEK"):
        assert shown in person.text, shown
    assert "BAKYT~BAKYT" in person.text  # the hit's explanation
    assert f"#{travel.stored_message}" in person.text  # its source message
    queue = client.get("/queue")
    assert f'href="/hits/{travel.hit}"' in queue.text
    messages = client.get("/messages")
    assert "not a message" in messages.text
    assert _actions(engine, "ana") == [
        "ui.login",
        "page.flight",
        "page.traveller",
        "page.queue",
        "page.messages",
    ]
    entry = audit.search(engine, actor="ana", action="page.traveller")[0]
    assert entry.subject_type == "traveller" and entry.subject_id == str(travel.asanov)
    assert audit.verify(engine).ok


def test_missing_things_are_a_404_page_without_audit(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    sign_in(client, engine, "ana", Role.ANALYST)
    for path in ("/flights/999999", "/travellers/999999", "/hits/999999"):
        assert client.get(path).status_code == 404
    assert _actions(engine, "ana") == ["ui.login"]


def test_the_decision_form_records_a_review_and_audits_it(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    token = sign_in(client, engine, "ana", Role.ANALYST)
    page = client.get(f"/hits/{travel.hit}")
    assert 'name="decision"' in page.text
    response = client.post(
        f"/hits/{travel.hit}/decision",
        data={
            "csrf_token": token,
            "decision": "dismissed",
            "reason": "Different date of birth and passport number",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/hits/{travel.hit}"
    with engine.connect() as conn:
        review = conn.execute(select(hit_reviews)).one()
        status = conn.execute(select(hits.c.status).where(hits.c.id == travel.hit)).scalar()
    assert (review.decision, review.by, status) == ("dismissed", "ana", "dismissed")
    decided = audit.search(engine, actor="ana", action="hit.decide")
    assert decided and decided[0].subject_id == str(travel.hit)
    assert "Different date of birth" in client.get(f"/hits/{travel.hit}").text


def test_a_decision_without_a_reason_is_refused_on_the_form(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    token = sign_in(client, engine, "sup", Role.SUPERVISOR)
    response = client.post(
        f"/hits/{travel.hit}/decision",
        data={"csrf_token": token, "decision": "confirmed", "reason": "yes"},
    )
    assert response.status_code == 400
    assert "written reason" in response.text
    with engine.connect() as conn:
        assert conn.execute(select(hit_reviews)).first() is None


def test_dpo_reads_the_hit_but_gets_no_decision_form(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    sign_in(client, engine, "dpo", Role.DPO)
    page = client.get(f"/hits/{travel.hit}")
    assert page.status_code == 200
    assert 'name="decision"' not in page.text


def test_everything_is_escaped(client: TestClient, engine: Engine, travel: Travel) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(travellers)
            .where(travellers.c.id == travel.asanov)
            .values(given_names='<script>alert("x")</script>')
        )
    sign_in(client, engine, "ana", Role.ANALYST)
    for path in (f"/travellers/{travel.asanov}", f"/flights/{travel.kc109}", "/queue"):
        text = client.get(path).text
        assert "<script>" not in text, path
        assert "&lt;script&gt;" in text, path


def test_no_page_or_template_points_to_another_host(
    client: TestClient, engine: Engine, travel: Travel
) -> None:
    for template in TEMPLATES.iterdir():
        assert not EXTERNAL.search(template.read_text()), template.name
    texts = [client.get("/login").text]
    sign_in(client, engine, "sup", Role.SUPERVISOR)
    for path in (
        "/",
        "/flights",
        f"/flights/{travel.kc109}",
        f"/travellers/{travel.asanov}",
        "/queue",
        f"/hits/{travel.hit}",
        "/messages",
        "/password",
        "/nowhere-page",
    ):
        texts.append(client.get(path).text)
    for text in texts:
        assert not EXTERNAL.search(text), EXTERNAL.search(text)
