#!/usr/bin/env bash
# Nightly backup (deploy/systemd/mieplan-backup.timer): a pg_dump of the database, checked, optionally
# encrypted and copied off the machine, old dumps pruned, and a copy of the media bucket brought up to date.
# Reads the same environment as the app (deploy/mieplan.env.example, "Backups").
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL must be set}"
here="$(cd "$(dirname "$0")" && pwd)"
python="${MIEPLAN_PYTHON:-$here/../.venv/bin/python}"
dir="${BACKUP_DIR:-/var/lib/mieplan-backup}"
keep_days="${BACKUP_RETENTION_DAYS:-30}"

umask 077  # the dumps hold residents' comments
mkdir -p "$dir"
stamp="$(date +%Y%m%dT%H%M%S)"
dump="$dir/mieplan-$stamp.dump"

# Custom format: compressed, restorable table by table, and restorable in parallel (pg_restore -j).
# --no-owner/--no-privileges: a restore drill or a new server may use other role names.
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$dump.partial"
# An archive pg_restore cannot read is not a backup: fail now, not on the day it is needed.
pg_restore --list "$dump.partial" >/dev/null
mv "$dump.partial" "$dump"

if [ -n "${BACKUP_GPG_RECIPIENT:-}" ]; then
    export GNUPGHOME="${GNUPGHOME:-$dir/gnupg}"
    gpg --batch --yes --trust-model always --recipient "$BACKUP_GPG_RECIPIENT" --output "$dump.gpg" --encrypt "$dump"
    rm -f "$dump"
    dump="$dump.gpg"
fi
echo "backup: database dump $dump ($(stat -c %s "$dump") bytes)"

if [ -n "${BACKUP_S3_URI:-}" ]; then
    "$python" "$here/s3_backup.py" upload "$dump" "$BACKUP_S3_URI"
fi

find "$dir" -maxdepth 1 -name 'mieplan-*.dump*' -mtime +"$keep_days" -print -delete

if [ -n "${BACKUP_MEDIA_S3_URI:-}" ]; then
    : "${AWS_STORAGE_BUCKET_NAME:?AWS_STORAGE_BUCKET_NAME must be set to copy the media}"
    "$python" "$here/s3_backup.py" mirror "s3://$AWS_STORAGE_BUCKET_NAME" "$BACKUP_MEDIA_S3_URI"
fi
