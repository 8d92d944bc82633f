"""Benchmark of `slalint evaluate`: one year of minute-level outages for 100
services (about 50 MB of events CSV), evaluated as one process.

    python bench/evaluate.py              # 100 services, a year: the target is under 10 s
    python bench/evaluate.py --services 10

Prints the size of the events file, the wall and CPU time (on a machine
shared with other work the CPU time says more) and the peak memory.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import subprocess
import sys
import tempfile
import time

AGREEMENT = """
sla shop_{n} "Shop {n}" {{
  provider: it_org
  customer: acme
  version: "1"
  effective: 2026-01-01
  expires: 2027-12-31
  service web {{
    hours: 24x7
    timezone: "Europe/Berlin"
    holidays: ["DE-BY"]
    maintenance {{ window: sun 02:00-06:00 }}
    objective availability {{ target: >= 99.9%  window: 1mo }}
  }}
  credits {{
    cap: 50%
    credit {{ when: web.availability < 99.9%; amount: 10% }}
    credit {{ when: web.availability < 99.5%; amount: 2% per started 1h }}
  }}
}}
"""
PARTIES = """
party it_org "IT" { role: provider }
party acme "Acme" { role: customer }
"""


def write_workspace(directory: str, services: int) -> None:
    with open(os.path.join(directory, "shops.sla"), "w", encoding="utf-8") as out:
        out.write(PARTIES)
        for n in range(services):
            out.write(AGREEMENT.format(n=n))


def write_events(path: str, services: int, per_service: int, seed: int = 1) -> int:
    """Outages of one to five minutes, spread over 2026, in order of start; the file's size."""
    rng = random.Random(seed)
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    minutes = 365 * 24 * 60
    rows = []
    for n in range(services):
        for minute in sorted(rng.sample(range(minutes - 10), per_service)):
            rows.append((minute, n, rng.randint(1, 5)))
    rows.sort()
    with open(path, "w", encoding="utf-8") as out:
        out.write("kind,agreement,service,start,end,priority,responded,resolved\n")
        for minute, n, length in rows:
            begin = start + datetime.timedelta(minutes=minute)
            end = begin + datetime.timedelta(minutes=length)
            out.write(f"outage,shop_{n},web,{begin.isoformat()},{end.isoformat()},,,\n")
    return os.path.getsize(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100)
    parser.add_argument("--per-service", type=int, default=6800, help="outages per service in the year")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        write_workspace(directory, args.services)
        events = os.path.join(directory, "events.csv")
        size = write_events(events, args.services, args.per_service)
        command = [sys.executable, "-m", "sla_lang", "evaluate", "--events", events, "--format", "json", directory]
        env = {**os.environ, "SLALINT_CACHE_DIR": os.path.join(directory, "cache")}
        begin = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - begin
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise SystemExit(f"slalint evaluate exited {code}: {process.stderr.read().decode()[-2000:]}")
    peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    print(
        f"{args.services} services, {size / 1e6:.1f} MB of events: {elapsed:.2f} s wall, {cpu:.2f} s CPU, "
        f"peak {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
