"""`assistflow`: the operator's command line. A county is set up from an empty database with it alone:

    assistflow migrate
    assistflow divisions load 341702
    assistflow county-officer 341702 chen --name 陈民政
    assistflow service-list import 服务清单.xlsx --county 341702

after which the county officer manages users and providers through the API (or `assistflow users|providers`).
Every command is idempotent and answers in Chinese and English; a refusal exits with status 1.

Not here: `audit verify` (the audit hash chain belongs to the security hardening work, which will add it).
"""

from __future__ import annotations

import typer

from admin import catalog, operations, providers, users

app = typer.Typer(name="assistflow", help="assistflow 运维命令 / operator commands", no_args_is_help=True,
                  pretty_exceptions_enable=False)
app.command("migrate")(operations.migrate)
app.command("county-officer")(users.county_officer)
app.command("health")(operations.health)
app.add_typer(users.app, name="users")
app.add_typer(providers.app, name="providers")
app.add_typer(catalog.app, name="service-list")
app.add_typer(operations.divisions, name="divisions")
app.add_typer(operations.calendar, name="calendar")
app.add_typer(operations.settlement, name="settlement")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
