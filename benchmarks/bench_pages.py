"""Print query counts and response times of the public pages at growing data sizes.

    .venv/bin/python benchmarks/bench_pages.py [--sizes 100,1000,5000]

Runs against a throwaway SQLite database (or DATABASE_URL when set to a
scratch PostgreSQL database) with partnerships built by `seed_demo --scale`.
The figures are printed, never asserted: they are for comparing changes.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="harambee-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harambee.settings")
    os.environ["HARAMBEE_VAR_DIR"] = scratch

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from partnerships.models import Partnership

    call_command("migrate", verbosity=0)
    client = Client()
    built = 0
    print(f"{'partnerships':>12} {'page':<28} {'queries':>7} {'median ms':>9} {'bytes':>7}")
    for size in (int(s) for s in args.sizes.split(",")):
        call_command("seed_demo", "--scale", str(size - built), stdout=open(os.devnull, "w"))  # noqa: SIM115
        built = size
        public = Partnership.objects.public().order_by("pk").first()
        pages = {
            "home": "/",
            "partnership list": "/partnerships/",
            "partnership list, filtered": "/partnerships/?q=Benchmark&status=2",
            "partnership list, page 10": "/partnerships/?page=10",
            "partnership page": public.get_absolute_url(),
            "organisation list": "/organisations/",
        }
        for name, url in pages.items():
            timings = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
            timings.sort()
            median = timings[len(timings) // 2]
            weight = len(response.content)
            print(f"{size:>12} {name:<28} {len(queries):>7} {median:>9.1f} {weight:>7}")


if __name__ == "__main__":
    main()
