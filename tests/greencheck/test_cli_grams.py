"""``fe-compliance grams``: through ``cli.main`` with captured streams, and once as a real subprocess."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from fe_compliance.cli import main

GOOD = {"product": {"thcContent": 20, "thcContentUnit": "%", "productGrams": 3.5}, "sale_line": {"quantity": 2},
        "id": "A1"}
NO_GRAMS = {"product": {}, "sale_line": {"quantity": 1}}


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["grams", *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str, name: str = "lines.jsonl") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_single_pretty_printed_object(tmp_path: Path) -> None:
    code, out, err = run(["--vendor", "dutchie", write(tmp_path, json.dumps(GOOD, indent=2))])
    assert code == 0, err
    assert out.splitlines()[0] == "line 1 (A1): 7 g (product_weight, from product.productGrams)"
    assert "thcContentUnit is '%', a percentage" in out
    assert "= 7 g" in out
    assert err == ""


def test_json_lines_with_bad_lines_keep_going_and_exit_2(tmp_path: Path) -> None:
    text = "\n".join([json.dumps(GOOD), "not json", "", json.dumps(NO_GRAMS), json.dumps([1]), json.dumps(GOOD)])
    code, out, err = run(["--vendor", "dutchie", write(tmp_path, text)])
    assert code == 2
    assert "line 1 (A1): 7 g (product_weight" in out
    assert "line 6 (A1): 7 g (product_weight" in out
    assert "line 2: error: line: not valid JSON" in err
    assert "line 4: error: dutchie: no grams" in err
    assert "line 5: error: line: expected a JSON object" in err
    assert "3 of 5 line(s) failed" in err


def test_json_output_shape(tmp_path: Path) -> None:
    text = "\n".join([json.dumps(GOOD), json.dumps({**NO_GRAMS, "id": 7}), json.dumps({"produkt": {}})])
    code, out, _err = run(["--vendor", "dutchie", "--json", write(tmp_path, text)])
    assert code == 2
    payload = json.loads(out)  # one JSON object, as for every subcommand
    assert payload["vendor"] == "dutchie" and payload["total"] == 3 and payload["failed"] == 2
    rows = payload["lines"]
    assert [row["line"] for row in rows] == [1, 2, 3]
    assert rows[0]["ok"] and rows[0]["id"] == "A1"
    result = rows[0]["result"]
    assert result["grams"] == 7.0 and result["per_unit_grams"] == 3.5 and result["basis"] == "product_weight"
    assert [step["outcome"] for step in result["trace"]] == ["skipped", "skipped", "taken", "note"]
    assert rows[1] == {"line": 2, "id": 7, "ok": False, "error": rows[1]["error"]}
    assert rows[1]["error"]["type"] == "NoGramsError" and rows[1]["error"]["vendor"] == "dutchie"
    assert rows[2]["error"]["type"] == "InvalidValueError" and rows[2]["error"]["field"] == "line"


def test_tier_convention_option(tmp_path: Path) -> None:
    line = {"product": {"category": {"unitType": "grams"}, "weightPerUnit": "EIGHTH"}, "sale_line": {"quantity": 1}}
    path = write(tmp_path, json.dumps(line))
    assert json.loads(run(["--vendor", "blaze", "--json", path])[1])["lines"][0]["result"]["grams"] == 3.5
    code, out, _ = run(["--vendor", "blaze", "--json", "--tier-convention", "avoirdupois", path])
    assert code == 0 and json.loads(out)["lines"][0]["result"]["grams"] == pytest.approx(3.543690390625)
    assert json.loads(out)["tier_convention"] == "avoirdupois"


@pytest.mark.parametrize("vendor", ["nope", "cova_nope"])
def test_unknown_vendor_is_a_usage_error(tmp_path: Path, vendor: str) -> None:
    code, out, err = run(["--vendor", vendor, write(tmp_path, json.dumps(GOOD))])
    assert code == 2 and out == ""
    assert "unknown vendor" in err


def test_missing_file_empty_file_and_bad_encoding(tmp_path: Path) -> None:
    assert run(["--vendor", "dutchie", str(tmp_path / "absent.json")])[0] == 2
    code, _, err = run(["--vendor", "dutchie", write(tmp_path, "  \n")])
    assert code == 2 and "no JSON object" in err
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{"product": {"name": "caf\xe9"}}')
    code, _, err = run(["--vendor", "dutchie", str(bad)])
    assert code == 2 and "not UTF-8" in err


def test_real_subprocess_reads_stdin(tmp_path: Path) -> None:
    text = json.dumps(GOOD) + "\n" + json.dumps(NO_GRAMS) + "\n"
    done = subprocess.run([sys.executable, "-m", "fe_compliance", "grams", "--vendor", "dutchie", "-"], input=text,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert "line 1 (A1): 7 g" in done.stdout
    assert "line 2: error: dutchie: no grams" in done.stderr
    assert "Traceback" not in done.stderr


def test_help_describes_the_json_output_as_one_object() -> None:
    code, out, _err = run(["--help"])
    text = " ".join(out.split())
    assert code == 0 and "--json print one JSON object" in text and "JSON lines (shape" not in text
