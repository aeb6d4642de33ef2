"""``piu rules check`` and ``piu rules attributes`` through typer's runner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from piu.cli import app

runner = CliRunner()


def test_valid_rule_prints_canonical_form() -> None:
    result = runner.invoke(
        app, ["rules", "check", "Flight.Origin IN ('ist','dxb') AND booking.paid_cash"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "flight.origin in ('IST', 'DXB') and booking.paid_cash"
    assert "flight.origin: airport code" in result.stderr


def test_syntax_error_exits_2_with_column_and_caret() -> None:
    expr = "flight.origin = 'IST' booking.paid_cash"
    result = runner.invoke(app, ["rules", "check", expr])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("refused: column 23: expected 'and'")
    assert lines[1] == expr
    assert lines[2] == " " * 22 + "^" * len("booking.paid_cash")


def test_unknown_attribute_suggests() -> None:
    result = runner.invoke(app, ["rules", "check", "traveller.nationaility = 'SYR'"])
    assert result.exit_code == 2
    assert "did you mean 'traveller.nationality'" in result.stderr


def test_protected_alone_is_refused_with_the_reason() -> None:
    expr = "flight.origin = 'IST' or traveller.nationality = 'SYR'"
    result = runner.invoke(app, ["rules", "check", expr])
    assert result.exit_code == 2
    assert "column 26" in result.stderr
    assert "behavioural" in result.stderr
    assert result.stderr.splitlines()[-1] == " " * 25 + "^" * 29


def test_json_output() -> None:
    ok = runner.invoke(app, ["rules", "check", "--json", "booking.paid_cash"])
    assert ok.exit_code == 0
    assert json.loads(ok.stdout) == {
        "valid": True,
        "canonical": "booking.paid_cash",
        "attributes": ["booking.paid_cash"],
    }
    bad = runner.invoke(app, ["rules", "check", "--json", "booking.paid_cash ="])
    assert bad.exit_code == 2
    error = json.loads(bad.stdout)["error"]
    assert (error["kind"], error["column"]) == ("syntax", 20)


def test_attributes_lists_the_catalogue() -> None:
    result = runner.invoke(app, ["rules", "attributes", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    names = {r["name"]: r for r in rows}
    assert names["traveller.nationality"]["protected"] is True
    assert names["co_travellers.hits"]["source"] == "caller"
