"""Load test: `make serve` under concurrent reviewers, editors and export consumers.

    .venv/bin/python bench/load.py --db postgres   # or --db sqlite; --seconds 60 (the most)

Starts `make serve` on loopback against a fresh database, loads the seed articles, creates
20 reviewers, 3 editors and 2 consumers with API tokens, then for the given time: reviewers
create and edit annotations through the API, editors approve pending ones with If-Match,
consumers stream the JSONL export. Afterwards the database is compared with the client's
own log: every acknowledged write is there exactly once, no approval was applied twice,
every ReviewEvent is a change some client made, no 5xx, no "database is locked". Prints
requests/s and p50/p95/p99 latency per endpoint; exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from django_env import setup_django

# Not one of `make bench`'s benchmarks: it has its own command line and `make load`.
STANDALONE = True
ROOT = Path(__file__).resolve().parent.parent
N_REVIEWERS, N_EDITORS, N_CONSUMERS = 20, 3, 2
API = "/api/v1"


# --- the client's own log ------------------------------------------------------------


@dataclass
class Log:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)
    transport_errors: list[str] = field(default_factory=list)
    # Acknowledged writes: (annotation id, version after, action).
    acked: set[tuple[int, int, str]] = field(default_factory=set)
    # Notes sent with creates that got no answer: they may or may not have been applied.
    unanswered_creates: set[str] = field(default_factory=set)
    unanswered: int = 0
    created_notes: dict[str, int] = field(default_factory=dict)
    export_lines: int = 0

    def record(self, endpoint: str, seconds: float, status: int, text: str) -> None:
        self.latencies[endpoint].append(seconds)
        self.statuses[(endpoint, status)] += 1
        if status >= 500:
            self.server_errors.append(f"{endpoint} {status} {text[:200]}")
        if "database is locked" in text:
            self.locked.append(f"{endpoint} {status}")


async def timed(log: Log, endpoint: str, client: httpx.AsyncClient, method: str, url: str, **kw):
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kw)
    except httpx.TransportError as error:
        log.transport_errors.append(f"{endpoint}: {error!r}")
        return None
    log.record(endpoint, time.perf_counter() - started, response.status_code, response.text)
    return response


# --- the actors ----------------------------------------------------------------------


async def reviewer(client, log: Log, articles: dict[int, str], deadline: float) -> None:
    mine: dict[int, tuple[int, str]] = {}  # annotation id -> (version we last saw, marker)
    rng = random.Random()
    while time.monotonic() < deadline:
        if mine and rng.random() < 0.4:
            annotation_id, (version, created_note) = rng.choice(list(mine.items()))
            # Keep the create's marker at the front, so the row can still be told apart.
            note = f"{created_note} edited {uuid.uuid4()}"
            response = await timed(
                log,
                "PATCH annotation",
                client,
                "PATCH",
                f"{API}/annotations/{annotation_id}/",
                json={"note": note},
                headers={"If-Match": f'"{version}"'},
            )
            if response is None:
                log.unanswered += 1
                mine.pop(annotation_id)
            elif response.status_code == 200:
                body = response.json()
                log.acked.add((annotation_id, body["version"], "edited"))
                mine[annotation_id] = (body["version"], created_note)
            elif response.status_code in (409, 412):
                # Approved or changed meanwhile: expected under contention, not an error.
                mine.pop(annotation_id)
            continue
        article_id, text = rng.choice(list(articles.items()))
        start = rng.randrange(0, len(text) - 40)
        end = start + rng.randrange(5, 40)
        note = f"bench {uuid.uuid4()}"
        verdict = rng.choice(["verified", "disputed", "opinion"])
        payload = {
            "article": article_id,
            "start": start,
            "end": end,
            "quote": text[start:end],
            "verdict": verdict,
            "note": note,
            "evidence": [{"url": f"https://example.org/{uuid.uuid4()}", "title": "Source"}],
        }
        response = await timed(
            log, "POST annotations", client, "POST", f"{API}/annotations/", json=payload
        )
        if response is None:
            log.unanswered += 1
            log.unanswered_creates.add(note)
        elif response.status_code == 201:
            body = response.json()
            log.acked.add((body["id"], body["version"], "created"))
            log.created_notes[note] = body["id"]
            mine[body["id"]] = (body["version"], note)


async def editor(client, log: Log, deadline: float) -> None:
    rng = random.Random()
    while time.monotonic() < deadline:
        response = await timed(
            log,
            "GET queue",
            client,
            "GET",
            f"{API}/annotations/",
            params={"status": "pending", "page_size": 50},
        )
        if response is None or response.status_code != 200:
            await asyncio.sleep(0.05)
            continue
        pending = response.json()["results"]
        if not pending:
            await asyncio.sleep(0.05)
            continue
        item = rng.choice(pending)
        response = await timed(
            log,
            "POST review",
            client,
            "POST",
            f"{API}/annotations/{item['id']}/review/",
            json={"decision": "approve", "comment": ""},
            headers={"If-Match": f'"{item["version"]}"'},
        )
        if response is None:
            log.unanswered += 1
        elif response.status_code == 200:
            log.acked.add((item["id"], response.json()["version"], "approved"))


async def consumer(client, log: Log, deadline: float) -> None:
    while time.monotonic() < deadline:
        started = time.perf_counter()
        lines, text = 0, ""
        try:
            async with client.stream("GET", f"{API}/export/annotations.jsonl") as response:
                if response.status_code == 200:
                    async for line in response.aiter_lines():
                        if line.strip():
                            json.loads(line)  # every line is one whole JSON object
                            lines += 1
                else:
                    text = (await response.aread()).decode(errors="replace")
        except httpx.TransportError as error:
            log.transport_errors.append(f"GET export.jsonl: {error!r}")
            continue
        log.record("GET export.jsonl", time.perf_counter() - started, response.status_code, text)
        log.export_lines += lines


async def run_load(base: str, tokens: dict[str, list[str]], articles, seconds: float) -> Log:
    log = Log()
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)

    def client(key: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=base, headers={"Authorization": f"Token {key}"}, timeout=30, limits=limits
        )

    clients = [client(k) for role in tokens.values() for k in role]
    actors = []
    it = iter(clients)
    actors += [reviewer(next(it), log, articles, deadline) for _ in tokens["reviewers"]]
    actors += [editor(next(it), log, deadline) for _ in tokens["editors"]]
    actors += [consumer(next(it), log, deadline) for _ in tokens["consumers"]]
    await asyncio.gather(*actors)
    for c in clients:
        await c.aclose()
    return log


# --- server and data -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(kind: str, workdir: Path, url: str | None) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    import psycopg

    url = url or "postgres://postgres@127.0.0.1:5432/workbench_bench"
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return url


def serve_env(workdir: Path, database_url: str, port: int, workers: int, threads: int) -> dict:
    """The environment `make serve` gets: production settings (DEBUG off) on loopback."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(workdir)),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(workdir / "static"),
        "BIND": f"127.0.0.1:{port}",
        "WORKERS": str(workers),
        "THREADS": str(threads),
    }


