#!/usr/bin/env python3
"""Check the README's promise: on a fresh clone, `make run` serves the site with a live
Celery worker, on the defaults a new user gets.

In a temporary folder this clones the repository's committed state (a clone has only
committed files, as a new user's has), then runs `make run` there without DATABASE_URL
or REDIS_URL (so SQLite under var/ and the file-system broker under var/broker): it
compiles the catalogues, migrates, seeds the demo world and starts the web server, the
worker and beat. Once / and /healthz answer 200 and a celery process runs, it sends an
organisation invitation through the service the invite page uses and waits for the worker
to email it (the development email backend prints it to the worker's output) and for the
broker queue to empty. At the end, whatever happened, it stops make's whole process group
and checks that nothing of it is left.

The clone uses this checkout's .venv through a symlink (`make install` there is then a
check that the pins are installed, seconds instead of a minute); --fresh-venv lets
`make run` build the clone its own, as on a new machine.

    python3 scripts/check_run.py [--timeout SECONDS] [--fresh-venv] [--keep]

Exits non-zero, with the end of make's output, when a step fails or time runs out.
Standard library only: it runs before any virtualenv exists.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What would point a new user's `make run` away from its embedded defaults.
NOT_A_NEW_USERS = ("DATABASE_URL", "REDIS_URL", "SITE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")
NOT_A_NEW_USERS += ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "VIRTUAL_ENV")
NOT_A_NEW_USERS_PREFIXES = ("HARAMBEE_", "DJANGO_", "CELERY_", "EMAIL_")

SEND_INVITATION = """
from partnerships.models import MemberRole, OrganisationMember
from partnerships.services import invitation_send
admin = (
    OrganisationMember.objects.filter(role=MemberRole.ADMIN)
    .select_related("organisation", "user").order_by("pk").first()
)
invitation_send(organisation=admin.organisation, email={email!r}, role=MemberRole.STAFF,
                by=admin.user)
print(admin.organisation.name)
"""


class CheckFailed(Exception):
    pass


class Clock:
    def __init__(self, budget: float):
        self.start = time.monotonic()
        self.deadline = self.start + budget

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def left(self) -> float:
        return self.deadline - time.monotonic()


def say(clock: Clock, message: str) -> None:
    print(f"[{clock.elapsed():6.1f}s] {message}", flush=True)


def new_users_environment() -> tuple[dict[str, str], list[str]]:
    removed = sorted(
        name
        for name in os.environ
        if name in NOT_A_NEW_USERS or name.startswith(NOT_A_NEW_USERS_PREFIXES)
    )
    environment = {name: value for name, value in os.environ.items() if name not in removed}
    return environment, removed


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CheckFailed(f"{name} is not installed")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers_200(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own loopback
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def group_members(pgid: int) -> list[tuple[int, str]]:
    """The live processes (not zombies) of a process group: (pid, command name)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        command, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :]
        state, _ppid, group = rest.split()[:3]
        if int(group) == pgid and state != "Z":
            members.append((int(stat.parent.name), command))
    return members


def stop_group(make: subprocess.Popen, clock: Clock) -> None:
    """Stop make and everything it started (make run's own trap does `kill 0` too)."""
    for sig, grace in ((signal.SIGINT, 15), (signal.SIGKILL, 5)):
        if not group_members(make.pid):
            break
        try:
            os.killpg(make.pid, sig)
        except ProcessLookupError:
            break
        end = time.monotonic() + grace
        while group_members(make.pid) and time.monotonic() < end:
            make.poll()
            time.sleep(0.2)
    make.poll()
    left = group_members(make.pid)
    if left:
        raise CheckFailed(f"processes left behind: {left}")
    say(clock, "stopped: no process of make run is left")


def tail(log: Path, lines: int = 60) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def worker_alive(make: subprocess.Popen) -> None:
    if not any(command == "celery" for _pid, command in group_members(make.pid)):
        raise CheckFailed("no celery process is running")


def wait_for(clock: Clock, what: str, done, make: subprocess.Popen, *, worker: bool = True) -> None:
    """Poll ``done`` until it is true; fail early if make or (once up) the worker stopped."""
    while not done():
        if make.poll() is not None:
            raise CheckFailed(f"make run exited ({make.returncode}) before {what}")
        if worker:
            worker_alive(make)
        if clock.left() <= 0:
            raise CheckFailed(f"timed out waiting for {what}")
        time.sleep(0.5)


