-- Access enforced by PostgreSQL itself (DOMAIN.md R-70 … R-72; README "Deploying for many users").
--
-- Every staff account is a role of its own, member of one group role per kind. Row-level security,
-- forced (it binds the tables' owner too; only superusers bypass it, and the application never acts
-- for a staff member as one), scopes what each group reads and writes:
--   regctl_admin      everything (but events stay append-only)
--   regctl_registrar  its region and the regions inside it; identities (physician, nurse) everywhere
--   regctl_analyst    like a registrar, reading only
--   regctl_hr         its institution's records and the people who practise there
-- A role's scope comes from its row in `staff` (regctl_scope), evaluated once per query: policies
-- wrap the calls in scalar subqueries, which the planner runs once as init plans.
-- ID numbers: no staff group may select physician.id_number or nurse.id_number; the views
-- physician_v and nurse_v show them in full to admin and the subject's registrars, masked to
-- everyone else (R-72). Facts the rules need across scopes (a physician's registrations
-- elsewhere for R-11/R-20, blacklists, the filing count of R-23) come from SECURITY DEFINER
-- functions owned by regctl_facts, a role without login that reads everything and writes nothing.

DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['regctl_admin', 'regctl_registrar', 'regctl_hr', 'regctl_analyst', 'regctl_facts'] LOOP
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- created meanwhile by a migration of another database of the cluster
        END;
    END LOOP;
END $$;

-- The scope of the role running a query, from its row in `staff`: its kind; for registrars and
-- analysts the range of region codes it covers (`330000` → 330000…339999, `330100` → 330100…330199,
-- a county itself: RegionCode.covers) and its province; for HR its institution. Inactive accounts
-- have none; a superuser with no account is the installation's own admin (the embedded cluster's
-- login). `who` is current_user as the policy passes it.
-- The policies compare with a scope's bounds COLLATE "C" (the same order for digit codes, and no
-- index's): the bounds are filters on the rows the query's own conditions find, never index
-- conditions. The planner cannot know how wide a range of parameters is, and would otherwise prefer
-- a scan of every row of the scope to a report's narrower index.
-- PL/pgSQL, not SQL: a SQL function's body is planned again in every query that calls it (about
-- 1.5 ms), a PL/pgSQL function's plan is kept for the session. PARALLEL SAFE (they only read), so
-- that the policies calling them leave a report its parallel workers.
CREATE FUNCTION regctl_scope(who name)
RETURNS TABLE (kind text, low char(6), high char(6), province char(6), institution uuid)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
        SELECT s.role,
               CASE WHEN s.role IN ('registrar', 'analyst') THEN s.region END,
               CASE WHEN s.role IN ('registrar', 'analyst') THEN
                   (CASE WHEN s.region LIKE '__0000' THEN left(s.region, 2) || '9999'
                         WHEN s.region LIKE '____00' THEN left(s.region, 4) || '99'
                         ELSE s.region END)::char(6) END,
               CASE WHEN s.role IN ('registrar', 'analyst') THEN (left(s.region, 2) || '0000')::char(6) END,
               CASE WHEN s.role = 'hr' THEN s.institution END
        FROM staff s WHERE s.id = who::text AND s.active;
    IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM staff s WHERE s.id = who::text) THEN
        RETURN QUERY SELECT 'admin'::text, NULL::char(6), NULL::char(6), NULL::char(6), NULL::uuid
            FROM pg_roles r WHERE r.rolname = who AND r.rolsuper;
    END IF;
END $$;

-- The institutions of a registrar's or analyst's scope, read through the region index (the policies
-- look rows up in this set, built once per query, and only for scopes below a province).
CREATE FUNCTION regctl_scope_institutions(who name) RETURNS SETOF uuid LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE sc record;
BEGIN
    SELECT * INTO sc FROM regctl_scope(who);
    RETURN QUERY SELECT i.id FROM institution i WHERE i.region BETWEEN sc.low AND sc.high;
END $$;

-- Whether a person has a registration (physician: its region or its institution's county; nurse:
-- its institution's county) in the range low…high.
CREATE FUNCTION regctl_registered_in(person uuid, low char(6), high char(6)) RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM registration r JOIN institution i ON i.id = r.institution
                   WHERE r.physician = person AND (r.region BETWEEN low AND high OR i.region BETWEEN low AND high))
        OR EXISTS (SELECT 1 FROM nurse_registration r JOIN institution i ON i.id = r.institution
                   WHERE r.nurse = person AND i.region BETWEEN low AND high);
