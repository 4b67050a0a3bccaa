-- Reports at national scale (docs/reports.md): the facts the multi-site report groups
-- by are carried on each filing, guarded by foreign keys so they cannot drift, and the
-- columns reports filter on are indexed (covering where a report reads many rows).

-- A filing's host county and ownership (the institution's, kept equal by the composite key,
-- which cascades if an institution is ever re-registered), the registration's category
-- (likewise), and the ownership of the physician's primary institution when the filing was made.
ALTER TABLE filing ADD COLUMN host_county char(6), ADD COLUMN host_ownership text,
                   ADD COLUMN home_ownership text, ADD COLUMN category text;
UPDATE filing f SET host_county = h.region, host_ownership = h.ownership, home_ownership = p.ownership, category = r.category
FROM institution h, registration r, institution p
WHERE h.id = f.institution AND r.id = f.registration AND p.id = r.institution;
ALTER TABLE filing ALTER COLUMN host_county SET NOT NULL, ALTER COLUMN host_ownership SET NOT NULL,
                   ALTER COLUMN home_ownership SET NOT NULL, ALTER COLUMN category SET NOT NULL,
                   ADD CONSTRAINT filing_home_ownership_check CHECK (home_ownership IN ('public', 'social'));
ALTER TABLE institution ADD CONSTRAINT institution_id_region_ownership_key UNIQUE (id, region, ownership);
ALTER TABLE filing DROP CONSTRAINT filing_institution_fkey,
    ADD CONSTRAINT filing_host_fkey FOREIGN KEY (institution, host_county, host_ownership)
        REFERENCES institution (id, region, ownership) ON UPDATE CASCADE;
ALTER TABLE registration ADD CONSTRAINT registration_id_category_key UNIQUE (id, category);
ALTER TABLE filing DROP CONSTRAINT filing_registration_fkey,
    ADD CONSTRAINT filing_registration_fkey FOREIGN KEY (registration, category) REFERENCES registration (id, category);

-- multisite and expiring: filings in force, by province, without visiting the table.
CREATE INDEX filing_in_force ON filing (province, valid_to)
    INCLUDE (valid_from, ended_on, status, host_county, host_ownership, home_ownership, category, physician);
CREATE INDEX filing_host_county ON filing (host_county, valid_to);
-- processing: applications by date, with what the report counts.
CREATE INDEX registration_applied ON registration (province, applied_on) INCLUDE (status, decided_on, institution);
CREATE INDEX registration_applied_national ON registration (applied_on) INCLUDE (province, status, decided_on);
CREATE INDEX registration_pending ON registration (province, applied_on) WHERE status = 'pending';
CREATE INDEX registration_pending_national ON registration (applied_on) WHERE status = 'pending';
-- nurse-pilot: active registrations per province and institution.
CREATE INDEX nurse_registration_province ON nurse_registration (province, status, institution) INCLUDE (regional);
-- expiring: active nurse registrations by province and expiry.
CREATE INDEX nurse_registration_province_expiry ON nurse_registration (province, expires_on) WHERE status = 'active';
-- studios and social-beds: institutions per province with what the reports count.
CREATE INDEX institution_province_kind ON institution (province, region) INCLUDE (category, ownership, beds, status);
-- credit follow-up: what a blacklisted nurse still holds.
CREATE INDEX nurse_filing_nurse ON nurse_filing (nurse) WHERE status = 'active';
-- Filings at an institution: the exclusion constraint's GiST index leads with the physician and
-- answers `institution = x` by reading most of itself; this btree answers it directly.
CREATE INDEX filing_institution_active ON filing (institution) WHERE status = 'active';
CREATE INDEX credit_record_kind ON credit_record (kind, decided_on);
DROP INDEX institution_province;  -- institution_province_kind leads with the same column