def check(clone: Path, clock: Clock, *, fresh_venv: bool) -> None:
    environment, removed = new_users_environment()
    say(clock, f"environment without: {', '.join(removed) or 'nothing to remove'}")
    git, make_command = tool("git"), tool("make")
    subprocess.run([git, "clone", "--quiet", str(ROOT), str(clone)], check=True)  # noqa: S603
    commit = subprocess.run(  # noqa: S603 - git on our own clone
        [git, "-C", str(clone), "log", "-1", "--format=%h %s"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    say(clock, f"cloned {commit[:72]} into {clone}")
    venv = ROOT / ".venv"
    if not fresh_venv and (venv / "bin" / "python").exists():
        (clone / ".venv").symlink_to(venv)
        say(clock, f"using {venv} (symlink)")
    else:
        say(clock, "make run builds the clone its own .venv")

    port = free_port()
    log = clone.parent / "make-run.log"
    with log.open("wb") as output:
        make = subprocess.Popen(  # noqa: S603 - the clone's own Makefile
            [make_command, "run", "HOST=127.0.0.1", f"PORT={port}"],
            cwd=clone,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, to stop all of it at the end
        )
    try:
        say(clock, f"make run HOST=127.0.0.1 PORT={port} (output in {log})")
        site = f"http://127.0.0.1:{port}"
        for path in ("/", "/healthz"):
            up = functools.partial(answers_200, site + path)
            wait_for(clock, f"{path} to answer 200", up, make, worker=False)
            say(clock, f"GET {path} answered 200")
        worker_alive(make)
        say(clock, "a celery worker process is running")
        database = clone / "var" / "harambee.sqlite3"
        if not database.exists():
            raise CheckFailed(f"no SQLite database at {database}")
        say(clock, f"database: {database.relative_to(clone)}, broker: var/broker")

        email = f"check-run-{uuid.uuid4().hex[:12]}@example.org"
        invite = SEND_INVITATION.format(email=email)
        sent = subprocess.run(  # noqa: S603 - the clone's own manage.py
            [".venv/bin/python", "manage.py", "shell", "--no-imports", "-c", invite],
            cwd=clone,
            env=environment,
            capture_output=True,
            text=True,
            timeout=max(clock.left(), 1),
            check=False,
        )
        if sent.returncode:
            raise CheckFailed(f"could not send the invitation:\n{sent.stderr}")
        say(clock, f"invited {email} to {sent.stdout.strip()}: the task is in the broker")
        wait_for(
            clock,
            "the worker to send the invitation email",
            lambda: f"To: {email}" in log.read_text(errors="replace"),
            make,
        )
        say(clock, "the worker ran the task: the invitation email is in its output")
        if f"{site}/invitations/" not in log.read_text(errors="replace"):
            raise CheckFailed(f"the invitation does not link to {site}")
        say(clock, f"the invitation links to {site}")
        queue = clone / "var" / "broker" / "queue"
        wait_for(clock, "the broker queue to empty", lambda: not any(queue.iterdir()), make)
        say(clock, "the broker queue is empty")
    except BaseException:
        print(f"--- end of make run's output ---\n{tail(log)}\n---", flush=True)
        raise
    finally:
        stop_group(make, clock)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--timeout", type=float, default=150, help="seconds for the whole check")
    parser.add_argument("--fresh-venv", action="store_true", help="let make build a new .venv")
    parser.add_argument("--keep", action="store_true", help="keep the clone, to look at it")
    options = parser.parse_args()
    # Stopped from outside (CI's timeout), still stop make run's process group first.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    clock = Clock(options.timeout)
    folder = Path(tempfile.mkdtemp(prefix="harambee-check-run-"))
    try:
        check(folder / "harambee", clock, fresh_venv=options.fresh_venv)
    except (CheckFailed, subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        say(clock, f"FAILED: {error}")
        return 1
    finally:
        if options.keep:
            say(clock, f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    say(clock, "make run on a fresh clone: site up, worker consuming tasks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