END $$;

-- R-72: whether `who` reads a person's ID number in full: admin, or a registrar covering one of the
-- person's registrations.
CREATE FUNCTION regctl_sees_full_id(who name, person uuid) RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE sc record;
BEGIN
    SELECT * INTO sc FROM regctl_scope(who);
    RETURN CASE sc.kind WHEN 'admin' THEN true
                        WHEN 'registrar' THEN regctl_registered_in(person, sc.low, sc.high)
                        ELSE false END;
END $$;

-- Whether `who` sees a person at all: admin and registrars every person (identities are national:
-- anyone may come to register); HR the people who practise at its institution; analysts the people
-- registered in their region.
CREATE FUNCTION regctl_sees_person(who name, person uuid) RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE sc record;
BEGIN
    SELECT * INTO sc FROM regctl_scope(who);
    RETURN CASE sc.kind
        WHEN 'admin' THEN true
        WHEN 'registrar' THEN true
        WHEN 'hr' THEN EXISTS (SELECT 1 FROM registration WHERE physician = person AND institution = sc.institution)
            OR EXISTS (SELECT 1 FROM filing WHERE physician = person AND institution = sc.institution)
            OR EXISTS (SELECT 1 FROM studio WHERE physician = person AND host = sc.institution)
            OR EXISTS (SELECT 1 FROM nurse_registration WHERE nurse = person AND institution = sc.institution)
            OR EXISTS (SELECT 1 FROM nurse_filing WHERE nurse = person AND institution = sc.institution)
        WHEN 'analyst' THEN regctl_registered_in(person, sc.low, sc.high)
        ELSE false END;
END $$;

-- The people, with ID numbers as the reader may see them (R-72). Owned by regctl_facts (below):
-- the view reads the table as its owner, current_user is still the reader.
CREATE VIEW physician_v WITH (security_barrier) AS
    SELECT p.id,
           CASE WHEN regctl_sees_full_id(current_user, p.id) THEN p.id_number::text
                ELSE left(p.id_number, 6) || '********' || right(p.id_number, 4) END AS id_number,
           p.name, p.sex, p.birth_date, p.qualification_no, p.level, p.category, p.status, p.status_on,
           p.certificate_no, p.created_at
    FROM physician p
    WHERE regctl_sees_person(current_user, p.id);
CREATE VIEW nurse_v WITH (security_barrier) AS
    SELECT n.id,
           CASE WHEN regctl_sees_full_id(current_user, n.id) THEN n.id_number::text
                ELSE left(n.id_number, 6) || '********' || right(n.id_number, 4) END AS id_number,
           n.name, n.sex, n.birth_date, n.qualification_no, n.status, n.created_at
    FROM nurse n
    WHERE regctl_sees_person(current_user, n.id);

-- Facts the rules read across scopes, by key (the caller names the records; nothing is listed).
CREATE FUNCTION regctl_physicians(ids uuid[], id_numbers text[])
RETURNS TABLE (id uuid, id_number text, name text, birth_date date, certificate_no text, level text, category text, status text,
               qualification_no text)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    -- One statement per key, each answered by its unique index (an OR of two arrays is not).
    -- The ID number in full only to a caller who gave it; masked otherwise.
    IF cardinality(ids) > 0 THEN
        RETURN QUERY SELECT p.id, left(p.id_number, 6) || '********' || right(p.id_number, 4),
               p.name, p.birth_date, p.certificate_no::text, p.level, p.category, p.status, p.qualification_no
        FROM physician p WHERE p.id = ANY(ids);
    END IF;
    IF cardinality(id_numbers) > 0 THEN
        RETURN QUERY SELECT p.id, p.id_number::text,
               p.name, p.birth_date, p.certificate_no::text, p.level, p.category, p.status, p.qualification_no
        FROM physician p WHERE p.id_number = ANY(id_numbers::bpchar[]);
    END IF;
