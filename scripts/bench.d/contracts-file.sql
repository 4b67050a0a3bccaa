-- Writes the benchmark's contracts file: 1,000,000 rows, 100,000 physicians with 10 contracts each at
-- distinct social clinics, and 1% wrong rows of every kind; scripts/bench exports it (all rows, and the valid ones).
DROP TABLE IF EXISTS bench_contract_rows;
CREATE TABLE bench_contract_rows AS
WITH base AS (
    SELECT n, 1 + (n - 1) % 100000 AS p, (n - 1) / 100000 AS k FROM generate_series(1, 1000000) n
), named AS (
    SELECT n, p, k,
           'IMP-' || n AS contract_no,
           (SELECT id_number::text FROM physician WHERE id = md5('8-' || p)::uuid) AS id_number,
           '9133010' || lpad((101 + (p + k * 89) % 900)::text, 11, '0') AS institution,
           '2026-03-02' AS valid_from, '2027-03-01' AS valid_to
    FROM base
)
SELECT n,
       CASE WHEN n % 100 = 0 AND (n / 100) % 10 = 7 THEN 'IMP-' || (n - 1) ELSE contract_no END AS contract_no,
       CASE WHEN n % 100 <> 0 THEN id_number
            WHEN (n / 100) % 10 = 0 THEN left(id_number, 17) || CASE WHEN right(id_number, 1) = '1' THEN '2' ELSE '1' END  -- input.id-number
            WHEN (n / 100) % 10 = 2 THEN '11010519491231002X'                                                               -- not-found
            ELSE id_number END AS id_number,
       CASE WHEN n % 100 <> 0 THEN institution
            WHEN (n / 100) % 10 = 3 THEN '91320106MA1M00004P'                                                               -- filing.outside-region
            WHEN (n / 100) % 10 = 4 THEN '9133010' || lpad((1 + p % 100)::text, 11, '0')                                    -- filing.primary-institution
            WHEN (n / 100) % 10 = 7 THEN '9133010' || lpad((101 + (1 + (n - 2) % 100000 + ((n - 2) / 100000) * 89) % 900)::text, 11, '0') -- import.duplicate-row
            WHEN (n / 100) % 10 = 8 AND k > 0 THEN '9133010' || lpad((101 + (p + (k - 1) * 89) % 900)::text, 11, '0')    -- filing.overlap
            ELSE institution END AS institution,
       CASE WHEN n % 100 = 0 AND (n / 100) % 10 = 5 THEN '2024-06-01'                                                    -- filing.before-registration
            WHEN n % 100 = 0 AND (n / 100) % 10 = 6 THEN '2027-03-01' ELSE valid_from END AS valid_from,                  -- input.period
       CASE WHEN n % 100 = 0 AND (n / 100) % 10 = 1 THEN '2026-02-30'                                                    -- input.date
            WHEN n % 100 = 0 AND (n / 100) % 10 = 6 THEN '2026-03-02' ELSE valid_to END AS valid_to,
       '' AS scope,
       CASE WHEN n % 100 = 0 AND (n / 100) % 10 = 9 THEN 'X' ELSE 'A' END AS action,                                      -- input.action
       n % 100 = 0 AND NOT ((n / 100) % 10 = 8 AND k = 0) AS wrong
FROM named;
