#!/usr/bin/env bash
# Carnet booking benchmark: one command, everything on 127.0.0.1, bounded in time.
#
#   bench/run.sh            the full benchmark (5 to 9 minutes)
#   bench/run.sh --smoke    small sizes, about a minute: that it still runs and its checks still pass (CI)
#
# 1. builds target/carnet.jar if missing; drops and recreates the database carnet_bench;
# 2. starts Carnet on it on a free port (Flyway creates the schema), then generates the directory
#    and 12 weeks of slots in SQL (bench/generate.sql);
# 3-4. runs bench/src/BookingBench.java: registers patients over HTTP, warm-up, concurrent bookings
#    of distinct slots, a rush of many patients on few slots, availability searches;
#    then checks the database for double bookings;
# 5. stops Carnet and runs pgbench with the minimal SQL of one booking (bench/booking.pgbench) at the
#    same client count: the ceiling our booking rate is compared with;
# 6. prints a summary and drops the database (BENCH_KEEP_DB=1 keeps it).
#
# Knobs (environment): see bench/README.md.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

if [[ ${1:-} == --smoke ]]; then
    # Small sizes (each still overridable): the same phases and checks, no figures worth reading.
    : "${BENCH_DB:=carnet_bench_smoke}" "${BENCH_PRACTITIONERS:=500}" "${BENCH_ESTABLISHMENTS:=50}"
    : "${BENCH_WEEKS:=4}" "${BENCH_BOOKINGS:=300}" "${BENCH_WARMUP_BOOKINGS:=50}" "${BENCH_RUSH_SLOTS:=10}"
    : "${BENCH_RUSH_PER_SLOT:=3}" "${BENCH_SEARCH_SECONDS:=5}" "${BENCH_PGBENCH_SECONDS:=5}"
    : "${BENCH_COMPARE_PATIENTS:=30}" "${BENCH_COMPARE_WARMUP:=50}"
    # More slot ids than pgbench can take in 5 s on a quiet machine (about 6,000 a second here): a run
    # that runs out of them aborts.
    : "${BENCH_PGBENCH_SLOTS:=100000}"
    shift
