-- A nurse's filings, ended ones too (0004's nurse_filing_nurse holds the active ones only): the row-level
-- policy on `nurse` asks, for each nurse a list walks, whether a filing of theirs lies in the reader's scope,
-- and without this index each answer read all of nurse_filing (0.5 ms a nurse: 2.9 s for a page of a
-- province's nurses on the national data).
CREATE INDEX nurse_filing_by_nurse ON nurse_filing (nurse);

-- The same question in the policy without OFFSET 0 around the filings (a copy of R-72's scope in SQL, as in
-- 0007; the rows it lets through are the same): with the fence, the planner tested each nurse by reading the
-- whole table, choosing by startup cost, which the scope's own subqueries make equal; without it, it reads the
-- table once into a hash. 3 s → 0.26 s for a page of a province's nurses as its registrar.
ALTER POLICY scoped_read ON nurse
    USING (EXISTS (SELECT 1 FROM nurse_registration r WHERE r.nurse = nurse.id OFFSET 0)
           OR EXISTS (SELECT 1 FROM nurse_filing f WHERE f.nurse = nurse.id));
