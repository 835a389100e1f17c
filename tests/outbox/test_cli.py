"""``fe-compliance outbox``: status, retry, resolve, configuration rules and exit codes (push: test_push_cli)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from fe_compliance.cli import main
from fe_compliance.outbox import ItemResult, Outbox
from fe_compliance.outbox.config import ConfigError, env_name_for_user, load_push_config

from .helpers import CANARY_KEY, make_sale


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "outbox.db"
    with Outbox.open(path) as box:
        ids = [box.enqueue_sale(make_sale(n), license_number="LIC-1", user_id="u").id for n in range(3)]
        box.claim("p", limit=3, lease_seconds=60)
        box.complete("p", [
            ItemResult(ids[0], "done", resolution="posted"),
            ItemResult(ids[1], "failed", error="row 0: Package not found", error_type="ValidationError"),
            ItemResult(ids[2], "unknown", error="read timeout", error_type="OutcomeUnknownError"),
        ], run_id="r")
    return path


def test_status_text_and_json_and_exit_one_when_items_need_attention(db: Path) -> None:
    code, out, _ = run("outbox", "status", "--db", str(db))
    assert code == 1
    assert "3 items: 2 queued (1 failed, 1 outcome unknown" in out
    assert "item 2: post R-1" in out and "Package not found" in out
    code, out, _ = run("outbox", "status", "--db", str(db), "--json")
    data = json.loads(out)
    assert code == 1 and data["counts"]["done"] == 1 and data["all_done"] is False
    assert [item["id"] for item in data["needs_attention"]] == [2, 3]
    assert data["needs_attention"][1]["outcome_unknown"] is True


def test_resolve_and_retry_then_status_is_clean(db: Path) -> None:
    code, out, _ = run("outbox", "resolve", "2", "--db", str(db), "--note", "entered by hand")
    assert code == 0 and "resolved: entered by hand" in out
    code, out, _ = run("outbox", "retry", "3", "--db", str(db), "--json")
    assert code == 0 and json.loads(out)["item"]["state"] == "queued"
    # Item 3's outcome is still unknown (only a look-up clears it): status still says so.
    assert run("outbox", "status", "--db", str(db))[0] == 1
    code, _, err = run("outbox", "retry", "1", "--db", str(db))
    assert code == 2 and "done" in err
    code, _, err = run("outbox", "resolve", "42", "--db", str(db))
    assert code == 2 and "no outbox item 42" in err


def test_usage_errors_exit_two(tmp_path: Path) -> None:
    assert run("outbox", "status")[0] == 2
    code, _, err = run("outbox", "status", "--db", str(tmp_path / "missing.db"))
    assert code == 2 and "no outbox file" in err
    assert run("outbox", "frobnicate", "--db", "x")[0] == 2
    assert run("outbox", "retry", "abc", "--db", "x")[0] == 2


def test_keys_are_never_flags() -> None:
    code, _, err = run("outbox", "push", "--db", "x.db", "--vendor-key", "k")
    assert code == 2 and "unrecognized arguments" in err


def _write(path: Path, text: str, mode: int) -> Path:
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path


def test_config_file_must_be_private(tmp_path: Path) -> None:
    text = f'vendor_key = "{CANARY_KEY}"\nlicense = "LIC-1"\nstate = "ma"\n[user_keys]\n"u" = "{CANARY_KEY}"\n'
    loose = _write(tmp_path / "loose.toml", text, 0o644)
    with pytest.raises(ConfigError, match=r"mode 0644.*chmod 600") as caught:
        load_push_config({}, loose)
    assert CANARY_KEY not in str(caught.value)
    private = _write(tmp_path / "private.toml", text, 0o600)
    config = load_push_config({}, private)
    assert config.user_key("u") == CANARY_KEY and config.licenses == ("LIC-1",) and config.state == "ma"
    assert CANARY_KEY not in repr(config)
    code, out, err = run("outbox", "push", "--db", str(tmp_path / "o.db"), "--every", "15m", "--config", str(loose))
    assert code == 2 and "chmod 600" in err and CANARY_KEY not in out + err


def test_config_from_environment(tmp_path: Path) -> None:
    env = {
        "FE_METRC_VENDOR_KEY": "vk", "FE_METRC_LICENSE": "LIC-1, LIC-2", "FE_METRC_BASE_URL": "http://127.0.0.1:1",
        env_name_for_user("cashier-7"): "key-7",
    }
    config = load_push_config(env)
    assert env_name_for_user("cashier-7") == "FE_METRC_USER_KEY_CASHIER_7"
    assert config.licenses == ("LIC-1", "LIC-2") and config.user_key("cashier-7") == "key-7"
    assert config.user_key("someone") is None
    with pytest.raises(ConfigError, match="exactly one"):
        load_push_config({**env, "FE_METRC_STATE": "ma"})
    with pytest.raises(ConfigError, match="FE_METRC_VENDOR_KEY"):
        load_push_config({"FE_METRC_LICENSE": "L", "FE_METRC_STATE": "ma"})
    bad = _write(tmp_path / "bad.toml", f'vendor_key = "{CANARY_KEY}\n', 0o600)
    with pytest.raises(ConfigError) as caught:
        load_push_config({}, bad)
    assert CANARY_KEY not in str(caught.value)


def test_every_is_parsed() -> None:
    from fe_compliance.cli.outbox import parse_every

    assert parse_every("15m") == 900 and parse_every("1h") == 3600 and parse_every("30s") == 30
    for bad in ("15", "0s", "15 minutes", "-1m"):
        with pytest.raises(ValueError, match="--every"):
            parse_every(bad)
