"""Drive the public pages under load through gunicorn on PostgreSQL, page cache off and on.

    .venv/bin/python benchmarks/bench_load.py --scale 10000 --duration 20
    .venv/bin/python benchmarks/bench_load.py --scale 10000 --duration 20 --server-time

For each scale it needs, it builds once a PostgreSQL database ``harambee_bench_<N>`` with
``seed_demo --scale N --only partnerships,communities`` (the rows the measured pages show),
marks it with a comment on the database, and reuses it while the mark matches
(``--reseed`` rebuilds it; migrations are applied every time).

The load part serves the site as in production (gunicorn with 2 sync workers, the Redis
cache, DEBUG off, hashed static files) on a free loopback port and runs 4 clients for
``--duration`` seconds against each page after a short warm-up, anonymous: first with the
anonymous page cache switched off (``HARAMBEE_CACHE_PAGES=0``, "uncached"), then on
("cached"), then with fragments off too ("cold"), with a fresh gunicorn for each.
Fragments (the cards and rows of the list pages, their filters, the body of a public
partnership's page and of an organisation's page for visitors) are kept in the first two
modes, as in production: "uncached" pages run their view on every request (the visibility
rule, the page's own rows) and take what every visitor sees alike from the fragments the
first requests kept. "cold" (``HARAMBEE_CACHE_FRAGMENTS=0``) renders every part of every
page on every request, as the first request after a change does; it has no aim of its
own and shows what the fragments save. Every response must be a 200; anything else counts
as an error. It prints requests per second, p50, p95 and errors,
with the share of ``/healthz``'s requests per second in the same run (measured before the
pages and after them, so that a machine busy with something else shows) and the aims of
issue 9 beside them.

``--server-time`` then prints each page's median time over sequential requests at each
of ``--scales``, cold (page cache and fragments off: only the site-wide figures are kept),
so that it times the work each page does with its rows, and the ratio of the largest
scale to the smallest. It serves every scale at once, each gunicorn with its own Redis
database, and sends the requests to each in turn.

The figures are printed, never asserted, and benchmarks do not run in CI. The clients run
on the machine that runs gunicorn, PostgreSQL and Redis, and share its cores. Needs
PostgreSQL (``--postgres``, a user that may create databases) and Redis (``--redis``; the
benchmark empties its databases from ``--redis-db`` on, one per scale, before each start).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import platform
import secrets
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
APPS = "partnerships,communities"  # the apps whose rows the measured pages show
SEED = 2026
HEADERS = {"User-Agent": "harambee-bench-load", "Accept-Encoding": "gzip, deflate, br"}
HEALTHZ = "/healthz"
HEALTHZ_AGAIN = "/healthz, again"  # after the pages: a busy machine shows as a difference
SETTINGS = os.environ.get("DJANGO_SETTINGS_MODULE", "harambee.settings")
# The switch of the anonymous page cache ("0" turns it off), as harambee/settings.py reads it.
PAGE_CACHE_SWITCH = "HARAMBEE_CACHE_PAGES"
# The aims of issue 9: shares of /healthz's requests per second, p95 at 10,000, growth.
AIM_SHARE = {"uncached": 0.15, "cached": 0.50}
# Each mode's switches: (the page cache, fragments). "cold" has no share aim.
MODES = {"uncached": (False, True), "cached": (True, True), "cold": (False, False)}
FRAGMENTS_SWITCH = "HARAMBEE_CACHE_FRAGMENTS"
AIM_P95_MS = 250
AIM_GROWTH = 1.5

# Which partnership and organisation pages to measure: a public generated partnership with
# a published needs assessment (so every section of its page has something to show), the
# middle one of them; its lead organisation (it has public partnerships); the page count.
PICK = """
import json
from communities.models import AssessmentStatus
from partnerships.models import Partnership
public = Partnership.objects.public().filter(slug__startswith="bench-").order_by("pk")
shown = public.filter(needs_assessments__status=AssessmentStatus.VALIDATED).distinct()
chosen = shown if shown.exists() else public
partnership = chosen[chosen.count() // 2]
lead = partnership.partners.get(is_lead=True).organisation
print(json.dumps({"partnership": partnership.slug, "organisation": lead.slug,
                  "public": public.count()}))
"""


def pages(picked: dict) -> dict[str, str]:
    """The measured pages, by name: /healthz first, the baseline of every share."""
    return {
        HEALTHZ: HEALTHZ,
        "home": "/",
        "partnership list": "/partnerships/",
        "list, country=KE": "/partnerships/?country=KE",
        "list, page 50": "/partnerships/?page=50",  # the last page when there are fewer
        "partnership page": f"/partnerships/{picked['partnership']}/",
        "organisation list": "/organisations/",
        "organisation page": f"/organisations/{picked['organisation']}/",
    }


def main() -> None:
    args = parse_args()
    # Stop gunicorn on kill as on Ctrl-C, even when started in the background (SIGINT ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    print(f"Command: {shlex.join([sys.executable, *sys.argv])}")
    print(f"Machine: {machine(args)}")
    with tempfile.TemporaryDirectory(prefix="harambee-bench-load-") as var:
        try:
            if args.duration > 0:
                load_part(args, var)
            if args.server_time:
                server_time_part(args, var)
        except KeyboardInterrupt:
            sys.exit("Interrupted: gunicorn stopped.")
        except subprocess.CalledProcessError as failed:
            sys.exit(f"Failed (exit {failed.returncode}): {shlex.join(failed.cmd)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10_000, help="partnerships (load part)")
    parser.add_argument("--duration", type=float, default=20, help="seconds per page; 0 skips")
    parser.add_argument("--warmup", type=float, default=2, help="seconds per page before that")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--modes", default="uncached,cached,cold")
    parser.add_argument("--server-time", action="store_true", help="also time pages per scale")
    parser.add_argument("--scales", default="1000,10000,100000", help="for --server-time")
    parser.add_argument("--requests", type=int, default=30, help="per page, for --server-time")
    parser.add_argument("--apps", default=APPS, help="what seed_demo builds (its --only)")
    parser.add_argument("--reseed", action="store_true", help="rebuild the databases")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379")
    parser.add_argument("--redis-db", type=int, default=10, help="the first Redis database")
    args = parser.parse_args()
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not set(args.modes) <= set(MODES):
        parser.error(f"--modes takes {', '.join(MODES)}")
    args.scales = sorted({int(s) for s in args.scales.split(",") if s.strip()})
    return args


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def machine(args) -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with psycopg.connect(f"{args.postgres}/postgres") as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    return (
        f"{usable} of {os.cpu_count()} cores usable ({cpu_model()}), {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, PostgreSQL {postgres}"
    )


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.processor() or "unknown CPU"


# --- the two parts ---------------------------------------------------------------------------


def load_part(args, var: str) -> None:
    database = prepare_database(args, args.scale, var)
    picked = pick(database, var)
    urls = pages(picked)
    results = {}
    for mode in args.modes:
        with Server(args, database, var, mode=mode, redis_db=args.redis_db) as server:
            for name, path in [*urls.items(), (HEALTHZ_AGAIN, HEALTHZ)]:
                progress(f"{mode} {name}: {args.warmup:g} s warm-up, {args.duration:g} s")
                hammer(server.port, path, seconds=args.warmup, clients=args.concurrency)
                results[mode, name] = hammer(
                    server.port, path, seconds=args.duration, clients=args.concurrency
                )
    print()
    print(
        f"Load: {args.scale:,} partnerships ({picked['public']:,} public), "
        f"{args.concurrency} clients for {args.duration:g} s per page after "
        f"{args.warmup:g} s of warm-up, gunicorn with {args.workers} sync workers"
    )
    print(f"Database: {database.describe()}; cache: {args.redis}/{args.redis_db}")
    print(
        f"Page cache: off with {PAGE_CACHE_SWITCH}=0 (uncached, cold), on with =1 (cached); "
        f"fragments kept in uncached and cached ({FRAGMENTS_SWITCH}=1, as with DEBUG off), "
        f"off in cold (=0)"
    )
    print_urls(urls)
    print_load(results)


def server_time_part(args, var: str) -> None:
    """One gunicorn per scale, all at once, and the requests alternate between them, so
    that whatever else the machine does slows every scale alike."""
    databases = [prepare_database(args, scale, var) for scale in args.scales]
    urls = {scale: pages(pick(db, var)) for scale, db in zip(args.scales, databases, strict=True)}
    with contextlib.ExitStack() as servers:
        ports = {
            scale: servers.enter_context(
                Server(args, db, var, mode="cold", redis_db=args.redis_db + i)
            ).port
            for i, (scale, db) in enumerate(zip(args.scales, databases, strict=True))
        }
        progress(f"server time: {args.requests} requests per page and scale")
        medians = sequential_medians(ports, urls, args.requests)
    print()
    print(
        f"Median server time (ms) of {args.requests} sequential requests per page, cold "
        f"(page cache and fragments off), one client on loopback (so /healthz is the floor)"
    )
    print_server_times(medians)


# --- the database ----------------------------------------------------------------------------


@dataclass
class Database:
    name: str
    url: str
    mark: str  # the seed command, as written on the database

    def describe(self) -> str:
        return f"{self.name}, {self.mark}"


def prepare_database(args, scale: int, var: str) -> Database:
    """A migrated database seeded at ``scale``: the marked one if it matches, else anew."""
    name = f"harambee_bench_{scale}"
    command = ["seed_demo", "--scale", str(scale), "--only", args.apps, "--seed", str(SEED)]
    wanted = shlex.join(command)
    database = Database(name, f"{args.postgres}/{name}", wanted)
    mark = None if args.reseed else read_mark(args.postgres, name)
    if mark is not None and mark.startswith(f"{wanted};"):
        progress(f"Reusing {name} ({mark}); migrating")
        try:
            manage(database, var, "migrate", "--no-input", "-v", "0")
        except subprocess.CalledProcessError:
            progress(f"{name} no longer migrates (the migrations changed): building it anew")
        else:
            # A migration may have added an index over an expression (the country filter's),
            # whose statistics the planner only has once the table is analysed again.
            with psycopg.connect(database.url, autocommit=True) as connection:
                connection.execute("ANALYZE")
            database.mark = mark
            return database
    progress(f"Building {name}: migrate, {wanted}")
    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    manage(database, var, "migrate", "--no-input", "-v", "0")
    start = time.perf_counter()
    manage(database, var, *command)
    seconds = time.perf_counter() - start
    with psycopg.connect(database.url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")  # the planner's statistics, as in a live site
        database.mark = f"{wanted}; seeded in {seconds:.0f} s"
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(database.mark)
            )
        )
    progress(f"Seeded {name} in {seconds:.1f} s")
    return database


def read_mark(postgres: str, name: str) -> str | None:
    with psycopg.connect(f"{postgres}/postgres") as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return row[0] if row else None


def manage(database: Database, var: str, *command: str, capture: bool = False) -> str:
    """Run a management command against the database, in development mode (seed_demo
    refuses production mode)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "HARAMBEE_PRODUCTION": "false",
        "DATABASE_URL": database.url,
        "HARAMBEE_VAR_DIR": var,
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else sys.stderr,
    )
    return done.stdout or ""