END $$;
CREATE FUNCTION regctl_nurses(ids uuid[], id_numbers text[])
RETURNS TABLE (id uuid, id_number text, name text, status text)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    IF cardinality(ids) > 0 THEN
        RETURN QUERY SELECT n.id, left(n.id_number, 6) || '********' || right(n.id_number, 4), n.name, n.status
        FROM nurse n WHERE n.id = ANY(ids);
    END IF;
    IF cardinality(id_numbers) > 0 THEN
        RETURN QUERY SELECT n.id, n.id_number::text, n.name, n.status FROM nurse n WHERE n.id_number = ANY(id_numbers::bpchar[]);
    END IF;
END $$;
CREATE FUNCTION regctl_institutions(ids uuid[], usccs text[])
RETURNS TABLE (id uuid, uscc text, name text, region text, category text, ownership text, status text,
               license_no text, for_profit boolean, beds integer)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    IF cardinality(ids) > 0 THEN
        RETURN QUERY SELECT i.id, i.uscc::text, i.name, i.region::text, i.category, i.ownership, i.status, i.license_no, i.for_profit, i.beds
        FROM institution i WHERE i.id = ANY(ids);
    END IF;
    IF cardinality(usccs) > 0 THEN
        RETURN QUERY SELECT i.id, i.uscc::text, i.name, i.region::text, i.category, i.ownership, i.status, i.license_no, i.for_profit, i.beds
        FROM institution i WHERE i.uscc = ANY(usccs::bpchar[]);
    END IF;
END $$;
CREATE FUNCTION regctl_registrations(physicians uuid[], ids uuid[])
RETURNS TABLE (id uuid, physician uuid, region text, institution uuid, institution_county text, institution_category text,
               institution_ownership text, category text, status text, scopes text[], is_home boolean, applied_on date,
               effective_on date, leave_since date, cancelled_on date, cancel_reason text)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY SELECT r.id, r.physician, r.region::text, r.institution, i.region::text, i.category, i.ownership, r.category, r.status,
           r.scopes, r.is_home, r.applied_on, r.effective_on, r.leave_since, r.cancelled_on, r.cancel_reason
    FROM registration r JOIN institution i ON i.id = r.institution
    WHERE r.id IN (SELECT x.id FROM registration x WHERE x.physician = ANY(physicians)
                   UNION SELECT unnest(ids))
    ORDER BY r.applied_on, r.id;
END $$;
CREATE FUNCTION regctl_nurse_registrations(nurses uuid[], ids uuid[])
RETURNS TABLE (id uuid, nurse uuid, institution uuid, county text, status text, regional boolean, expires_on date, applied_on date)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY SELECT r.id, r.nurse, r.institution, i.region::text, r.status, r.regional, r.expires_on, r.applied_on
    FROM nurse_registration r JOIN institution i ON i.id = r.institution
    WHERE r.id IN (SELECT x.id FROM nurse_registration x WHERE x.nurse = ANY(nurses)
                   UNION SELECT unnest(ids))
    ORDER BY r.applied_on, r.id;
END $$;
CREATE FUNCTION regctl_active_filings(physicians uuid[])
RETURNS TABLE (id uuid, contract_no text, valid_from date, valid_to date, institution uuid, physician uuid)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY SELECT f.id, f.contract_no, f.valid_from, f.valid_to, f.institution, f.physician
    FROM filing f WHERE f.physician = ANY(physicians) AND f.status = 'active'
    ORDER BY f.physician, f.valid_from, f.id;
END $$;
CREATE FUNCTION regctl_active_nurse_filings(nurses uuid[])
RETURNS TABLE (id uuid, contract_no text, valid_from date, valid_to date, institution uuid, nurse uuid, registration uuid)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY SELECT f.id, f.contract_no, f.valid_from, f.valid_to, f.institution, f.nurse, f.registration
    FROM nurse_filing f WHERE f.nurse = ANY(nurses) AND f.status = 'active'
    ORDER BY f.nurse, f.valid_from, f.id;
END $$;
CREATE FUNCTION regctl_credit(subjects uuid[], of_kind text)
RETURNS TABLE (subject uuid, kind text, decided_on date, until date, lifted_on date)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY SELECT c.subject, c.kind, c.decided_on, c.until, c.lifted_on FROM credit_record c
    WHERE c.subject = ANY(subjects) AND (of_kind IS NULL OR c.kind = of_kind)
    ORDER BY c.subject, c.decided_on, c.id;
END $$;

