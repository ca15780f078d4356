-- Carnet benchmark: a large synthetic directory and agenda, generated directly in SQL after Flyway
-- has created the schema. Run by bench/run.sh with psql:
--
--   psql -v ON_ERROR_STOP=1 -v practitioners=10000 -v establishments=1000 -v weeks=12 -f bench/generate.sql
--
-- Everything is synthetic: "Centre médical 17", "Praticien 4242". No personal data.
--
-- Shape (all derived from the practitioner's number p, 1-based):
--   * 50 cities; establishment e is in city ((e - 1) % 50) + 1, 10 practitioners per establishment
--     when practitioners = 10 x establishments;
--   * practitioner p works at establishment ((p - 1) % establishments) + 1 with specialty
--     ((p - 1) / 50 + (p - 1) / 1000) % 20, which gives every (city, specialty) pair the same number of
--     practitioners (10 at the default size) and every establishment several specialties;
--   * each practitioner has two motives (a 20-minute visit and a 20-minute teleconsultation), an
--     agenda (20-minute slots), weekday opening hours 09:00-12:00 and 14:00-18:00 Europe/Paris, and
--     FREE slots for every weekday from today to today + :weeks weeks (exclusive), 21 a day.
--
-- FINESS and RPPS numbers carry a valid Luhn check digit, because the directory re-validates them
-- when it reads a row (new Finess(...), new Rpps(...)).
--
-- The slots table is loaded with its unique constraints and indexes dropped and then rebuilt from
-- the very definitions Flyway created (read back from the catalog), which is several times faster
-- than maintaining four B-trees over random UUIDs row by row. See docs/performance.md.

\set ON_ERROR_STOP 1
\timing on
SET client_min_messages = warning;
SET maintenance_work_mem = '1GB';
SET synchronous_commit = off;

-- The Luhn check digit that makes payload || digit valid (as org.carnet.directory.Luhn does).
CREATE FUNCTION pg_temp.luhn_digit(payload text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT ((10 - SUM(CASE WHEN (length(payload) - i) % 2 = 0
                           THEN (CASE WHEN d * 2 > 9 THEN d * 2 - 9 ELSE d * 2 END)
                           ELSE d END) % 10) % 10)::text
    FROM (SELECT i, substr(payload, i, 1)::int AS d FROM generate_series(1, length(payload)) AS i) AS digits
$$;

-- 50 cities: display name, place key (lower case, no accents, hyphens and apostrophes as spaces,
-- as Directory.placeKey computes it) and a postcode.
CREATE TEMP TABLE bench_cities (n int PRIMARY KEY, city text, city_key text, postcode text);
INSERT INTO bench_cities (n, city, city_key, postcode) VALUES
 (1, 'Paris', 'paris', '75011'), (2, 'Marseille', 'marseille', '13001'), (3, 'Lyon', 'lyon', '69003'),
 (4, 'Toulouse', 'toulouse', '31000'), (5, 'Nice', 'nice', '06000'), (6, 'Nantes', 'nantes', '44000'),
 (7, 'Montpellier', 'montpellier', '34000'), (8, 'Strasbourg', 'strasbourg', '67000'),
 (9, 'Bordeaux', 'bordeaux', '33000'), (10, 'Lille', 'lille', '59000'), (11, 'Rennes', 'rennes', '35000'),
 (12, 'Reims', 'reims', '51100'), (13, 'Toulon', 'toulon', '83000'),
 (14, 'Saint-Étienne', 'saint etienne', '42000'), (15, 'Le Havre', 'le havre', '76600'),
 (16, 'Grenoble', 'grenoble', '38000'), (17, 'Dijon', 'dijon', '21000'), (18, 'Angers', 'angers', '49000'),
 (19, 'Nîmes', 'nimes', '30000'), (20, 'Villeurbanne', 'villeurbanne', '69100'),
 (21, 'Clermont-Ferrand', 'clermont ferrand', '63000'), (22, 'Le Mans', 'le mans', '72000'),
 (23, 'Aix-en-Provence', 'aix en provence', '13100'), (24, 'Brest', 'brest', '29200'),
 (25, 'Tours', 'tours', '37000'), (26, 'Amiens', 'amiens', '80000'), (27, 'Limoges', 'limoges', '87000'),
 (28, 'Annecy', 'annecy', '74000'), (29, 'Perpignan', 'perpignan', '66000'),
 (30, 'Boulogne-Billancourt', 'boulogne billancourt', '92100'), (31, 'Metz', 'metz', '57000'),
 (32, 'Besançon', 'besancon', '25000'), (33, 'Orléans', 'orleans', '45000'),
 (34, 'Saint-Denis', 'saint denis', '93200'), (35, 'Rouen', 'rouen', '76000'),
 (36, 'Argenteuil', 'argenteuil', '95100'), (37, 'Mulhouse', 'mulhouse', '68100'),
 (38, 'Montreuil', 'montreuil', '93100'), (39, 'Caen', 'caen', '14000'), (40, 'Nancy', 'nancy', '54000'),
 (41, 'Saint-Paul', 'saint paul', '97460'), (42, 'Tourcoing', 'tourcoing', '59200'),
 (43, 'Roubaix', 'roubaix', '59100'), (44, 'Nanterre', 'nanterre', '92000'),
 (45, 'Vitry-sur-Seine', 'vitry sur seine', '94400'), (46, 'Avignon', 'avignon', '84000'),
 (47, 'Créteil', 'creteil', '94000'), (48, 'Poitiers', 'poitiers', '86000'),
 (49, 'Aubervilliers', 'aubervilliers', '93300'), (50, 'Ajaccio', 'ajaccio', '20000');

CREATE TEMP TABLE bench_specialties (n int PRIMARY KEY, name text);
INSERT INTO bench_specialties (n, name) VALUES
 (0, 'MEDECIN_GENERALISTE'), (1, 'OPHTALMOLOGUE'), (2, 'DERMATOLOGUE'), (3, 'PSYCHIATRE'),
 (4, 'GYNECOLOGUE'), (5, 'PEDIATRE'), (6, 'CARDIOLOGUE'), (7, 'CHIRURGIEN_DENTISTE'),
 (8, 'MASSEUR_KINESITHERAPEUTE'), (9, 'ORL'), (10, 'RHUMATOLOGUE'), (11, 'ENDOCRINOLOGUE'),
 (12, 'GASTRO_ENTEROLOGUE'), (13, 'PNEUMOLOGUE'), (14, 'NEUROLOGUE'), (15, 'SAGE_FEMME'),
 (16, 'ORTHOPHONISTE'), (17, 'PSYCHOLOGUE'), (18, 'UROLOGUE'), (19, 'RADIOLOGUE');

-- Establishments. FINESS: the department (first two digits of the postcode; Corsica's 20 stands
-- in for 2A, checked as 20 as Finess does) then a 6-digit serial, then the check digit.
CREATE TEMP TABLE bench_establishments AS
SELECT e AS n, gen_random_uuid() AS id, c.city, c.city_key, c.postcode
FROM generate_series(1, :establishments) AS e
JOIN bench_cities c ON c.n = ((e - 1) % 50) + 1;

INSERT INTO establishments (id, finess, name, address, city, city_key, postcode)
SELECT b.id,
       substr(b.postcode, 1, 2) || lpad(b.n::text, 6, '0')
           || pg_temp.luhn_digit(substr(b.postcode, 1, 2) || lpad(b.n::text, 6, '0')),
       'Centre médical ' || b.n,
       b.n || ' rue de la Santé',
       b.city, b.city_key, b.postcode
FROM bench_establishments b;

-- Practitioners. RPPS: "10" then an 8-digit serial, then the check digit.
CREATE TEMP TABLE bench_practitioners AS
SELECT p AS n, gen_random_uuid() AS id, b.id AS establishment_id,
       s.name AS specialty
FROM generate_series(1, :practitioners) AS p
JOIN bench_establishments b ON b.n = ((p - 1) % :establishments) + 1
JOIN bench_specialties s ON s.n = ((p - 1) / 50 + (p - 1) / 1000) % 20;

INSERT INTO practitioners (id, establishment_id, rpps, first_name, last_name, specialty)
SELECT id, establishment_id,
       '10' || lpad(n::text, 8, '0') || pg_temp.luhn_digit('10' || lpad(n::text, 8, '0')),
       'Praticien', 'Numéro ' || n, specialty
FROM bench_practitioners;

INSERT INTO visit_motives (id, establishment_id, practitioner_id, label, duration_minutes, teleconsultation)
SELECT gen_random_uuid(), establishment_id, id, m.label, 20, m.tele
FROM bench_practitioners
CROSS JOIN (VALUES ('Consultation', false), ('Téléconsultation', true)) AS m (label, tele);

-- The agenda's horizon as the application computes it: today in Europe/Paris + weeks.
SELECT (now() AT TIME ZONE 'Europe/Paris')::date AS today,
       (now() AT TIME ZONE 'Europe/Paris')::date + 7 * :weeks AS until \gset

INSERT INTO agendas (establishment_id, practitioner_id, slot_minutes, generated_until)
SELECT establishment_id, id, 20, :'until'::date FROM bench_practitioners;

INSERT INTO opening_hours (establishment_id, practitioner_id, day_of_week, opens_at, closes_at)
SELECT p.establishment_id, p.id, d, h.opens, h.closes
FROM bench_practitioners p
CROSS JOIN generate_series(1, 5) AS d
CROSS JOIN (VALUES (time '09:00', time '12:00'), (time '14:00', time '18:00')) AS h (opens, closes);

-- Slots: drop the unique constraints and indexes, load, rebuild them from Flyway's definitions
-- (unless -v keep_slot_indexes=1, to measure loading with the indexes in place).
CREATE TEMP TABLE bench_slot_constraints AS
SELECT conname, pg_get_constraintdef(oid) AS def
FROM pg_constraint WHERE conrelid = 'slots'::regclass AND contype IN ('p', 'u');
CREATE TEMP TABLE bench_slot_indexes AS
SELECT i.indexname, i.indexdef
FROM pg_indexes i
WHERE i.schemaname = current_schema() AND i.tablename = 'slots'
  AND i.indexname NOT IN (SELECT conname FROM bench_slot_constraints);

\if :{?keep_slot_indexes}
\echo 'loading slots with their indexes in place'
\else
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT indexname FROM bench_slot_indexes LOOP
        EXECUTE format('DROP INDEX %I', r.indexname);
    END LOOP;
    FOR r IN SELECT conname FROM bench_slot_constraints LOOP
        EXECUTE format('ALTER TABLE slots DROP CONSTRAINT %I', r.conname);
    END LOOP;
END $$;
\endif

CREATE TEMP TABLE bench_slot_times AS
SELECT time '09:00' + k * interval '20 minutes' AS t FROM generate_series(0, 8) AS k     -- 09:00-11:40
UNION ALL
SELECT time '14:00' + k * interval '20 minutes' FROM generate_series(0, 11) AS k;        -- 14:00-17:40

CREATE TEMP TABLE bench_days AS
SELECT d::date AS d
FROM generate_series(:'today'::date, :'until'::date - 1, interval '1 day') AS d
WHERE extract(isodow FROM d) BETWEEN 1 AND 5;

INSERT INTO slots (establishment_id, id, practitioner_id, start_at, end_at, status)
SELECT p.establishment_id, gen_random_uuid(), p.id,
       (days.d + times.t) AT TIME ZONE 'Europe/Paris',
       (days.d + times.t + interval '20 minutes') AT TIME ZONE 'Europe/Paris',
       'FREE'
FROM bench_practitioners p
CROSS JOIN bench_days days
CROSS JOIN bench_slot_times times;

\if :{?keep_slot_indexes}
\else
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT conname, def FROM bench_slot_constraints ORDER BY conname LOOP
        EXECUTE format('ALTER TABLE slots ADD CONSTRAINT %I %s', r.conname, r.def);
    END LOOP;
    FOR r IN SELECT indexdef FROM bench_slot_indexes ORDER BY indexname LOOP
        EXECUTE r.indexdef;
    END LOOP;
END $$;
\endif

-- Settle the tables so that autovacuum does not start in the middle of a measurement.
VACUUM (ANALYZE) establishments, practitioners, visit_motives, agendas, opening_hours, slots;
CHECKPOINT;

SELECT (SELECT count(*) FROM establishments) AS establishments,
       (SELECT count(*) FROM practitioners) AS practitioners,
       (SELECT count(*) FROM visit_motives) AS motives,
       (SELECT count(*) FROM slots) AS slots,
       pg_size_pretty(pg_total_relation_size('slots')) AS slots_size;
