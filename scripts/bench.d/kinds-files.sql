-- Writes the benchmark's files for the other four kinds of import, with 1% wrong rows of several kinds:
-- 100,000 new institutions, 250,000 new physicians, their 250,000 registrations, and 100,000 leaves of the
-- seeded physicians. scripts/bench exports each (all rows, and the valid ones for psql's \copy).
CREATE FUNCTION pg_temp.credit_code(first17 text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT first17 || substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
        ((31 - sum((position(substr(first17, i::int, 1) IN '0123456789ABCDEFGHJKLMNPQRTUWXY') - 1) * w) % 31) % 31)::int + 1, 1)
    FROM unnest(ARRAY[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28]) WITH ORDINALITY AS t(w, i)
$$;
CREATE FUNCTION pg_temp.resident_id(first17 text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT first17 || substr('10X98765432', (sum(substr(first17, i::int, 1)::int * w) % 11)::int + 1, 1)
    FROM unnest(ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]) WITH ORDINALITY AS t(w, i)
$$;

DROP TABLE IF EXISTS bench_institution_rows, bench_physician_rows, bench_registration_rows, bench_leave_rows;

CREATE TABLE bench_institution_rows AS
SELECT n, pg_temp.credit_code('52330106' || lpad(n::text, 9, '0')) AS uscc,
       '压测新机构' || n AS name,
       CASE WHEN n % 100 = 0 AND n % 300 = 0 THEN '339999' WHEN n % 100 = 0 AND n % 300 = 100 THEN '320106' ELSE '330106' END AS region,
       '社会办' AS ownership, '否' AS for_profit, '诊所' AS category,
       CASE WHEN n % 100 = 0 AND n % 300 = 200 THEN '-1' ELSE (n % 50)::text END AS beds,
       n % 100 = 0 AS wrong
FROM generate_series(1, 100000) n;

CREATE TABLE bench_physician_rows AS
SELECT n, CASE WHEN n % 100 = 0 AND n % 200 = 0 THEN left(id, 17) || CASE WHEN right(id, 1) = '1' THEN '2' ELSE '1' END ELSE id END AS id_number,
       '压测新医师' || n AS name, 'NQ' || n AS qualification_no,
       CASE WHEN n % 100 = 0 AND n % 200 = 100 THEN '主任' ELSE '执业医师' END AS level, '临床' AS category,
       n % 100 = 0 AS wrong
FROM (SELECT n, pg_temp.resident_id('330106' || to_char(DATE '1980-01-01' + (n / 1000), 'YYYYMMDD') || lpad((n % 1000)::text, 3, '0')) AS id
      FROM generate_series(1, 250000) n) x;

CREATE TABLE bench_registration_rows AS
SELECT n, p.id_number, '9133010' || lpad((1 + n % 100)::text, 11, '0') AS institution,
       CASE WHEN n % 100 = 0 AND n % 300 = 0 THEN '兽医学' ELSE '内科' END AS scope,
       CASE WHEN n % 100 = 0 AND n % 300 = 100 THEN '2026-04-01' ELSE '2026-02-27' END AS applied_on,
       n % 100 = 0 OR p.wrong AS wrong
FROM bench_physician_rows p;

CREATE TABLE bench_leave_rows AS
SELECT n, (SELECT id_number::text FROM physician WHERE id = md5('8-' || n)::uuid) AS id_number,
       '9133010' || lpad((1 + n % 100)::text, 11, '0') AS institution,
       CASE WHEN n % 100 = 0 AND n % 300 = 0 THEN '出国' WHEN n % 3 = 0 THEN '退休' ELSE '辞职' END AS reason,
       CASE WHEN n % 100 = 0 AND n % 300 = 100 THEN '2026-05-01' ELSE '2026-03-01' END AS "on",
       n % 100 = 0 AND n % 300 IN (0, 100) AS wrong
FROM generate_series(1, 100000) n;