-- R-60 follow-up: what blacklisted subjects still hold, wherever it is (counts only). Which
-- registrations are live is the caller's (the rules') to say.
CREATE FUNCTION regctl_holdings(subjects uuid[], live text[], live_nurse text[])
RETURNS TABLE (subject uuid, what integer, n bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY
        SELECT r.physician, 0, count(*) FROM registration r WHERE r.physician = ANY(subjects) AND r.status = ANY(live) GROUP BY 1
        UNION ALL SELECT r.institution, 0, count(*) FROM registration r WHERE r.institution = ANY(subjects) AND r.status = ANY(live) GROUP BY 1
        UNION ALL SELECT f.physician, 1, count(*) FROM filing f WHERE f.physician = ANY(subjects) AND f.status = 'active' GROUP BY 1
        UNION ALL SELECT f.institution, 1, count(*) FROM filing f WHERE f.institution = ANY(subjects) AND f.status = 'active' GROUP BY 1
        UNION ALL SELECT s.physician, 2, count(*) FROM studio s WHERE s.physician = ANY(subjects) AND s.status = 'open' GROUP BY 1
        UNION ALL SELECT s.host, 2, count(*) FROM studio s WHERE s.host = ANY(subjects) AND s.status = 'open' GROUP BY 1
        UNION ALL SELECT r.nurse, 3, count(*) FROM nurse_registration r WHERE r.nurse = ANY(subjects) AND r.status = ANY(live_nurse) GROUP BY 1
        UNION ALL SELECT r.institution, 3, count(*) FROM nurse_registration r WHERE r.institution = ANY(subjects) AND r.status = ANY(live_nurse) GROUP BY 1
        UNION ALL SELECT f.nurse, 4, count(*) FROM nurse_filing f WHERE f.nurse = ANY(subjects) AND f.status = 'active' GROUP BY 1
        UNION ALL SELECT f.institution, 4, count(*) FROM nurse_filing f WHERE f.institution = ANY(subjects) AND f.status = 'active' GROUP BY 1;
END $$;

-- Row locks the rules take before deciding (two registrars, two imports at once), whoever acts.
CREATE FUNCTION regctl_lock(what text, ids uuid[]) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    CASE what
        WHEN 'physician' THEN PERFORM 1 FROM physician WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
        WHEN 'nurse' THEN PERFORM 1 FROM nurse WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
        WHEN 'institution' THEN PERFORM 1 FROM institution WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
        WHEN 'registration' THEN PERFORM 1 FROM registration WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
        WHEN 'nurse_registration' THEN PERFORM 1 FROM nurse_registration WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
        ELSE RAISE EXCEPTION 'regctl_lock: unknown record kind %', what;
    END CASE;
END $$;

-- The public lookup (R-61): what anyone may read of a registered physician.
CREATE FUNCTION regctl_public_physicians(by_name text, low char(6), high char(6), by_certificate text, max_rows integer)
RETURNS TABLE (id uuid, name text, sex text, level text, category text, status text, certificate text)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    -- One statement per way of asking, so that each is planned for its own index.
    IF by_certificate IS NOT NULL THEN
        RETURN QUERY SELECT p.id, p.name, p.sex::text, p.level, p.category, p.status, p.certificate_no::text
            FROM physician p WHERE p.certificate_no = by_certificate::bpchar LIMIT max_rows;
    ELSIF low IS NULL THEN
        RETURN QUERY SELECT p.id, p.name, p.sex::text, p.level, p.category, p.status, p.certificate_no::text
            FROM physician p WHERE p.name = by_name AND p.certificate_no IS NOT NULL
            ORDER BY p.certificate_no LIMIT max_rows;
    ELSE
        RETURN QUERY SELECT p.id, p.name, p.sex::text, p.level, p.category, p.status, p.certificate_no::text
            FROM physician p WHERE p.name = by_name AND p.certificate_no IS NOT NULL
              AND EXISTS (SELECT 1 FROM registration r JOIN institution i ON i.id = r.institution
                          WHERE r.physician = p.id AND r.status IN ('active', 'on-leave') AND i.region BETWEEN low AND high)
            ORDER BY p.certificate_no LIMIT max_rows;
    END IF;
END $$;
CREATE FUNCTION regctl_public_practice(ids uuid[])
RETURNS TABLE (physician uuid, role text, institution text, region text, practice_region text, scopes text, status text, since date, until date)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY SELECT r.physician, 'primary', i.name, i.region::text, r.region::text, array_to_string(r.scopes, ','), r.status, r.effective_on, NULL::date
    FROM registration r JOIN institution i ON i.id = r.institution
    WHERE r.physician = ANY(ids) AND r.status IN ('active', 'on-leave')
    UNION ALL
    SELECT f.physician, 'filed', i.name, i.region::text, r.region::text, f.scope, f.status, f.valid_from, f.valid_to
    FROM filing f JOIN institution i ON i.id = f.institution JOIN registration r ON r.id = f.registration
    WHERE f.physician = ANY(ids) AND f.status = 'active'
    UNION ALL
    SELECT s.physician, 'studio', i.name || ' · ' || s.name, i.region::text, NULL, NULL, s.status, s.opened_on, NULL
    FROM studio s JOIN institution i ON i.id = s.host
    WHERE s.physician = ANY(ids) AND s.status = 'open'
    ORDER BY 1, 2 DESC, 8;
END $$;

-- The functions and views run as regctl_facts: it reads every row (its own policies below) and writes none.
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'regctl\_%' LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO regctl_facts', f);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO regctl_admin, regctl_registrar, regctl_hr, regctl_analyst', f);
    END LOOP;
