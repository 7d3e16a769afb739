#!/bin/bash
# Primary only, once, when its data directory is created (/docker-entrypoint-initdb.d): the role the read
# replica streams WAL with. Its password comes from POSTGRES_REPLICATION_PASSWORD.
set -euo pipefail
psql -v ON_ERROR_STOP=1 -v password="$POSTGRES_REPLICATION_PASSWORD" \
    --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
