#!/bin/sh
# Temporal's schema on PostgreSQL, as in temporalio/samples-server (compose/scripts/setup-postgres.sh), made safe
# to run on every `docker compose up`: a database is created and its base schema set up only when it is new;
# update-schema then brings it to the server's version (a no-op when it already is).
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
PORT=${DB_PORT:-5432}
TOOL="temporal-sql-tool --plugin postgres12 --ep ${POSTGRES_SEEDS} -u ${POSTGRES_USER} -p ${PORT}"
SCHEMA=/etc/temporal/schema/postgresql/v12
nc -z -w 10 "${POSTGRES_SEEDS}" "${PORT}"
for pair in temporal:temporal temporal_visibility:visibility; do
    db=${pair%%:*}
    dir=${pair##*:}
    if $TOOL --db "$db" create; then
        $TOOL --db "$db" setup-schema -v 0.0
    else
        echo "database $db exists"
    fi
    $TOOL --db "$db" update-schema -d "$SCHEMA/$dir/versioned"
done
echo "Temporal schema is up to date"