END $$;
REVOKE EXECUTE ON FUNCTION regctl_lock(text, uuid[]) FROM regctl_analyst;
ALTER VIEW physician_v OWNER TO regctl_facts;
ALTER VIEW nurse_v OWNER TO regctl_facts;

-- Privileges. Nothing for PUBLIC; each group what its kind does; row-level security narrows it.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO regctl_admin, regctl_registrar, regctl_hr, regctl_analyst, regctl_facts;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO regctl_facts;
GRANT UPDATE (id) ON physician, nurse, institution, registration, nurse_registration TO regctl_facts;  -- regctl_lock's FOR UPDATE
GRANT SELECT ON physician_v, nurse_v TO regctl_admin, regctl_registrar, regctl_hr, regctl_analyst;
GRANT SELECT ON region, holiday_calendar, policy, pilot, multisite_snapshot, regctl_migrations, certificate_serial,
                institution, registration, filing, studio, nurse_registration, nurse_filing, credit_record, staff, event
    TO regctl_admin, regctl_registrar, regctl_hr, regctl_analyst;
-- ID numbers: admin reads the column, everyone else reads physician_v and nurse_v.
GRANT SELECT ON physician, nurse TO regctl_admin;
GRANT SELECT (id, name, sex, birth_date, qualification_no, level, category, status, status_on, certificate_no, created_at)
    ON physician TO regctl_registrar, regctl_hr, regctl_analyst;
GRANT SELECT (id, name, sex, birth_date, qualification_no, status, created_at) ON nurse TO regctl_registrar, regctl_hr, regctl_analyst;
-- Events: appended by everyone, changed by no one (R-71).
GRANT INSERT ON event TO regctl_admin, regctl_registrar, regctl_hr, regctl_analyst;
REVOKE UPDATE, DELETE, TRUNCATE ON event FROM regctl_admin, regctl_registrar, regctl_hr, regctl_analyst, regctl_facts;
GRANT INSERT, UPDATE ON institution, physician, nurse, registration, filing, studio, nurse_registration, nurse_filing,
                        credit_record, pilot, policy, certificate_serial TO regctl_registrar, regctl_admin;
GRANT INSERT, UPDATE ON registration, filing, studio, nurse_registration, nurse_filing TO regctl_hr;
GRANT UPDATE (status, status_on) ON physician TO regctl_hr;  -- a retirement recorded with the leave (R-31)
GRANT INSERT, UPDATE, DELETE ON staff, holiday_calendar, multisite_snapshot TO regctl_admin;

-- Row-level security, forced.
ALTER TABLE institution ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE physician ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE nurse ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE registration ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE filing ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE studio ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE nurse_registration ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE nurse_filing ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE credit_record ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE staff ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE event ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE pilot ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE policy ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;

