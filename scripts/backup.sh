#!/usr/bin/env bash
# Back up Finsam: the PostgreSQL database (pg_dump, custom format) and the stored files.
# Usage: DATABASE_URL=postgres://... MEDIA_ROOT=/data/media scripts/backup.sh DIR
set -euo pipefail
out="${1:?ange en katalog för säkerhetskopian}"
: "${DATABASE_URL:?DATABASE_URL måste vara satt}"
: "${MEDIA_ROOT:?MEDIA_ROOT måste vara satt}"
mkdir -p "$out"
stamp="$(date +%Y-%m-%dT%H%M%S)"
pg_dump --format=custom --no-owner --file="$out/finsam-$stamp.dump" "$DATABASE_URL"
tar -czf "$out/finsam-files-$stamp.tar.gz" -C "$MEDIA_ROOT" .
echo "$out/finsam-$stamp.dump"
echo "$out/finsam-files-$stamp.tar.gz"
