"""A bigger fuzzing run than CI's, against a stack of its own (an embedded PostgreSQL unless DATABASE_URL is set,
and a Temporal dev server):

    python -m tests.fuzz --examples 25 --steps 200
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from devstack import binaries as devtools
from infra.temporal import data_converter
from models.settings import Settings
from tests.fuzz.run import fuzz
from tests.fuzz.stack import live_service
from workflows.visibility import SEARCH_ATTRIBUTES


async def _temporal() -> WorkflowEnvironment:
    return await WorkflowEnvironment.start_local(
        dev_server_existing_path=devtools.temporal_cli(), search_attributes=SEARCH_ATTRIBUTES,
        data_converter=data_converter(Settings().payload_key), dev_server_log_level="error")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=25, help="examples per operation and role")
    parser.add_argument("--steps", type=int, default=200, help="stateful steps along the links")
    args = parser.parse_args()
    settings = Settings()
    server = devtools.database_url_from_env("postgres") or devtools.embedded_postgres(
        Path(tempfile.mkdtemp(prefix="assistflow-fuzz-pg-")))
    loop = asyncio.new_event_loop()
    env = loop.run_until_complete(_temporal())
    try:
        with live_service(server, env.client.service_client.config.target_host, settings) as live:
            report = fuzz(live.base_url, live.tokens, args.examples, args.steps)
    finally:
        loop.run_until_complete(env.shutdown())
    print(f"{report.operations} operations, {report.requests} requests ({report.stateful_steps} stateful), "
          f"statuses {dict(sorted(report.statuses.items()))}")
    for where, finding in sorted(report.findings.items()):
        print(f"\n{where}: {finding}")
    sys.exit(1 if report.findings else 0)


if __name__ == "__main__":
    main()