-- Admin: every row; regctl_facts: reads every row (and locks them for regctl_lock).
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['institution', 'physician', 'nurse', 'registration', 'filing', 'studio', 'nurse_registration',
                             'nurse_filing', 'credit_record', 'staff', 'pilot', 'policy'] LOOP
        EXECUTE format('CREATE POLICY admin_all ON %I TO regctl_admin USING (true) WITH CHECK (true)', t);
        EXECUTE format('CREATE POLICY facts_read ON %I FOR SELECT TO regctl_facts USING (true)', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['physician', 'nurse', 'institution', 'registration', 'nurse_registration'] LOOP
        EXECUTE format('CREATE POLICY facts_lock ON %I FOR UPDATE TO regctl_facts USING (true) WITH CHECK (false)', t);
    END LOOP;
END $$;

-- Institutions: registrars and analysts their region's; HR its own.
CREATE POLICY region_read ON institution FOR SELECT TO regctl_registrar, regctl_analyst
    USING (region BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s));
CREATE POLICY region_insert ON institution FOR INSERT TO regctl_registrar
    WITH CHECK (region BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s));
CREATE POLICY region_update ON institution FOR UPDATE TO regctl_registrar
    USING (region BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s))
    WITH CHECK (region BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s));
CREATE POLICY hr_read ON institution FOR SELECT TO regctl_hr USING (id = (SELECT s.institution FROM regctl_scope(current_user) s));

-- Registrations: the registration's region or its institution's county in scope; HR its institution's.
-- A registration's institution lies in its region (R-10), so for a province's registrar the region
-- decides; the set of the scope's institutions is built only for prefectures' and counties' registrars,
-- whose physicians may be registered for the whole province. The same guard below.
CREATE POLICY region_read ON registration FOR SELECT TO regctl_registrar, regctl_analyst
    USING (region BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s)
           OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND institution IN (SELECT regctl_scope_institutions(current_user))));
CREATE POLICY region_insert ON registration FOR INSERT TO regctl_registrar
    WITH CHECK (region BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s)
                OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND institution IN (SELECT regctl_scope_institutions(current_user))));
CREATE POLICY region_update ON registration FOR UPDATE TO regctl_registrar
    USING (region BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s)
           OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND institution IN (SELECT regctl_scope_institutions(current_user))))
    WITH CHECK (region BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s)
                OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND institution IN (SELECT regctl_scope_institutions(current_user))));
CREATE POLICY hr_all ON registration TO regctl_hr
    USING (institution = (SELECT s.institution FROM regctl_scope(current_user) s))
    WITH CHECK (institution = (SELECT s.institution FROM regctl_scope(current_user) s));

-- Filings: at a host in scope (a filing's host lies in its registration's region, R-21, so this is
-- also every filing of a registration in scope); HR its institution's.
CREATE POLICY region_read ON filing FOR SELECT TO regctl_registrar, regctl_analyst
    USING (host_county BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s));
CREATE POLICY region_insert ON filing FOR INSERT TO regctl_registrar
    WITH CHECK (host_county BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s));
CREATE POLICY region_update ON filing FOR UPDATE TO regctl_registrar
    USING (host_county BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s))
    WITH CHECK (host_county BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s));
CREATE POLICY hr_all ON filing TO regctl_hr
    USING (institution = (SELECT s.institution FROM regctl_scope(current_user) s))
    WITH CHECK (institution = (SELECT s.institution FROM regctl_scope(current_user) s));

-- Studios, nurse registrations and nurse filings: at an institution in scope; HR its own. The first
-- test, the row's province against the scope, settles every row for a province's registrar (a
-- prefecture's or county's range holds no province code) without building the set of institutions.
CREATE POLICY region_read ON studio FOR SELECT TO regctl_registrar, regctl_analyst USING (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND host IN (SELECT regctl_scope_institutions(current_user))));
CREATE POLICY region_write ON studio FOR INSERT TO regctl_registrar WITH CHECK (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND host IN (SELECT regctl_scope_institutions(current_user))));
CREATE POLICY region_update ON studio FOR UPDATE TO regctl_registrar
    USING (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND host IN (SELECT regctl_scope_institutions(current_user)))) WITH CHECK (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND host IN (SELECT regctl_scope_institutions(current_user))));
CREATE POLICY hr_all ON studio TO regctl_hr
    USING (host = (SELECT s.institution FROM regctl_scope(current_user) s)) WITH CHECK (host = (SELECT s.institution FROM regctl_scope(current_user) s));

