-- Bench data for the exec benchmark: 1,000 Zhejiang institutions (100 public
-- hospitals as primaries, 900 social clinics as filing sites), 100,000
-- physicians each with an active home registration. Ids are md5('kind-n') so that
-- pgbench scripts and exec lines can name them, and look as random as real (v4) ids:
-- sequential ids would give btree_gist's uuid keys a degenerate tree.
CREATE FUNCTION pg_temp.bench_uuid(kind int, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
$$ SELECT md5(kind::text || '-' || n::text)::uuid $$;
CREATE FUNCTION pg_temp.resident_id(first17 text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT first17 || substr('10X98765432', (sum(substr(first17, i::int, 1)::int * w) % 11)::int + 1, 1)
    FROM unnest(ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]) WITH ORDINALITY AS t(w, i)
$$;

INSERT INTO staff (id, name, role, region) VALUES ('bench-reg', '压测登记员', 'registrar', '330000');
DO $$ BEGIN PERFORM ensure_staff_roles(); END $$;  -- the account's database role

INSERT INTO institution (id, province, uscc, name, region, ownership, for_profit, category, beds)
SELECT pg_temp.bench_uuid(9, n), '330000', '9133010' || lpad(n::text, 11, '0'), '压测机构' || n, '330106',
       CASE WHEN n <= 100 THEN 'public' ELSE 'social' END, false,
       CASE WHEN n <= 100 THEN 'general-hospital' ELSE 'clinic' END, CASE WHEN n <= 100 THEN 500 ELSE 5 END
FROM generate_series(1, 1000) n;

INSERT INTO physician (id, id_number, name, sex, birth_date, qualification_no, level, category)
SELECT pg_temp.bench_uuid(8, n),
       pg_temp.resident_id('330106' || to_char(DATE '1960-01-01' + (n / 1000), 'YYYYMMDD') || lpad((n % 1000)::text, 3, '0')),
       '压测医师' || n, CASE WHEN n % 2 = 1 THEN 'M' ELSE 'F' END, DATE '1960-01-01' + (n / 1000), 'BQ' || n, 'physician', 'clinical'
FROM generate_series(1, 100000) n;

INSERT INTO registration (id, province, physician, region, institution, category, scopes, status, is_home, applied_on, decided_on, effective_on, decided_by)
SELECT pg_temp.bench_uuid(7, n), '330000', pg_temp.bench_uuid(8, n), '330000', pg_temp.bench_uuid(9, 1 + n % 100), 'clinical',
       ARRAY['内科'], 'active', true, DATE '2024-12-01', DATE '2025-01-01', DATE '2025-01-01', 'bench-reg'
FROM generate_series(1, 100000) n;

-- pgbench numbers its transactions with this, as the exec lines are numbered.
CREATE SEQUENCE bench_exec_n;

ANALYZE;
