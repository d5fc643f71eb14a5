#!/bin/sh
# The engine's own PostgreSQL role, made by the postgres image's entrypoint once, when it creates an
# empty data directory (docker-entrypoint-initdb.d). The API and the worker log in as it: they read
# and write the rows of the tables the owner's migrations create, and nothing else (no DDL, no
# TRUNCATE, no roles, no other database), so a hole in either cannot drop the schema or take the server.
#
# Reads POSTGRES_USER (the owner, who runs the migrations), POSTGRES_DB, POSTGRES_APP_USER and
# POSTGRES_APP_PASSWORD. A volume made before this script existed never runs it: run it once by hand
# (docs/operations.md, "Running with docker compose"). Running it again changes nothing.
set -eu

psql -X -q -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner="$POSTGRES_USER" -v db="$POSTGRES_DB" -v app="$POSTGRES_APP_USER" -v app_password="$POSTGRES_APP_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'app', :'app_password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec

-- Only named roles connect, and nobody but the owner creates objects.
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"app";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";

-- The rows of every table the owner creates from now on (the migrations), and of those already there.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
SQL