fi
[[ $# -eq 0 ]] || { echo "usage: bench/run.sh [--smoke]" >&2; exit 2; }

export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGOPTIONS='-c client_min_messages=warning'
DB=${BENCH_DB:-carnet_bench}
PRACTITIONERS=${BENCH_PRACTITIONERS:-10000}
ESTABLISHMENTS=${BENCH_ESTABLISHMENTS:-1000}
WEEKS=${BENCH_WEEKS:-12}
CLIENTS=${BENCH_CLIENTS:-32}
BOOKINGS=${BENCH_BOOKINGS:-5000}
BOOKING_SECONDS=${BENCH_BOOKING_SECONDS:-60}
WARMUP_BOOKINGS=${BENCH_WARMUP_BOOKINGS:-500}
RUSH_SLOTS=${BENCH_RUSH_SLOTS:-100}
RUSH_PER_SLOT=${BENCH_RUSH_PER_SLOT:-10}
SEARCH_SECONDS=${BENCH_SEARCH_SECONDS:-30}
PGBENCH_SECONDS=${BENCH_PGBENCH_SECONDS:-30}
PGBENCH_SLOTS=${BENCH_PGBENCH_SLOTS:-400000}
KEEP_DB=${BENCH_KEEP_DB:-0}
# Rounds of the database-role comparison (issue 16): each round runs a bookings-only phase with Carnet
# answering as the owner, then one as the restricted application role (0: none).
COMPARE_ROLES=${BENCH_COMPARE_ROLES:-0}
COMPARE_PATIENTS=${BENCH_COMPARE_PATIENTS:-200}
# A fresh JVM's first bookings pay for its JIT compilation: each comparison phase warms up longer.
COMPARE_WARMUP=${BENCH_COMPARE_WARMUP:-2000}
PATIENTS=$((RUSH_SLOTS * RUSH_PER_SLOT))

[[ $DB =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "BENCH_DB must be a plain lower-case identifier" >&2; exit 2; }
# One run per database at a time: a second one would drop the first one's database under it.
exec 9>"/tmp/carnet-bench-$DB.lock"
flock -n 9 || { echo "another bench/run.sh is using the database $DB (BENCH_DB picks another)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/carnet-bench.XXXXXX)
CARNET_PID=
SECONDS=0

log() { printf '[%4ds] %s (load %s)\n' "$SECONDS" "$*" "$(cut -d' ' -f1-3 /proc/loadavg)"; }
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

stop_carnet() {
    if [[ -n $CARNET_PID ]] && kill -0 "$CARNET_PID" 2>/dev/null; then
        kill -TERM "$CARNET_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do
            kill -0 "$CARNET_PID" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$CARNET_PID" 2>/dev/null || true
        wait "$CARNET_PID" 2>/dev/null || true
    fi
    CARNET_PID=
}

cleanup() {
    local status=$?
    if [[ -n ${SAMPLER_PID:-} ]]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
    stop_carnet
    if [[ $status -ne 0 && -f $WORK/carnet.log ]]; then
        echo "--- last lines of the Carnet log ---" >&2
        tail -n 15 "$WORK/carnet.log" >&2 || true
    fi
    if [[ $KEEP_DB != 1 ]]; then
        psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    local port
    for port in $(seq 18080 18180); do
        if ! ss -Hltn "sport = :$port" | grep -q .; then
            echo "$port"
            return
        fi
    done
    echo "no free port in 18080-18180" >&2
    return 1
}

# 1. jar and database ---------------------------------------------------------------------------
if [[ ! -f target/carnet.jar ]]; then
    log "building target/carnet.jar"
    ./mvnw -B -q -o -DskipTests package
fi
log "recreating database $DB"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
# Carnet runs as a deployment does (docs/operations.md): migrations as the owner, requests as a role
# that may only read and append the audit tables (granted by Carnet after migrating).
APP_ROLE=${BENCH_APP_ROLE:-carnet_bench_app}
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$APP_ROLE') THEN CREATE ROLE $APP_ROLE LOGIN; END IF; END \$\$"

# A copy: a build that rewrites target/carnet.jar while the benchmark runs would pull the classes from
# under the running Carnet (it then hangs and every request times out).
cp target/carnet.jar "$WORK/carnet.jar"
mkdir -p "$WORK/data"

# Starts Carnet answering as the given database role (migrations always as the owner) and waits until
# it is healthy.
start_carnet() {
    local role=$1
    # A free port at each start: one kept from an earlier start may have been taken meanwhile.
    PORT=$(free_port)
    BASE=http://127.0.0.1:$PORT
    log "starting Carnet on $BASE as $role"
    SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
    SPRING_FLYWAY_USER=postgres \
    SPRING_FLYWAY_PASSWORD= \
    SPRING_DATASOURCE_USERNAME="$role" \
    SPRING_DATASOURCE_PASSWORD= \
    CARNET_AUDIT_WITNESS_DIRECTORY="$WORK/audit-witness" \
    CARNET_DEMO_ENABLED=false \
    CARNET_DATA_DIR="$WORK/data" \
    CARNET_BOOKING_HORIZON_WEEKS="$WEEKS" \
    CARNET_API_TOKEN_LIFETIME=PT1H \
    CARNET_SECURITY_SIGN_INS_PER_MINUTE=100000 \
    SERVER_ADDRESS=127.0.0.1 \
    SERVER_PORT="$PORT" \
        java ${BENCH_CARNET_JAVA_OPTS:-} -jar "$WORK/carnet.jar" >>"$WORK/carnet.log" 2>&1 &
    CARNET_PID=$!
    local i
    for i in $(seq 1 240); do
        # Healthy, and the port is this process's (not another program's that took it meanwhile).
        if curl -fsS "$BASE/actuator/health" 2>/dev/null | grep -q '"UP"' \
            && ss -Hltnp "sport = :$PORT" 2>/dev/null | grep -q "pid=$CARNET_PID,"; then
            break
        fi
        kill -0 "$CARNET_PID" 2>/dev/null || { echo "Carnet exited during start-up" >&2; exit 1; }
        [[ $i -lt 240 ]] || { echo "Carnet not healthy after 120 s" >&2; exit 1; }
        sleep 0.5
    done
    log "Carnet is up (pid $CARNET_PID)"
}
start_carnet "$APP_ROLE"

# 2. the directory and the slots ------------------------------------------------------------------
log "generating $ESTABLISHMENTS establishments, $PRACTITIONERS practitioners, $WEEKS weeks of slots"
GEN_START=$SECONDS
KEEP_INDEXES=()
[[ ${BENCH_KEEP_SLOT_INDEXES:-0} == 1 ]] && KEEP_INDEXES=(-v keep_slot_indexes=1)
psql_db -v practitioners="$PRACTITIONERS" -v establishments="$ESTABLISHMENTS" -v weeks="$WEEKS" \
    "${KEEP_INDEXES[@]}" -f bench/generate.sql >"$WORK/generate.log"
GEN_SECONDS=$((SECONDS - GEN_START))
grep -E '^Time:' "$WORK/generate.log" | awk '{ s += $2 } END { printf "  SQL statement time: %.1f s\n", s / 1000 }'
tail -n 4 "$WORK/generate.log" | sed 's/^/  /'
log "generation took ${GEN_SECONDS} s"

# Disjoint random lists of free future slots (with a motive of their practitioner) for the driver.
# With the role comparison, 2 x COMPARE_ROLES more pairs of lists (warm-up, bookings) follow the rush's.
PER_PHASE=$((WARMUP_BOOKINGS + BOOKINGS))
MAIN=$((PER_PHASE + RUSH_SLOTS))
COMPARE_PHASE=$((COMPARE_WARMUP + BOOKINGS))
COMPARE_COPIES=""
for ((phase = 0; phase < 2 * COMPARE_ROLES; phase++)); do
    from=$((MAIN + phase * COMPARE_PHASE))
    COMPARE_COPIES+="\\copy (SELECT slot_id, motive_id FROM pick WHERE n > $from AND n <= $((from + COMPARE_WARMUP))) TO '$WORK/compare-$phase-warmup.csv' CSV"$'\n'
    COMPARE_COPIES+="\\copy (SELECT slot_id, motive_id FROM pick WHERE n > $((from + COMPARE_WARMUP)) AND n <= $((from + COMPARE_PHASE))) TO '$WORK/compare-$phase-bookings.csv' CSV"$'\n'
done
psql_db -v n_all="$((MAIN + 2 * COMPARE_ROLES * COMPARE_PHASE))" <<SQL
SET work_mem = '256MB';
CREATE TEMP TABLE pick AS
SELECT row_number() OVER () AS n, s.id AS slot_id, m.id AS motive_id
FROM (SELECT id, practitioner_id FROM slots
      WHERE status = 'FREE' AND start_at > now() + interval '1 day'
      ORDER BY random() LIMIT :n_all) AS s
JOIN visit_motives m ON m.practitioner_id = s.practitioner_id AND NOT m.teleconsultation;
\copy (SELECT slot_id, motive_id FROM pick WHERE n <= $WARMUP_BOOKINGS) TO '$WORK/warmup-slots.csv' CSV
\copy (SELECT slot_id, motive_id FROM pick WHERE n > $WARMUP_BOOKINGS AND n <= $PER_PHASE) TO '$WORK/booking-slots.csv' CSV
\copy (SELECT slot_id, motive_id FROM pick WHERE n > $PER_PHASE AND n <= $MAIN) TO '$WORK/rush-slots.csv' CSV
$COMPARE_COPIES\copy (SELECT DISTINCT city FROM establishments ORDER BY city) TO '$WORK/cities.txt'
SQL
log "picked $(wc -l <"$WORK/booking-slots.csv") booking slots, $(wc -l <"$WORK/rush-slots.csv") rush slots"

# 3-4. HTTP load ------------------------------------------------------------------------------------
# Breach detection follows the access log while the load runs: twice a second, the newest committed
# entry and the detector's position. The delay of each sample's newest entry is the time until the
# detector's position reached it (issue 17: under 5 seconds at the booking rate).
sample_detection() {
    while :; do
        psql_db -At -F' ' -c "SELECT extract(epoch FROM clock_timestamp()), (SELECT coalesce(max(id), 0) FROM audit_log),
            (SELECT coalesce(max(log_position), 0) FROM breach_detector)" 2>/dev/null || true
        sleep 0.5
    done
}
sample_detection >"$WORK/detection.samples" &
SAMPLER_PID=$!
log "HTTP driver: $PATIENTS patients, $CLIENTS clients"
java -Xss512k bench/src/BookingBench.java \
    base="$BASE" work="$WORK" carnetPid="$CARNET_PID" db="$DB" patients="$PATIENTS" clients="$CLIENTS" \
    bookingSeconds="$BOOKING_SECONDS" searchSeconds="$SEARCH_SECONDS" rushPerSlot="$RUSH_PER_SLOT" \
    | sed 's/^/  /'
log "HTTP driver done"
sleep 5  # the detector's last rounds, so that the last samples' entries are reached
kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
# The delays (s) of the samples taken while entries were coming, sorted; then p50, p99, max and count.
awk '{ t[NR] = $1; newest[NR] = $2; pos[NR] = $3 }
    END { for (i = 2; i <= NR; i++) {
              if (newest[i] == newest[i - 1]) continue
              for (k = i; k <= NR && pos[k] < newest[i]; k++) {}
              if (k > NR) print "never"; else printf "%.3f\n", t[k] - t[i] } }' \
    "$WORK/detection.samples" | sort -n >"$WORK/detection.delays"
DETECTION=$(awk '/never/ { late++; next } { d[++n] = $1 }
    END { if (n == 0) { print "no samples"; exit }
          printf "detector behind the log by p50 %.1f s, p99 %.1f s, max %.1f s over %d samples%s\n",
              d[int(n * 0.5 + 0.999)], d[int(n * 0.99 + 0.999)], d[n], n, (late ? ", " late " never reached" : "") }' \
    "$WORK/detection.delays")

# Correctness, from the database: never two booked appointments on one slot, slots and
# appointments agree, and each rush slot went to exactly one patient.
psql_db -At -F= <<SQL >"$WORK/checks.properties"
CREATE TEMP TABLE rush (slot_id uuid, motive_id uuid);
\\copy rush FROM '$WORK/rush-slots.csv' CSV
SELECT 'db.doubleBookedSlots', count(*) FROM (
    SELECT slot_id FROM appointments WHERE status = 'BOOKED' GROUP BY slot_id HAVING count(*) > 1) d;
SELECT 'db.bookedAppointments', count(*) FROM appointments WHERE status = 'BOOKED';
SELECT 'db.bookedSlots', count(*) FROM slots WHERE status = 'BOOKED';
SELECT 'db.appointmentsNotHoldingTheirSlot', count(*) FROM appointments a
    LEFT JOIN slots s ON s.establishment_id = a.establishment_id AND s.id = a.slot_id
    WHERE a.status = 'BOOKED' AND (s.id IS NULL OR s.status <> 'BOOKED' OR s.appointment_id <> a.id);
SELECT 'db.rushAppointments', count(*) FROM appointments a JOIN rush r ON r.slot_id = a.slot_id;
SELECT 'db.rushSlotsBooked', count(DISTINCT a.slot_id) FROM appointments a JOIN rush r ON r.slot_id = a.slot_id
    WHERE a.status = 'BOOKED';
SELECT 'db.patientFiles', count(*) FROM patient_files;
SELECT 'db.auditRows', count(*) FROM audit_log;
SQL
sed 's/^/  /' "$WORK/checks.properties"

# 4b. the database-role comparison (BENCH_COMPARE_ROLES rounds): what answering as the restricted role
# (no UPDATE or DELETE on the audit tables) costs against the owner, in the same run, owner first in
# each round. Each phase: a fresh start, new patients, a warm-up, then the bookings.
COMPARE_LINE=""
if [[ $COMPARE_ROLES -gt 0 ]]; then
    phase=0
    for ((round = 1; round <= COMPARE_ROLES; round++)); do
        for role in postgres "$APP_ROLE"; do
            stop_carnet
            start_carnet "$role"
            log "role comparison, round $round: bookings as $role"
            java -Xss512k bench/src/BookingBench.java \
                base="$BASE" work="$WORK" carnetPid="$CARNET_PID" db="$DB" patients="$COMPARE_PATIENTS" \
                clients="$CLIENTS" bookingSeconds="$BOOKING_SECONDS" mode=bookings \
                warmupSlots="compare-$phase-warmup.csv" bookingSlots="compare-$phase-bookings.csv" \
                results="compare-$phase.properties" | sed 's/^/  /'
            kind=$([[ $role == postgres ]] && echo owner || echo restricted)
            sed -n "s/^booking\.\(perSecond\|carnetCpuMs\|postgresCpuMs\|failed\)=/$kind \1 /p" \
                "$WORK/compare-$phase.properties" >>"$WORK/compare.values"
            phase=$((phase + 1))
        done
    done
    # Medians per role, then the restricted role's cost against the owner's (CPU per booking, Carnet +
    # PostgreSQL, and bookings per second).
    COMPARE_LINE=$(awk '
        function median(kind, key,   n, i, j, t, v) {
            n = 0
            for (i = 1; i <= count; i++) if (k[i] == kind && f[i] == key) v[++n] = x[i]
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
            return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }
        { k[++count] = $1; f[count] = $2; x[count] = $3; if ($2 == "failed") failed += $3 }
        END {
            oc = median("owner", "carnetCpuMs") + median("owner", "postgresCpuMs")
            rc = median("restricted", "carnetCpuMs") + median("restricted", "postgresCpuMs")
            orate = median("owner", "perSecond"); rrate = median("restricted", "perSecond")
            printf "owner %.1f/s, %.2f ms CPU a booking; restricted %.1f/s, %.2f ms; restricted costs %+.1f%% CPU a booking, %+.1f%% bookings/s (medians of %d rounds, %d failed)\n",
                orate, oc, rrate, rc, 100 * (rc / oc - 1), 100 * (rrate / orate - 1), count / 8, failed
        }' "$WORK/compare.values")
    log "role comparison: $COMPARE_LINE"
fi

# 5. the ceiling: pgbench, Carnet stopped so that both measurements have the machine alone -------
log "stopping Carnet"
stop_carnet
log "pgbench: $CLIENTS clients, $PGBENCH_SECONDS s, minimal booking SQL"
psql_db -v n="$PGBENCH_SLOTS" <<'SQL'
SET work_mem = '256MB';
DROP TABLE IF EXISTS bench_pgbench_slots;
DROP SEQUENCE IF EXISTS bench_pgbench_seq;
CREATE TABLE bench_pgbench_slots AS
SELECT row_number() OVER () AS n, establishment_id, id, practitioner_id
FROM (SELECT establishment_id, id, practitioner_id FROM slots
      WHERE status = 'FREE' AND start_at > now() + interval '1 day'
      ORDER BY random() LIMIT :n) AS s;
ALTER TABLE bench_pgbench_slots ADD PRIMARY KEY (n);
CREATE SEQUENCE bench_pgbench_seq;
VACUUM (ANALYZE) bench_pgbench_slots, slots, appointments;
CHECKPOINT;
SQL
(cd "$WORK" && pgbench -n -M prepared -c "$CLIENTS" -j 2 -T "$PGBENCH_SECONDS" -l --log-prefix=pgbench \
    -f "$ROOT/bench/booking.pgbench" "$DB") >"$WORK/pgbench.out" 2>&1 || {
    cat "$WORK/pgbench.out" >&2
    exit 1
}
sed 's/^/  /' "$WORK/pgbench.out" | grep -E 'clients|transactions|latency|tps|failed' || true
PGBENCH_TPS=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$WORK/pgbench.out" \
    | awk '{ printf "%.1f", $1 }')
read -r PGBENCH_P50 PGBENCH_P99 < <(cat "$WORK"/pgbench.* 2>/dev/null | awk '{ print $3 }' | sort -n \
    | awk '{ v[NR] = $1 } END { i50 = int(NR * 0.50 + 0.999); i99 = int(NR * 0.99 + 0.999);
                                printf "%.2f %.2f\n", v[i50] / 1000, v[i99] / 1000 }')
# Put the pgbench bookings back so that a kept database is only what the HTTP run left.
psql_db <<'SQL'
WITH used AS (
    SELECT s.establishment_id, s.id, s.appointment_id
    FROM bench_pgbench_slots b JOIN slots s ON s.establishment_id = b.establishment_id AND s.id = b.id
    WHERE s.status = 'BOOKED'),
gone AS (
    DELETE FROM appointments a USING used u WHERE a.establishment_id = u.establishment_id AND a.id = u.appointment_id)
UPDATE slots s SET status = 'FREE', appointment_id = NULL
FROM used u WHERE s.establishment_id = u.establishment_id AND s.id = u.id;
DROP TABLE bench_pgbench_slots;
DROP SEQUENCE bench_pgbench_seq;
SQL

# 6. summary ---------------------------------------------------------------------------------------
prop() { sed -n "s/^$1=//p" "$WORK/results.properties" "$WORK/checks.properties" | head -n 1; }
BOOK_RATE=$(prop booking.perSecond)
RATIO=$(awk -v a="$BOOK_RATE" -v b="$PGBENCH_TPS" 'BEGIN { if (b > 0) printf "%.1f%%", 100 * a / b; else print "n/a" }')
RUSH_OK=no
if [[ $(prop rush.winners) == "$RUSH_SLOTS" && $(prop rush.slotsWithOneWinner) == "$RUSH_SLOTS" \
    && $(prop rush.failed) == 0 && $(prop db.rushAppointments) == "$RUSH_SLOTS" ]]; then
    RUSH_OK=yes
fi
cat <<EOF

================ Carnet benchmark summary ================
date            $(date -u +%Y-%m-%dT%H:%M:%SZ)
machine         $(nproc) cores, $(free -h | awk '/^Mem:/ { print $2 }') RAM, $(java -version 2>&1 | head -n 1), $(psql -X -Atc 'SHOW server_version' -d postgres | cut -d' ' -f1)
data            $PRACTITIONERS practitioners, $ESTABLISHMENTS establishments, $(psql_db -Atc 'SELECT count(*) FROM slots') slots; generated in ${GEN_SECONDS} s
registration    $(prop registration.patients) patients in $(prop registration.seconds) s ($(prop registration.failures) failures)
bookings        $BOOK_RATE/s with $CLIENTS clients ($(prop booking.ok) booked in $(prop booking.seconds) s); p50 $(prop booking.p50Ms) ms, p99 $(prop booking.p99Ms) ms; failed $(prop booking.failed), 409 $(prop booking.conflicts)
                $(prop booking.cpu)
rush            $(prop rush.clients) clients on $(prop rush.slots) slots: $(prop rush.winners) winners, $(prop rush.conflicts) x 409, $(prop rush.failed) failed; p50 $(prop rush.p50Ms) ms, p99 $(prop rush.p99Ms) ms; exactly one winner per slot: $RUSH_OK
searches        $(prop search.perSecond)/s with $CLIENTS clients; p50 $(prop search.p50Ms) ms, p99 $(prop search.p99Ms) ms; failed $(prop search.failed); empty pages $(prop search.emptyPages)
                $(prop search.cpu)
detection       $DETECTION
roles           ${COMPARE_LINE:-not compared (BENCH_COMPARE_ROLES=0)}
double bookings $(prop db.doubleBookedSlots) slots with more than one booked appointment; $(prop db.appointmentsNotHoldingTheirSlot) appointments not holding their slot
pgbench ceiling $PGBENCH_TPS tps with $CLIENTS clients (p50 $PGBENCH_P50 ms, p99 $PGBENCH_P99 ms)
ratio           Carnet bookings/s = $RATIO of pgbench's minimal booking transactions/s
load average    $(cut -d' ' -f1-3 /proc/loadavg) at the end (other work on the machine shows here)
total time      ${SECONDS} s
==========================================================
EOF

# A run that booked nothing, lost requests or broke exactly-once booking is not a measurement: say so
# and fail, so that a benchmark that stopped working is seen.
BROKEN=()
[[ $(prop booking.ok) -gt 0 ]] || BROKEN+=("no booking succeeded")
[[ $(prop booking.failed) == 0 ]] || BROKEN+=("$(prop booking.failed) booking requests failed")
[[ $(prop search.failed) == 0 ]] || BROKEN+=("$(prop search.failed) searches failed")
[[ $RUSH_OK == yes ]] || BROKEN+=("the rush did not give each slot exactly one winner")
if [[ -f $WORK/compare.values ]]; then
    COMPARE_FAILED=$(awk '$2 == "failed" { n += $3 } END { print n + 0 }' "$WORK/compare.values")
    [[ $COMPARE_FAILED == 0 ]] || BROKEN+=("$COMPARE_FAILED booking requests of the role comparison failed")
fi
[[ $(prop db.doubleBookedSlots) == 0 && $(prop db.appointmentsNotHoldingTheirSlot) == 0 ]] \
    || BROKEN+=("the database holds double bookings")
if [[ ${#BROKEN[@]} -gt 0 ]]; then
    printf 'BENCHMARK FAILED: %s\n' "${BROKEN[@]}" >&2
    exit 1
fi
