"""A bigger fault run than CI's: python -m tests.faults --cases 50 --faults 12 --concurrency 6"""

from __future__ import annotations

import argparse
import asyncio
import sys

from models.settings import Settings
from tests.faults.run import Plan, run, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--faults", type=int, default=12)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--patience", type=float, default=300.0)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    tally = asyncio.run(run(Plan(args.cases, args.faults, args.concurrency, args.patience, args.seed), Settings()))
    print(summary(tally))
    for finding in tally.findings:
        print("FINDING:", finding)
    sys.exit(1 if tally.findings else 0)


if __name__ == "__main__":
    main()