CREATE POLICY region_read ON nurse_registration FOR SELECT TO regctl_registrar, regctl_analyst USING (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND institution IN (SELECT regctl_scope_institutions(current_user))));
CREATE POLICY region_write ON nurse_registration FOR INSERT TO regctl_registrar WITH CHECK (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND institution IN (SELECT regctl_scope_institutions(current_user))));
CREATE POLICY region_update ON nurse_registration FOR UPDATE TO regctl_registrar
    USING (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND institution IN (SELECT regctl_scope_institutions(current_user)))) WITH CHECK (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND institution IN (SELECT regctl_scope_institutions(current_user))));
CREATE POLICY hr_all ON nurse_registration TO regctl_hr
    USING (institution = (SELECT s.institution FROM regctl_scope(current_user) s))
    WITH CHECK (institution = (SELECT s.institution FROM regctl_scope(current_user) s));

CREATE POLICY region_read ON nurse_filing FOR SELECT TO regctl_registrar, regctl_analyst
    USING (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND institution IN (SELECT regctl_scope_institutions(current_user))) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND nurse IN (SELECT r.nurse FROM nurse_registration r)));
CREATE POLICY region_write ON nurse_filing FOR INSERT TO regctl_registrar
    WITH CHECK (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND institution IN (SELECT regctl_scope_institutions(current_user))) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND nurse IN (SELECT r.nurse FROM nurse_registration r)));
CREATE POLICY region_update ON nurse_filing FOR UPDATE TO regctl_registrar
    USING (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND institution IN (SELECT regctl_scope_institutions(current_user))) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND nurse IN (SELECT r.nurse FROM nurse_registration r)))
    WITH CHECK (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND institution IN (SELECT regctl_scope_institutions(current_user))) OR ((SELECT s.low NOT LIKE '__0000' FROM regctl_scope(current_user) s) AND nurse IN (SELECT r.nurse FROM nurse_registration r)));
CREATE POLICY hr_all ON nurse_filing TO regctl_hr
    USING (institution = (SELECT s.institution FROM regctl_scope(current_user) s))
    WITH CHECK (institution = (SELECT s.institution FROM regctl_scope(current_user) s));

-- People: registrars every identity (they register people from anywhere); HR and analysts the
-- people they see practising (through the registrations and filings their own policies show them).
CREATE POLICY registrar_all ON physician TO regctl_registrar USING (true) WITH CHECK (true);
CREATE POLICY scoped_read ON physician FOR SELECT TO regctl_hr, regctl_analyst
    USING (id IN (SELECT r.physician FROM registration r) OR id IN (SELECT f.physician FROM filing f)
           OR id IN (SELECT s.physician FROM studio s));
CREATE POLICY hr_update ON physician FOR UPDATE TO regctl_hr
    USING (id IN (SELECT r.physician FROM registration r)) WITH CHECK (id IN (SELECT r.physician FROM registration r));
CREATE POLICY registrar_all ON nurse TO regctl_registrar USING (true) WITH CHECK (true);
CREATE POLICY scoped_read ON nurse FOR SELECT TO regctl_hr, regctl_analyst
    USING (id IN (SELECT r.nurse FROM nurse_registration r) OR id IN (SELECT f.nurse FROM nurse_filing f));

-- Credit records: penalties and blacklists are public (R-61). The rest: registrars and analysts read
-- and write their province's (the province of the subject's registration, recorded with the record);
-- HR reads those about its institution and the people registered there.
CREATE POLICY public_read ON credit_record FOR SELECT TO regctl_registrar, regctl_hr, regctl_analyst
    USING (kind IN ('penalty', 'blacklist'));
CREATE POLICY province_read ON credit_record FOR SELECT TO regctl_registrar, regctl_analyst
    USING (province = (SELECT s.province COLLATE "C" FROM regctl_scope(current_user) s) OR province IS NULL);
CREATE POLICY province_insert ON credit_record FOR INSERT TO regctl_registrar
    WITH CHECK (province = (SELECT s.province COLLATE "C" FROM regctl_scope(current_user) s) OR province IS NULL);
