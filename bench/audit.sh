#!/usr/bin/env bash
# Carnet's audit benchmark: appends per second through AuditLog.record (sealer included) with 1 and
# with 100 establishments, 1 and 50 entries per transaction, beside plain JDBC inserts of the same
# rows; bulk sealing; verification speed beside a plain read of the same rows. On PostgreSQL.
#
#   bench/audit.sh            # about 4 minutes; knobs: BENCH_AUDIT_DB, _THREADS, _SECONDS, _RUNS, _VERIFY_ENTRIES,
#                             # _KEEP_DB, _REUSE_DB, _ARGS (see bench/README.md)
#
# It builds target/carnet.jar if missing, recreates the database, compiles bench/src/AuditBench.java
# against the jar's classes, runs it (Flyway creates the schema), prints a summary and drops the database.
set -euo pipefail

cd "$(dirname "$0")/.."
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGOPTIONS='-c client_min_messages=warning'
DB=${BENCH_AUDIT_DB:-carnet_audit_bench}
THREADS=${BENCH_AUDIT_THREADS:-16}
SECONDS_PER_RUN=${BENCH_AUDIT_SECONDS:-5}
RUNS=${BENCH_AUDIT_RUNS:-3}
VERIFY_ENTRIES=${BENCH_AUDIT_VERIFY_ENTRIES:-1000000}
[[ $DB =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "BENCH_AUDIT_DB must be a plain lower-case identifier" >&2; exit 2; }

WORK=$(mktemp -d /tmp/carnet-audit-bench.XXXXXX)
cleanup() {
    local status=$?
    [[ ${BENCH_AUDIT_KEEP_DB:-0} == 1 ]] || psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
    rm -rf "$WORK"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ ! -f target/carnet.jar ]]; then
    ./mvnw -B -q -o -DskipTests package
fi
if [[ ${BENCH_AUDIT_REUSE_DB:-0} != 1 ]] || ! psql -X -q -d "$DB" -c 'SELECT 1' >/dev/null 2>&1; then
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
fi

mkdir -p "$WORK/jar" "$WORK/classes" "$WORK/data"
(cd "$WORK/jar" && jar xf "$OLDPWD/target/carnet.jar")
CP="$WORK/jar/BOOT-INF/classes:$WORK/jar/BOOT-INF/lib/*"
javac -nowarn -cp "$CP" -d "$WORK/classes" bench/src/AuditBench.java

echo "date     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine  $(nproc) cores, $(free -h | awk '/^Mem:/ { print $2 }') RAM, $(java -version 2>&1 | head -n 1), PostgreSQL $(psql -X -Atc 'SHOW server_version' -d postgres | cut -d' ' -f1)"
echo "load     $(cut -d' ' -f1-3 /proc/loadavg) at the start"
SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
SPRING_DATASOURCE_USERNAME=postgres \
SPRING_DATASOURCE_PASSWORD= \
CARNET_DATA_DIR="$WORK/data" \
    java -cp "$WORK/classes:$CP" AuditBench threads="$THREADS" seconds="$SECONDS_PER_RUN" runs="$RUNS" \
    verifyEntries="$VERIFY_ENTRIES" ${BENCH_AUDIT_ARGS:-}
echo "load     $(cut -d' ' -f1-3 /proc/loadavg) at the end"
