#!/usr/bin/env bash
# Restore a Finsam backup into an EMPTY database and file folder.
# Usage: DATABASE_URL=postgres://.../new_db MEDIA_ROOT=/data/media scripts/restore.sh DUMP FILES.tar.gz
set -euo pipefail
dump="${1:?ange databasdumpen (.dump)}"
files="${2:?ange filarkivet (.tar.gz)}"
: "${DATABASE_URL:?DATABASE_URL måste vara satt}"
: "${MEDIA_ROOT:?MEDIA_ROOT måste vara satt}"
pg_restore --no-owner --exit-on-error --dbname="$DATABASE_URL" "$dump"
mkdir -p "$MEDIA_ROOT"
tar -xzf "$files" -C "$MEDIA_ROOT"
