"""tracktrace sits where design.md puts it: it imports only the root errors module below it, nothing imports it
from the ground floors, and ``import fe_compliance`` does not load it (network code stays opt-in)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "fe_compliance"
GROUND_FLOORS = ("units", "categories", "equivalency", "catalog", "limits", "states", "greencheck", "masscip")
THIRD_PARTY_ALLOWED = {"attrs"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.add(node.module)
    return found


def test_tracktrace_imports_only_the_standard_library_attrs_and_the_root_errors() -> None:
    for path in sorted((SRC / "tracktrace").glob("*.py")):
        for name in imports_of(path):
            top = name.split(".")[0]
            if top == "fe_compliance":
                assert name == "fe_compliance.errors" or name.startswith("fe_compliance.tracktrace"), (path, name)
            else:
                assert top in sys.stdlib_module_names or top in THIRD_PARTY_ALLOWED or top == "__future__", (path, name)


def test_no_ground_floor_imports_tracktrace() -> None:
    for floor in GROUND_FLOORS:
        paths = [SRC / f"{floor}.py"] if (SRC / f"{floor}.py").exists() else sorted((SRC / floor).rglob("*.py"))
        for path in paths:
            assert not any("tracktrace" in name for name in imports_of(path)), path


def test_import_fe_compliance_does_not_load_the_network_code() -> None:
    code = "import sys, fe_compliance; print(any(m.startswith('fe_compliance.tracktrace') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
