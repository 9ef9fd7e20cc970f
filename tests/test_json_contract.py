"""The `--json` contract: every document a command prints validates against its JSON Schema
(opsplanner/schemas/, shipped in the package), carries `schema_version`, and names things
one way (task_id, block_id, data_date …). See docs/json.md."""

from __future__ import annotations

import argparse
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from opsplanner.cli import main
from opsplanner.cli.documents import SCHEMA_VERSION

NOW = "2026-11-24T09:00:00+08:00"
MONDAY, TUESDAY = "2026-11-23", "2026-11-24"


def schema(kind: str) -> dict[str, Any]:
    text = (resources.files("opsplanner") / "schemas" / f"{kind}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def valid(document: dict[str, Any]) -> dict[str, Any]:
    """The document, once its schema (by its own `kind`) accepts it."""
    assert document["schema_version"] == SCHEMA_VERSION
    validator = Draft202012Validator(
        schema(document["kind"]), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert problems == []
    return document


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    common = ["--db", str(tmp_path / "ops.sqlite3"), "--schedule", "taobao-operator.zh",
              "--operator", "小王"]  # fmt: skip

    def command(*argv: str) -> dict[str, Any]:
        status = main([*argv, *common])
        out, err = capsys.readouterr()
        assert status in (0, 1), err
        return valid(json.loads(out))

    def plain(*argv: str) -> None:
        status = main([*argv, *common])
        assert status == 0, capsys.readouterr().err
        capsys.readouterr()

    command.plain = plain  # type: ignore[attr-defined]
    return command


def test_today_opened_and_previewed(run: Any) -> None:
    run.plain("metric", "set", "visitors", "6526", "--date", TUESDAY)
    run.plain("skip", "content-publish", "--reason", "没时间", "--date", TUESDAY)
    today = run("today", "--json")
    assert (today["date"], today["workday"], today["preview"]) == (TUESDAY, True, False)
    assert today["generated_at"] == NOW and today["timezone"] == "Asia/Shanghai"
    store_data = next(
        t for b in today["blocks"] for t in b["tasks"] if t["task_id"] == "store-data"
    )
    visitors = next(f for f in store_data["figures"] if f["metric"] == "visitors")
    assert visitors == {
        "metric": "visitors", "label": "访客数（UV）", "unit": "count", "currency": None,
        "data_date": MONDAY, "value": 6526,
    }  # fmt: skip
    assert isinstance(visitors["value"], int)
    assert all(c["data_date"] == MONDAY for c in store_data["checks"])
    future = run("today", "--json", "--date", "2026-11-29")
    assert (future["preview"], future["workday"], future["blocks"]) == (True, False, [])


def test_review_metrics_and_import(run: Any, tmp_path: Path) -> None:
    run.plain("carry", "hero-stock", "--reason", "等待他人", "--date", TUESDAY)
    review = run("review", "--json")
    undecided = {u["task_id"]: u for u in review["unfinished"]}
    assert "hero-stock" not in undecided  # carried: decided
    store_data = undecided["store-data"]
    assert (store_data["block_id"], store_data["block_title"], store_data["status"]) == (
        "data-diagnosis", "数据诊断", "pending"
    )  # fmt: skip
    export = tmp_path / "sycm.csv"
    export.write_text(
        "统计日期,访客数,支付转化率\n2026-11-22,1000,2.5%\n2026-11-23,x,3%\n", "utf-8"
    )
    imported = run("import", str(export), "--json")
    assert imported["stored"] == 3 and imported["rejected"][0]["source"].endswith(":3:B")
    series = run("metric", "show", "visitors", "--days", "3", "--json")
    (visitors,) = series["series"]
    assert [p["value"] for p in visitors["points"]] == [1000, None, None]


def verbs_with_json(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[str]:
    found: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += verbs_with_json(sub, (*prefix, name))
        elif "--json" in action.option_strings:
            found.append(" ".join(prefix))
    return found


def test_every_json_option_has_a_schema() -> None:
    """A command that gains --json must ship its schema (and this test must learn its kind)."""
    from opsplanner.cli.parser import build_parser

    assert sorted(verbs_with_json(build_parser())) == ["import", "metric show", "review", "today"]
    shipped = sorted(p.name for p in (resources.files("opsplanner") / "schemas").iterdir())
    assert shipped == [f"{k}.schema.json" for k in ("import", "metrics", "review", "today")]
