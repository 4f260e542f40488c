"""The real worker process for a bench: `worker.main()` as it is, optionally with a larger workflow cache.

    python -m bench.case_worker [--max-cached N]      # TEMPORAL_ADDRESS, DATABASE_URL, TASK_QUEUE as for worker.py

The Temporal SDK caches 1,000 workflows per worker by default; bench.compare's memory phase keeps 10,000 open
cases cached, which only a larger cache can hold. Nothing else differs from `python -m worker`.
"""

from __future__ import annotations

import argparse
import functools

import worker


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.case_worker", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--max-cached", type=int, default=None, help="max_cached_workflows (SDK default 1000)")
    args = parser.parse_args()
    if args.max_cached is not None:
        worker.build_worker = functools.partial(worker.build_worker, max_cached_workflows=args.max_cached)
    worker.main()


if __name__ == "__main__":
    main()