def start_server(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    with log_path.open("w") as out:
        # Its own process group, so stopping it stops make, gunicorn and the workers.
        return subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_healthy(base: str, server: subprocess.Popen, log_path: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"make serve exited:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    sys.exit("the server did not become healthy in time")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def seed(database_url: str) -> tuple[dict[str, list[str]], dict[int, str]]:
    """Load the seed articles and make the users with tokens, straight through the ORM."""
    setup_django(database_url, migrate=False)  # make serve has migrated it
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from annotations import services
    from annotations.models import Article

    with open(os.devnull, "w") as quiet:
        call_command("load_articles", str(ROOT / "seeds"), stdout=quiet)
    users = get_user_model().objects
    tokens: dict[str, list[str]] = {"reviewers": [], "editors": [], "consumers": []}
    plan = [("reviewers", "reviewer", N_REVIEWERS), ("editors", "editor", N_EDITORS)]
    plan.append(("consumers", None, N_CONSUMERS))
    for role, group, count in plan:
        for i in range(count):
            user = users.create_user(f"{role}{i:02d}")  # no password: tokens only
            if group:
                user.groups.add(Group.objects.get(name=group))
            _, key = services.api_token_create(user=user, name="load test")
            tokens[role].append(key)
    articles = dict(Article.objects.values_list("id", "text"))
    return tokens, articles


# --- checks --------------------------------------------------------------------------


def verify(log: Log) -> list[str]:
    """Compare the database with the client's log; return the failures."""
    from annotations.models import Annotation, ReviewEvent

    failures: list[str] = []
    events = list(ReviewEvent.objects.values_list("annotation_id", "version", "action"))
    event_set = set(events)
    if len(event_set) != len(events):
        dupes = [e for e, n in Counter(events).items() if n > 1]
        failures.append(f"{len(dupes)} changes recorded twice, e.g. {dupes[:3]}")
    missing = log.acked - event_set
    if missing:
        failures.append(
            f"{len(missing)} acknowledged writes not in the history, e.g. {sorted(missing)[:3]}"
        )
    # A change nobody was told about is only possible for a request that got no answer.
    unacked = event_set - log.acked
    if len(unacked) > log.unanswered:
        failures.append(
            f"{len(unacked)} history events match no client write, e.g. {sorted(unacked)[:3]}"
        )

    notes = Counter(
        " ".join(note.split()[:2])  # the create's marker, "bench <uuid>"
        for note in Annotation.all_objects.filter(note__startswith="bench ").values_list(
            "note", flat=True
        )
    )
    for note, annotation_id in log.created_notes.items():
        if notes.get(note, 0) != 1:
            failures.append(
                f"created annotation {annotation_id} present {notes.get(note, 0)} times"
            )
    extra = set(notes) - set(log.created_notes) - log.unanswered_creates
    if extra:
        failures.append(f"{len(extra)} annotations that no client created")

    approvals = Counter(a for a, _, action in events if action == "approved")
    twice = [a for a, n in approvals.items() if n > 1]
    if twice:
        failures.append(f"{len(twice)} annotations approved more than once, e.g. {twice[:3]}")

    # Every annotation's history is one event per version, 1..version, nothing skipped.
    by_annotation = defaultdict(list)
    for a, version, _ in events:
        by_annotation[a].append(version)
    for a, version in Annotation.all_objects.values_list("id", "version"):
        if sorted(by_annotation.get(a, [])) != list(range(1, version + 1)):
            failures.append(
                f"annotation {a}: version {version} but history {sorted(by_annotation.get(a, []))}"
            )
            break

    if log.server_errors:
        failures.append(f"{len(log.server_errors)} 5xx responses, e.g. {log.server_errors[:2]}")
    if log.locked:
        failures.append(f"{len(log.locked)} 'database is locked' responses")
    if log.transport_errors:
        failures.append(
            f"{len(log.transport_errors)} transport errors, e.g. {log.transport_errors[:2]}"
        )
    return failures


def percentile(sorted_values: list[float], p: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def report(kind: str, workers: int, seconds: float, log: Log, server_log: str) -> None:
    total = sum(len(v) for v in log.latencies.values())
    rate = total / seconds
    print(f"\n{kind}, {workers} workers, {seconds:.0f} s: {total} requests, {rate:.1f} req/s")
    print(f"{'endpoint':<20}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses")
    for endpoint in sorted(log.latencies):
        values = sorted(log.latencies[endpoint])
        statuses = ", ".join(
            f"{code}×{n}" for (ep, code), n in sorted(log.statuses.items()) if ep == endpoint
        )
        cells = "".join(f"{percentile(values, p) * 1000:>9.0f}" for p in (50, 95, 99))
        print(f"{endpoint:<20}{len(values):>7}{cells}  {statuses}")
    errors = len(log.server_errors) + len(log.transport_errors)
    print(
        f"acknowledged writes {len(log.acked)}, export lines read {log.export_lines}, "
        f"errors (5xx or transport) {errors}, 'database is locked' {len(log.locked)} "
        f"(server log: {server_log.count('database is locked')})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--seconds", type=float, default=60, help="load duration, at most 60")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    parser.add_argument("--database-url", help="PostgreSQL database to recreate for the run")
    args = parser.parse_args()
    seconds = min(max(args.seconds, 1), 60)

    workdir = Path(tempfile.mkdtemp(prefix="workbench-load-"))
    database_url = fresh_database(args.db, workdir, args.database_url)
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    env = serve_env(workdir, database_url, port, args.workers, args.threads)
    server_log_path = workdir / "server.log"
    server = start_server(env, server_log_path)
    try:
        wait_healthy(base, server, server_log_path)
        tokens, articles = seed(database_url)
        started = time.monotonic()
        log = asyncio.run(run_load(base, tokens, articles, seconds))
        elapsed = time.monotonic() - started
    finally:
        stop_server(server)
        shutil.rmtree(workdir / "static", ignore_errors=True)
    server_log = server_log_path.read_text()
    print(f"server log: {server_log_path}")
    report(args.db, args.workers, elapsed, log, server_log)
    failures = verify(log)
    if "database is locked" in server_log:
        failures.append("'database is locked' in the server log")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("OK: every acknowledged write is in the database exactly once, no double approval,")
    print("    every history event is a client's change, no 5xx, no 'database is locked'.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