def pick(database: Database, var: str) -> dict:
    output = manage(database, var, "shell", "-v", "0", "-c", PICK, capture=True)
    return json.loads(output.strip().splitlines()[-1])


# --- gunicorn --------------------------------------------------------------------------------


class Server:
    """gunicorn in production mode on a free loopback port, stopped on exit whatever
    happens (its own process group, so a Ctrl-C reaches this script, which stops it)."""

    def __init__(self, args, database: Database, var: str, *, mode: str, redis_db: int):
        self.args, self.database, self.var, self.mode = args, database, var, mode
        self.pages, self.fragments = MODES[mode]
        self.redis = f"{args.redis}/{redis_db}"
        self.port = free_port()
        self.log = Path(var) / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "HARAMBEE_PRODUCTION": "true",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",  # plain http on loopback
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "DATABASE_URL": self.database.url,
            "REDIS_URL": self.redis,
            "HARAMBEE_VAR_DIR": self.var,
            PAGE_CACHE_SWITCH: "1" if self.pages else "0",
            FRAGMENTS_SWITCH: "1" if self.fragments else "0",
            "LOG_LEVEL": "WARNING",
        }

    def __enter__(self) -> Server:
        env = self.env()
        if not (Path(self.var) / "static" / "staticfiles.json").exists():
            # Production mode serves hashed names, from the manifest that this writes.
            subprocess.run(  # noqa: S603 - our own manage.py
                [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
                cwd=ROOT,
                env=env,
                check=True,
            )
        redis.Redis.from_url(self.redis).flushdb()  # nothing cached by an earlier run
        options = f"--workers {self.args.workers} --worker-class sync --log-level warning"
        command = [sys.executable, "-m", "gunicorn", "harambee.wsgi", *options.split()]
        mode = self.mode
        progress(f"Starting gunicorn ({mode}) on port {self.port} with {self.database.name}")
        with self.log.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn
                [*command, "--bind", f"127.0.0.1:{self.port}"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        try:
            self.wait_until_healthy()
        except BaseException:
            self.__exit__()
            raise
        return self

    def wait_until_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn stopped (exit {self.process.returncode}):\n{self.tail()}")
            try:
                if get(self.port, HEALTHZ)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        sys.exit(f"gunicorn did not answer {HEALTHZ} in {timeout:g} s:\n{self.tail()}")

    def tail(self) -> str:
        return "\n".join(self.log.read_text().splitlines()[-30:])

    def __exit__(self, *exc) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own group: gunicorn and workers
            self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the clients -----------------------------------------------------------------------------


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # seconds, of answered requests
    problems: Counter = field(default_factory=Counter)  # "HTTP 500", "ConnectionResetError"
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(self.problems.values())

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """In milliseconds, by nearest rank."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)] * 1000


def hammer(port: int, path: str, *, seconds: float, clients: int) -> Result:
    """``clients`` threads, each sending one request after another (a new connection for
    each when the server closes it, as gunicorn's sync workers do) for ``seconds``."""
    deadline = time.perf_counter() + seconds
    parts = [Result() for _ in range(clients)]
    threads = [
        # daemons: on Ctrl-C the script stops gunicorn and exits without waiting for them
        threading.Thread(target=client, args=(port, path, deadline, r), daemon=True)
        for r in parts
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = Result(seconds=time.perf_counter() - start)
    for part in parts:
        total.latencies += part.latencies
        total.problems += part.problems
    return total


def client(port: int, path: str, deadline: float, result: Result) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers=HEADERS)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                result.problems[type(exc).__name__] += 1
                connection.close()
                time.sleep(0.05)  # a server that is down should not spin the client
                continue
            result.latencies.append(time.perf_counter() - start)
            if response.status != 200:
                result.problems[f"HTTP {response.status}"] += 1
            if response.will_close:
                connection.close()  # the next request opens a new connection
    finally:
        connection.close()


def get(port: int, path: str) -> tuple[int, float]:
    """One request on its own connection: the status and the seconds it took."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        start = time.perf_counter()
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - start
    finally:
        connection.close()


def sequential_medians(
    ports: dict[int, int], urls: dict[int, dict[str, str]], requests: int
) -> dict[int, dict[str, float]]:
    """Milliseconds, by scale and page: one request at a time, to each scale in turn,
    after a few warm-up requests (both workers, their connections)."""
    timings: dict[int, dict[str, list[float]]] = {scale: {} for scale in ports}
    for name in urls[next(iter(ports))]:
        for n in range(5 + requests):
            for scale, port in ports.items():
                path = urls[scale][name]
                status, seconds = get(port, path)
                if status != 200:
                    sys.exit(f"{path} answered {status} at {scale:,} partnerships.")
                if n >= 5:
                    timings[scale].setdefault(name, []).append(seconds * 1000)
    return {
        scale: {name: statistics.median(values) for name, values in by_page.items()}
        for scale, by_page in timings.items()
    }


# --- the report ------------------------------------------------------------------------------


def progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def print_urls(urls: dict[str, str]) -> None:
    print("Pages:")
    for name, path in urls.items():
        if name != path:
            print(f"  {name:<19} {path}")


def print_load(results: dict[tuple[str, str], Result]) -> None:
    print()
    print(
        f"{'mode':<9} {'page':<19} {'req/s':>8} {'of /healthz':>11} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'errors':>6}  aims"
    )
    for (mode, name), result in results.items():
        baseline = healthz_rate(results, mode)
        share = result.rate / baseline if baseline else 0.0
        p95 = result.percentile(0.95)
        verdict = "" if name in (HEALTHZ, HEALTHZ_AGAIN) else aims(mode, share, p95, result.errors)
        print(
            f"{mode:<9} {name:<19} {result.rate:>8.1f} {share:>11.1%} "
            f"{result.percentile(0.5):>7.1f} {p95:>7.1f} {result.errors:>6}  {verdict}"
        )
    for mode in dict.fromkeys(mode for mode, _name in results):
        before, after = results[mode, HEALTHZ].rate, results[mode, HEALTHZ_AGAIN].rate
        if abs(before - after) > 0.2 * max(before, after):
            print(
                f"Note: {mode}, /healthz went from {before:.0f} to {after:.0f} req/s during the "
                f"run: something else was using the machine; its figures are unreliable."
            )
    problems = sum((r.problems for r in results.values()), Counter())
    if problems:
        print("Errors: " + ", ".join(f"{n} × {kind}" for kind, n in problems.most_common()))
    print(
        f"Aims: uncached ≥ {AIM_SHARE['uncached']:.0%} and cached ≥ {AIM_SHARE['cached']:.0%} "
        f"of /healthz's req/s (the mean of its two runs), p95 ≤ {AIM_P95_MS} ms (at 10,000 "
        f"partnerships), no errors; cold has no share aim (it shows what the fragments save)."
    )


def healthz_rate(results: dict[tuple[str, str], Result], mode: str) -> float:
    """The baseline of the shares: /healthz's req/s before and after the pages, averaged."""
    return (results[mode, HEALTHZ].rate + results[mode, HEALTHZ_AGAIN].rate) / 2


def aims(mode: str, share: float, p95: float, errors: int) -> str:
    missed = []
    if mode in AIM_SHARE and share < AIM_SHARE[mode]:
        missed.append(f"share < {AIM_SHARE[mode]:.0%}")
    if p95 > AIM_P95_MS:
        missed.append(f"p95 > {AIM_P95_MS} ms")
    if errors:
        missed.append("errors")
    if missed:
        return "missed: " + ", ".join(missed)
    return "met" if mode in AIM_SHARE else "p95 met (no share aim)"


def print_server_times(medians: dict[int, dict[str, float]]) -> None:
    scales = list(medians)
    first, last = scales[0], scales[-1]
    growth = f"{last:,}/{first:,}" if len(scales) > 1 else ""
    print()
    print(f"{'page':<19} " + " ".join(f"{s:>9,}" for s in scales) + f" {growth:>15}  aim")
    for name in medians[first]:
        row = " ".join(f"{medians[s][name]:>9.1f}" for s in scales)
        if len(scales) == 1:
            print(f"{name:<19} {row}")
            continue
        ratio = medians[last][name] / medians[first][name]
        verdict = "" if name == HEALTHZ else ("met" if ratio <= AIM_GROWTH else "missed")
        print(f"{name:<19} {row} {ratio:>14.2f}×  {verdict}")
    print(f"Aim: each page's median at most {AIM_GROWTH}× as long at {last:,} as at {first:,}.")


if __name__ == "__main__":
    main()
