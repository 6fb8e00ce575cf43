"""Audit the installed dependencies with pip-audit: exit 1 on a known vulnerability.

pip-audit prints "No known vulnerabilities found" and exits 0 even when it could look up
nothing (every package skipped because its vulnerability source did not answer). This reads
its JSON report and tells the cases apart: exit 0 audited and clean, 1 vulnerable, 3 the
audit could not run (with the reason), so CI never takes "not checked" for "clean".
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

PIP_AUDIT = os.environ.get("PIP_AUDIT") or str(Path(sys.executable).with_name("pip-audit"))


def why_unreachable() -> str:
    # pip-audit's default service asks PyPI's JSON API about each installed name and version.
    source = f"https://pypi.org/pypi/pip-audit/{version('pip-audit')}/json"
    try:
        with urllib.request.urlopen(source, timeout=20) as response:
            return f"{source} answered {response.status}, yet no package could be looked up"
    except urllib.error.HTTPError as error:
        return f"PyPI's JSON API answered HTTP {error.code} for {source}"
    except OSError as error:
        return f"PyPI's JSON API is unreachable ({source}): {error}"


def main() -> int:
    command = [PIP_AUDIT, "--skip-editable", "--progress-spinner", "off", "-f", "json"]
    result = subprocess.run(command, capture_output=True, text=True)
    try:
        dependencies = json.loads(result.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError):
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"audit: NOT RUN: pip-audit failed (exit {result.returncode}): {last}")
        return 3
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"audit: {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    unaudited = [
        d for d in dependencies if d.get("skip_reason") and "editable" not in d["skip_reason"]
    ]
    audited = [d for d in dependencies if "skip_reason" not in d]
    if vulnerable:
        print(f"audit: FAILED: {len(vulnerable)} package(s) with known vulnerabilities")
        return 1
    if not audited:
        print(
            f"audit: NOT RUN: none of {len(unaudited)} packages could be looked up "
            f"({why_unreachable()}). This is not a pass."
        )
        return 3
    for dep in unaudited:
        print(f"audit: not audited: {dep['name']}: {dep['skip_reason']}")
    print(f"audit: {len(audited)} packages audited, no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