CREATE POLICY province_update ON credit_record FOR UPDATE TO regctl_registrar
    USING (province = (SELECT s.province COLLATE "C" FROM regctl_scope(current_user) s) OR province IS NULL)
    WITH CHECK (province = (SELECT s.province COLLATE "C" FROM regctl_scope(current_user) s) OR province IS NULL);
CREATE POLICY hr_read ON credit_record FOR SELECT TO regctl_hr
    USING (subject = (SELECT s.institution FROM regctl_scope(current_user) s) OR subject IN (SELECT r.physician FROM registration r)
           OR subject IN (SELECT r.nurse FROM nurse_registration r));

-- Staff: one's own account; registrars and analysts their region's staff (R-62 draws inspectors from them).
CREATE POLICY own_read ON staff FOR SELECT TO regctl_registrar, regctl_hr, regctl_analyst USING (id = current_user::text);
CREATE POLICY region_read ON staff FOR SELECT TO regctl_registrar, regctl_analyst
    USING (region BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s));

-- Events: each account appends its own and reads its own; admin reads all. No UPDATE or DELETE
-- policy exists, nor the privileges, and the trigger of 0002 refuses them for the owner too.
CREATE POLICY own_append ON event FOR INSERT TO regctl_admin, regctl_registrar, regctl_hr, regctl_analyst
    WITH CHECK (actor = current_user::text);
CREATE POLICY own_read ON event FOR SELECT TO regctl_registrar, regctl_hr, regctl_analyst USING (actor = current_user::text);
CREATE POLICY admin_read ON event FOR SELECT TO regctl_admin USING (true);

-- Pilots and province policies: everyone reads them (the rules do); registrars set them in their region.
CREATE POLICY all_read ON pilot FOR SELECT TO regctl_registrar, regctl_hr, regctl_analyst USING (true);
CREATE POLICY region_write ON pilot FOR INSERT TO regctl_registrar
    WITH CHECK (region BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s));
CREATE POLICY region_update ON pilot FOR UPDATE TO regctl_registrar
    USING (region BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s))
    WITH CHECK (region BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s));
CREATE POLICY all_read ON policy FOR SELECT TO regctl_registrar, regctl_hr, regctl_analyst USING (true);
CREATE POLICY region_write ON policy FOR INSERT TO regctl_registrar
    WITH CHECK (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s));
CREATE POLICY region_update ON policy FOR UPDATE TO regctl_registrar
    USING (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s))
    WITH CHECK (province BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope(current_user) s) AND (SELECT s.high COLLATE "C" FROM regctl_scope(current_user) s));

-- The columns the policies filter on, in the indexes the reports read (index-only scans stay so).
DROP INDEX registration_applied;
CREATE INDEX registration_applied ON registration (province, applied_on) INCLUDE (status, decided_on, institution, region);
CREATE INDEX studio_host_open ON studio (host) WHERE status = 'open';
-- The institutions of a scope, by range, without visiting the table (the policies' `IN (SELECT i.id …)`).
CREATE INDEX institution_region_id ON institution (region, id);
DROP INDEX institution_region;

-- Staff accounts without a role get one: those recorded before this migration, and rows written
-- by hand or by a bulk load (benchmarks). Without a password (an admin sets one: regctl staff password);
-- run by a superuser or an admin. Role statements of several databases of one cluster may collide
-- in the shared catalog: each is retried.
CREATE FUNCTION ensure_staff_roles() RETURNS integer LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    s record;
    n integer := 0;
BEGIN
    FOR s IN SELECT id, role, active FROM staff ORDER BY id LOOP
        FOR attempt IN 1..10 LOOP
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = s.id) THEN
                    EXECUTE format('CREATE ROLE %I NOLOGIN', s.id);
                    n := n + 1;
                END IF;
                IF NOT pg_has_role(s.id, 'regctl_' || s.role, 'MEMBER') THEN
                    EXECUTE format('GRANT %I TO %I', 'regctl_' || s.role, s.id);
                END IF;
                EXIT;
            EXCEPTION WHEN duplicate_object OR unique_violation OR internal_error THEN
                PERFORM pg_sleep(0.02 * attempt);
            END;
        END LOOP;
    END LOOP;
    RETURN n;
END $$;
REVOKE ALL ON FUNCTION ensure_staff_roles() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ensure_staff_roles() TO regctl_admin;
SELECT ensure_staff_roles();
