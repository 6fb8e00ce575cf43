"""The CI dependency audit fails on a vulnerability and never reports "not checked" as clean."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

AUDIT = Path(__file__).resolve().parent.parent / ".ci" / "audit.py"

CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"]}],
}
NOT_FOUND = {
    "name": "django",
    "skip_reason": "Dependency not found on PyPI and could not be audited",
}
EDITABLE = {"name": "factcheck-workbench", "skip_reason": "distribution marked as editable"}


def run_audit(tmp_path, report=None, exit_code=0):
    fake = tmp_path / "pip-audit"
    output = "" if report is None else json.dumps({"dependencies": report, "fixes": []})
    fake.write_text(
        f"#!{sys.executable}\nimport sys\nprint({output!r})\n"
        f"print('ConnectionError: no route', file=sys.stderr)\nsys.exit({exit_code})\n"
    )
    fake.chmod(0o755)
    return subprocess.run(
        [sys.executable, str(AUDIT)],
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), "PIP_AUDIT": str(fake)},
        timeout=60,
    )


def test_clean_dependencies_pass(tmp_path):
    result = run_audit(tmp_path, [CLEAN, EDITABLE])
    assert result.returncode == 0
    assert "1 packages audited, no known vulnerabilities" in result.stdout


def test_a_known_vulnerability_fails(tmp_path):
    result = run_audit(tmp_path, [CLEAN, VULNERABLE], exit_code=1)
    assert result.returncode == 1
    assert "PYSEC-2025-1 (fixed in 5.2.2)" in result.stdout


@pytest.mark.parametrize(
    ("report", "exit_code"),
    [([NOT_FOUND, EDITABLE], 0), (None, 1)],
    ids=["every-lookup-skipped", "pip-audit-crashed"],
)
def test_an_audit_that_could_not_look_anything_up_is_not_a_pass(tmp_path, report, exit_code):
    result = run_audit(tmp_path, report, exit_code)
    assert result.returncode == 3
    assert "NOT RUN" in result.stdout
