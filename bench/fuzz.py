"""Adversarial API run: schemathesis, every check, against `make serve`, as each role.

    .venv/bin/python bench/fuzz.py --db sqlite     # or --db postgres; `make fuzz` runs both

Starts `make serve` (gunicorn, DEBUG off) on loopback against a fresh database, loads the
seed articles, makes a reviewer and an editor with API tokens and an annotation of each,
then runs `schemathesis run` with every built-in check (`--checks all`) and every phase
(examples, coverage, fuzzing, stateful) once per token, plus our own check that a 200 body
is whole (tests/api/schemathesis_hooks.py). Prints the requests sent, the server errors and the
failures per check; exits 1 if a run found any failure or the server log holds a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django_env import setup_django  # noqa: E402
from load import (  # noqa: E402
    ROOT,
    free_port,
    fresh_database,
    serve_env,
    start_server,
    stop_server,
    wait_healthy,
)

# Not one of `make bench`'s benchmarks: it has its own command line and `make fuzz`.
STANDALONE = True
PHASES = "examples,coverage,fuzzing,stateful"


def seed(database_url: str) -> dict[str, str]:
    """Seed articles, one reviewer and one editor with a token and an annotation each."""
    setup_django(database_url, migrate=False)  # make serve has migrated it
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from annotations import services
    from annotations.models import Article

    with open(os.devnull, "w") as quiet:
        call_command("load_articles", str(ROOT / "seeds"), stdout=quiet)
    article = Article.objects.order_by("id").first()
    tokens = {}
    for role, verdict in (("reviewer", "disputed"), ("editor", "opinion")):
        user = get_user_model().objects.create_user(f"fuzz-{role}")
        user.groups.add(Group.objects.get(name=role))
        start = article.text.index(" ", 40 if role == "reviewer" else 200) + 1
        services.annotation_create(
            author=user,
            article=article,
            start=start,
            end=start + 20,
            quote=article.text[start : start + 20],
            verdict=verdict,
            note=f"seeded for the {role} run",
            evidence=[{"url": "https://example.org/source", "title": "A source"}],
        )
        _, key = services.api_token_create(user=user, name="fuzz")
        tokens[role] = key
    return tokens


def run_schemathesis(base: str, role: str, key: str, args, report_dir: Path) -> Path:
    report = report_dir / f"{role}.ndjson"
    schema = report_dir / "openapi.json"
    answer = httpx.get(
        f"{base}/api/schema/",
        headers={"Authorization": f"Token {key}", "Accept": "application/vnd.oai.openapi+json"},
    )
    answer.raise_for_status()
    schema.write_bytes(answer.content)
    command = [
        str(ROOT / ".venv" / "bin" / "schemathesis"),
        "--config-file",
        str(ROOT / "tests" / "api" / "schemathesis.toml"),
        "run",
        str(schema),
        "--url",
        base,
        "--header",
        f"Authorization: Token {key}",
        "--checks",
        "all",
        "--phases",
        PHASES,
        "--max-examples",
        str(args.max_examples),
        "--workers",
        "1",  # with more, CPython 3.11's ast module can trip inside schemathesis
        "--seed",
        str(args.seed),
        "--continue-on-failure",
        "--suppress-health-check",
        "all",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        "--request-timeout",
        "30",
        "--no-color",
    ]
    env = dict(os.environ, SCHEMATHESIS_HOOKS="tests.api.schemathesis_hooks", PYTHONPATH=str(ROOT))
    print(f"--- schemathesis as the {role} ({PHASES})", flush=True)
    out = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    (report_dir / f"{role}.log").write_text(out.stdout + out.stderr)
    tail = (out.stdout + out.stderr).strip().splitlines()[-25:]
    print("\n".join(tail), flush=True)
    return report, out.returncode


@dataclass
class Summary:
    requests: int = 0
    server_errors: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    # positive_data_acceptance on a case schemathesis itself built with a negative part
    # (e.g. a header breaking its pattern) while calling the whole case positive: the
    # 4xx is the right answer, so these are listed, not counted.
    mislabelled: list[str] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)


def summarise(report: Path) -> Summary:
    """Requests sent, 5xx answers and failures per check, from an NDJSON report."""
    summary = Summary()
    for line in report.read_text().splitlines():
        ((kind, event),) = json.loads(line).items()
        if kind == "NonFatalError":
            summary.internal_errors.append(f"{event['label']}: {event['value']['message']}")
        recorder = event.get("recorder") or {} if isinstance(event, dict) else {}
        for interaction in recorder.get("interactions", {}).values():
            summary.requests += 1
            status = (interaction.get("response") or {}).get("status_code") or 0
            if status >= 500:
                summary.server_errors[status] += 1
        for case_id, checks in recorder.get("checks", {}).items():
            case = recorder.get("cases", {}).get(case_id, {}).get("value", {})
            parts = case.get("meta", {}).get("components", {}).values()
            has_negative_part = any(part.get("mode") == "negative" for part in parts)
            for check in checks:
                if check.get("status") != "failure":
                    continue
                if check["name"] == "positive_data_acceptance" and has_negative_part:
                    where = f"{case.get('method')} {case.get('path')}"
                    summary.mislabelled.append(f"{case_id} {where}")
                else:
                    summary.failures[check["name"]] += 1
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="sqlite")
    parser.add_argument("--max-examples", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="PostgreSQL database to recreate for the run")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="workbench-fuzz-"))
    default_pg = "postgres://postgres@127.0.0.1:5432/workbench_fuzz"
    database_url = fresh_database(args.db, workdir, args.database_url or default_pg)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = serve_env(workdir, database_url, port, workers=2, threads=4)
    server_log_path = workdir / "server.log"
    server = start_server(env, server_log_path)
    results = {}
    try:
        wait_healthy(base, server, server_log_path)
        tokens = seed(database_url)
        for role, key in tokens.items():
            report, code = run_schemathesis(base, role, key, args, workdir)
            results[role] = (code, summarise(report))
    finally:
        stop_server(server)
        shutil.rmtree(workdir / "static", ignore_errors=True)
    server_log = server_log_path.read_text()
    print(f"\nreports and server log: {workdir}")
    problems = []
    for role, (code, summary) in results.items():
        errors = sum(summary.server_errors.values())
        listed = ", ".join(f"{name} {n}" for name, n in sorted(summary.failures.items()))
        print(
            f"{args.db} {role}: {summary.requests} requests, {errors} server errors, "
            f"failures: {listed or 'none'} (schemathesis exit {code})"
        )
        for where, n in sorted(Counter(c.split(" ", 1)[1] for c in summary.mislabelled).items()):
            example = next(c.split(" ", 1)[0] for c in summary.mislabelled if c.endswith(where))
            print(
                f"  not counted: {n} positive_data_acceptance on {where}, cases schemathesis "
                f"built with a negative part but called positive (e.g. {example})"
            )
        for error in summary.internal_errors:
            print(f"  schemathesis internal error (not the API's): {error}")
        if errors or summary.failures or not summary.requests:
            problems.append(role)
        elif code and not summary.mislabelled:
            problems.append(f"{role}: schemathesis exited {code} (see {role}.log)")
    if "Traceback" in server_log:
        problems.append("a traceback in the server log")
    if problems:
        print("FAILED: " + ", ".join(problems))
        return 1
    print("OK: every check passed as each role; no server error, no truncated body.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
