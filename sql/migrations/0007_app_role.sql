-- Access, part two (DOMAIN.md R-70 … R-72; README "Deploying for many users").
--
-- A staff member's own login reads its scope and writes nothing (R-70). Every write is a command:
-- regctl runs it on a login granted `regctl_app` (the operator's login on the database host, the
-- network service later) after the Swift rules decided, as one of four application roles, one per
-- kind of account:
--
--   regctl_app_admin | regctl_app_registrar | regctl_app_hr | regctl_app_analyst
--
-- each a member of its staff group (regctl_admin …), so it reads exactly what that kind reads under
-- the same row-level policies, and holds the writes that kind's commands make, bound again by
-- policies to the acting account's scope. The acting account is named for the transaction by
-- `SET LOCAL regctl.actor` together with `SET LOCAL ROLE regctl_app_<kind>` (Handler.act): only a
-- session whose login is a member of regctl_app may name it (regctl_actor below); a staff login is
-- always itself, whatever it sets.
--
-- No staff or group role has CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS, a predefined pg_* role or
-- a path to one: accounts are made by `regctl_account_login`, a definer function owned by the
-- NOLOGIN role regctl_roles (the only holder of CREATEROLE, granted to nobody) and executable by
-- regctl_app_admin alone. Events are stamped by the database (time, actor) and chained by SHA-256
-- (regctl_seal_events), so that a missing or altered one is found (regctl events verify).

-- Roles ------------------------------------------------------------------------------------------

DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['regctl_app', 'regctl_app_admin', 'regctl_app_registrar', 'regctl_app_hr', 'regctl_app_analyst',
                             'regctl_roles', 'regctl_chain'] LOOP
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- created meanwhile by a migration of another database of the cluster
        END;
    END LOOP;
END $$;

-- regctl_app holds nothing itself but the right to become an application role (and to record a
-- refusal's event); NOINHERIT, so a login granted it has none of their privileges until it acts.
ALTER ROLE regctl_app NOLOGIN NOINHERIT NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS;
ALTER ROLE regctl_roles NOLOGIN CREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS;
ALTER ROLE regctl_chain NOLOGIN NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS;
DO $$
DECLARE k text;
BEGIN
    FOREACH k IN ARRAY ARRAY['admin', 'registrar', 'hr', 'analyst'] LOOP
        EXECUTE format('ALTER ROLE %I NOLOGIN INHERIT NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS', 'regctl_app_' || k);
        EXECUTE format('ALTER ROLE %I NOLOGIN NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS', 'regctl_' || k);
        IF NOT pg_has_role('regctl_app_' || k, 'regctl_' || k, 'MEMBER') THEN
            EXECUTE format('GRANT %I TO %I', 'regctl_' || k, 'regctl_app_' || k);
        END IF;
        IF NOT pg_has_role('regctl_app', 'regctl_app_' || k, 'MEMBER') THEN
            EXECUTE format('GRANT %I TO regctl_app', 'regctl_app_' || k);
        END IF;
    END LOOP;
END $$;

-- Staff logins made before this migration: admins had CREATEROLE. Every staff login keeps exactly its
-- group and no attribute that reaches further; memberships it gained otherwise (a pg_* role granted
-- through CREATEROLE) are revoked.
DO $$
DECLARE m record;
BEGIN
    FOR m IN SELECT DISTINCT u.rolname FROM pg_auth_members a JOIN pg_roles u ON u.oid = a.member JOIN pg_roles g ON g.oid = a.roleid
             WHERE g.rolname IN ('regctl_admin', 'regctl_registrar', 'regctl_hr', 'regctl_analyst')
               AND u.rolname NOT LIKE 'regctl\_%' AND NOT u.rolsuper LOOP
        EXECUTE format('ALTER ROLE %I NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS', m.rolname);
    END LOOP;
    FOR m IN SELECT u.rolname AS member, g.rolname AS grp FROM pg_auth_members a JOIN pg_roles u ON u.oid = a.member JOIN pg_roles g ON g.oid = a.roleid
             WHERE NOT u.rolsuper AND u.rolname NOT LIKE 'regctl\_%' AND g.rolname NOT IN ('regctl_admin', 'regctl_registrar', 'regctl_hr', 'regctl_analyst', 'regctl_app')
               AND EXISTS (SELECT 1 FROM pg_auth_members a2 JOIN pg_roles g2 ON g2.oid = a2.roleid
                           WHERE a2.member = u.oid AND g2.rolname IN ('regctl_admin', 'regctl_registrar', 'regctl_hr', 'regctl_analyst')) LOOP
        EXECUTE format('REVOKE %I FROM %I', m.grp, m.member);
    END LOOP;
END $$;

-- Who acts -----------------------------------------------------------------------------------------

-- The account the current statement acts for: on a session whose login may run regctl for others
-- (a member of regctl_app; a superuser is), the account named by `regctl.actor` for the transaction,
-- else the superuser login itself (the installation's own admin); on any other session (a staff
-- login), the login itself, whatever it sets. Policies and the functions below take no argument
-- naming an account: they ask this.
CREATE FUNCTION regctl_actor() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN pg_has_role(session_user, 'regctl_app', 'MEMBER')
                THEN coalesce(nullif(current_setting('regctl.actor', true), ''),
                              (SELECT session_user::text FROM pg_roles WHERE rolname = session_user AND rolsuper))
                ELSE session_user::text END
$$;

-- Everything that called the account-naming functions of 0006 goes; it is made again below.
DO $$
DECLARE p record;
BEGIN
    FOR p IN SELECT policyname, tablename FROM pg_policies WHERE schemaname = 'public' LOOP
        EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename);
    END LOOP;
END $$;
DROP VIEW physician_v;
DROP VIEW nurse_v;
DROP FUNCTION regctl_sees_person(name, uuid);
DROP FUNCTION regctl_sees_full_id(name, uuid);
DROP FUNCTION regctl_scope_institutions(name);
DROP FUNCTION regctl_scope(name);
REVOKE ALL ON FUNCTION ensure_staff_roles() FROM regctl_admin;

-- The acting account's scope: its kind; for registrars and analysts the range of region codes it
-- covers (`330000` → 330000…339999, `330100` → 330100…330199, a county itself: RegionCode.covers —
-- the SQL copy of that rule, tested against the same cases in RoleMatrixTests) and its province; for
-- HR its institution. Inactive accounts have none; a superuser without an account is admin.
-- PL/pgSQL (its plan is kept for the session), PARALLEL SAFE (reports keep their workers).
CREATE FUNCTION regctl_scope()
RETURNS TABLE (kind text, low char(6), high char(6), province char(6), institution uuid)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE who text := regctl_actor();
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
        FROM staff s WHERE s.id = who AND s.active;
    IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM staff s WHERE s.id = who) THEN
        RETURN QUERY SELECT 'admin'::text, NULL::char(6), NULL::char(6), NULL::char(6), NULL::uuid
            FROM pg_roles r WHERE r.rolname = who AND r.rolsuper;
    END IF;
END $$;

-- The institutions of the acting registrar's or analyst's scope, through the region index.
CREATE FUNCTION regctl_scope_institutions() RETURNS SETOF uuid LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE sc record;
BEGIN
    SELECT * INTO sc FROM regctl_scope();
    RETURN QUERY SELECT i.id FROM institution i WHERE i.region BETWEEN sc.low AND sc.high;
END $$;

-- R-70 for decisions (the SQL copy of Access.requireRegion, tested against one table of cases):
-- admin, or a registrar whose range covers the region.
CREATE FUNCTION regctl_may_decide(region char(6)) RETURNS boolean LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE sc record;
BEGIN
    SELECT * INTO sc FROM regctl_scope();
    RETURN coalesce(sc.kind = 'admin' OR (sc.kind = 'registrar' AND region BETWEEN sc.low AND sc.high), false);
END $$;

-- Whether the acting account sees a person (HR: who practises at its institution; registrars and
-- analysts: who is registered in their region; admin: everyone), and whether it reads the ID number
-- in full (R-72: admin, and registrars of one of the person's regions; the SQL copy of
-- Access.seesFullIDNumber). One scope look-up for both.
CREATE FUNCTION regctl_person_access(person uuid, OUT sees boolean, OUT full_id boolean) LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE sc record;
BEGIN
    SELECT * INTO sc FROM regctl_scope();
    CASE sc.kind
        WHEN 'admin' THEN sees := true; full_id := true;
        WHEN 'registrar' THEN sees := regctl_registered_in(person, sc.low, sc.high); full_id := sees;
        WHEN 'analyst' THEN sees := regctl_registered_in(person, sc.low, sc.high); full_id := false;
        WHEN 'hr' THEN
            sees := EXISTS (SELECT 1 FROM registration WHERE physician = person AND institution = sc.institution)
                 OR EXISTS (SELECT 1 FROM filing WHERE physician = person AND institution = sc.institution AND status = 'active')
                 OR EXISTS (SELECT 1 FROM studio WHERE physician = person AND host = sc.institution)
                 OR EXISTS (SELECT 1 FROM nurse_registration WHERE nurse = person AND institution = sc.institution)
                 OR EXISTS (SELECT 1 FROM nurse_filing WHERE nurse = person AND institution = sc.institution);
            full_id := false;
        ELSE sees := false; full_id := false;
    END CASE;
END $$;

-- A person's ID number and birth date as the acting account may read them (R-72): in full, or the
-- number masked to its first 6 and last 4 characters and the birth date to its year. Nothing at
-- all for a person outside the account's scope, so that it answers nothing a row-level policy hides.
CREATE FUNCTION regctl_identity(person uuid) RETURNS TABLE (id_number text, birth_date date, birth_year integer)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE a record; n text; b date;
BEGIN
    a := regctl_person_access(person);
    IF NOT a.sees THEN RETURN; END IF;
    SELECT p.id_number, p.birth_date INTO n, b FROM physician p WHERE p.id = person;
    IF NOT FOUND THEN
        SELECT p.id_number, p.birth_date INTO n, b FROM nurse p WHERE p.id = person;
        IF NOT FOUND THEN RETURN; END IF;
    END IF;
    IF a.full_id THEN
        RETURN QUERY SELECT n, b, extract(year FROM b)::integer;
    ELSE
        RETURN QUERY SELECT left(n, 6) || '********' || right(n, 4), NULL::date, extract(year FROM b)::integer;
    END IF;
END $$;

-- The masked forms, kept with each person (R-72): what every reader but admin and the person's
-- registrars reads, straight from the row.
ALTER TABLE physician ADD COLUMN id_number_masked text GENERATED ALWAYS AS (left(id_number, 6) || '********' || right(id_number, 4)) STORED,
                      ADD COLUMN birth_year integer GENERATED ALWAYS AS (extract(year FROM birth_date)::integer) STORED;
ALTER TABLE nurse ADD COLUMN id_number_masked text GENERATED ALWAYS AS (left(id_number, 6) || '********' || right(id_number, 4)) STORED,
                  ADD COLUMN birth_year integer GENERATED ALWAYS AS (extract(year FROM birth_date)::integer) STORED;

-- The people as the reader may see them. security_invoker: the rows are the reader's (the policies on
-- physician and nurse below). HR and analysts read the masked number from the row; for admin and
-- registrars (an init plan decides, once per query) regctl_identity gives the full number and birth
-- date where the reader may have them.
CREATE VIEW physician_v WITH (security_invoker = true) AS
    SELECT p.id, coalesce(x.id_number, p.id_number_masked) AS id_number, p.name, p.sex, x.birth_date, p.birth_year, p.qualification_no,
           p.level, p.category, p.status, p.status_on, p.certificate_no, p.created_at
    FROM physician p
    LEFT JOIN LATERAL (SELECT * FROM regctl_identity(p.id) WHERE (SELECT s.kind IN ('admin', 'registrar') FROM regctl_scope() s)) x ON true;
CREATE VIEW nurse_v WITH (security_invoker = true) AS
    SELECT n.id, coalesce(x.id_number, n.id_number_masked) AS id_number, n.name, n.sex, x.birth_date, n.birth_year, n.qualification_no,
           n.status, n.created_at
    FROM nurse n
    LEFT JOIN LATERAL (SELECT * FROM regctl_identity(n.id) WHERE (SELECT s.kind IN ('admin', 'registrar') FROM regctl_scope() s)) x ON true;

-- Facts across scopes, for the application roles only, with bounded arrays ------------------------

CREATE FUNCTION regctl_bounded(n integer) RETURNS void LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF n > 50000 THEN
        RAISE EXCEPTION 'at most 50000 keys per call (got %)', n USING ERRCODE = 'program_limit_exceeded';
    END IF;
END $$;

CREATE OR REPLACE FUNCTION regctl_physicians(ids uuid[], id_numbers text[])
RETURNS TABLE (id uuid, id_number text, name text, birth_date date, certificate_no text, level text, category text, status text,
               qualification_no text)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    PERFORM regctl_bounded(coalesce(cardinality(ids), 0) + coalesce(cardinality(id_numbers), 0));
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
CREATE OR REPLACE FUNCTION regctl_nurses(ids uuid[], id_numbers text[])
RETURNS TABLE (id uuid, id_number text, name text, status text)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    PERFORM regctl_bounded(coalesce(cardinality(ids), 0) + coalesce(cardinality(id_numbers), 0));
    IF cardinality(ids) > 0 THEN
        RETURN QUERY SELECT n.id, left(n.id_number, 6) || '********' || right(n.id_number, 4), n.name, n.status
        FROM nurse n WHERE n.id = ANY(ids);
    END IF;
    IF cardinality(id_numbers) > 0 THEN
        RETURN QUERY SELECT n.id, n.id_number::text, n.name, n.status FROM nurse n WHERE n.id_number = ANY(id_numbers::bpchar[]);
    END IF;
END $$;
CREATE OR REPLACE FUNCTION regctl_institutions(ids uuid[], usccs text[])
RETURNS TABLE (id uuid, uscc text, name text, region text, category text, ownership text, status text,
               license_no text, for_profit boolean, beds integer)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    PERFORM regctl_bounded(coalesce(cardinality(ids), 0) + coalesce(cardinality(usccs), 0));
    IF cardinality(ids) > 0 THEN
        RETURN QUERY SELECT i.id, i.uscc::text, i.name, i.region::text, i.category, i.ownership, i.status, i.license_no, i.for_profit, i.beds
        FROM institution i WHERE i.id = ANY(ids);
    END IF;
    IF cardinality(usccs) > 0 THEN
        RETURN QUERY SELECT i.id, i.uscc::text, i.name, i.region::text, i.category, i.ownership, i.status, i.license_no, i.for_profit, i.beds
        FROM institution i WHERE i.uscc = ANY(usccs::bpchar[]);
    END IF;
END $$;
CREATE OR REPLACE FUNCTION regctl_registrations(physicians uuid[], ids uuid[])
RETURNS TABLE (id uuid, physician uuid, region text, institution uuid, institution_county text, institution_category text,
               institution_ownership text, category text, status text, scopes text[], is_home boolean, applied_on date,
               effective_on date, leave_since date, cancelled_on date, cancel_reason text)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    PERFORM regctl_bounded(coalesce(cardinality(physicians), 0) + coalesce(cardinality(ids), 0));
    RETURN QUERY SELECT r.id, r.physician, r.region::text, r.institution, i.region::text, i.category, i.ownership, r.category, r.status,
           r.scopes, r.is_home, r.applied_on, r.effective_on, r.leave_since, r.cancelled_on, r.cancel_reason
    FROM registration r JOIN institution i ON i.id = r.institution
    WHERE r.id IN (SELECT x.id FROM registration x WHERE x.physician = ANY(physicians)
                   UNION SELECT unnest(ids))
    ORDER BY r.applied_on, r.id;
END $$;
CREATE OR REPLACE FUNCTION regctl_nurse_registrations(nurses uuid[], ids uuid[])
RETURNS TABLE (id uuid, nurse uuid, institution uuid, county text, status text, regional boolean, expires_on date, applied_on date)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    PERFORM regctl_bounded(coalesce(cardinality(nurses), 0) + coalesce(cardinality(ids), 0));
    RETURN QUERY SELECT r.id, r.nurse, r.institution, i.region::text, r.status, r.regional, r.expires_on, r.applied_on
    FROM nurse_registration r JOIN institution i ON i.id = r.institution
    WHERE r.id IN (SELECT x.id FROM nurse_registration x WHERE x.nurse = ANY(nurses)
                   UNION SELECT unnest(ids))
    ORDER BY r.applied_on, r.id;
END $$;
CREATE OR REPLACE FUNCTION regctl_active_filings(physicians uuid[])
RETURNS TABLE (id uuid, contract_no text, valid_from date, valid_to date, institution uuid, physician uuid)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    PERFORM regctl_bounded(cardinality(physicians));
    RETURN QUERY SELECT f.id, f.contract_no, f.valid_from, f.valid_to, f.institution, f.physician
    FROM filing f WHERE f.physician = ANY(physicians) AND f.status = 'active'
    ORDER BY f.physician, f.valid_from, f.id;
END $$;
CREATE OR REPLACE FUNCTION regctl_active_nurse_filings(nurses uuid[])
RETURNS TABLE (id uuid, contract_no text, valid_from date, valid_to date, institution uuid, nurse uuid, registration uuid)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    PERFORM regctl_bounded(cardinality(nurses));
    RETURN QUERY SELECT f.id, f.contract_no, f.valid_from, f.valid_to, f.institution, f.nurse, f.registration
    FROM nurse_filing f WHERE f.nurse = ANY(nurses) AND f.status = 'active'
    ORDER BY f.nurse, f.valid_from, f.id;
END $$;
CREATE OR REPLACE FUNCTION regctl_credit(subjects uuid[], of_kind text)
RETURNS TABLE (subject uuid, kind text, decided_on date, until date, lifted_on date)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    PERFORM regctl_bounded(cardinality(subjects));
    RETURN QUERY SELECT c.subject, c.kind, c.decided_on, c.until, c.lifted_on FROM credit_record c
    WHERE c.subject = ANY(subjects) AND (of_kind IS NULL OR c.kind = of_kind)
    ORDER BY c.subject, c.decided_on, c.id;
END $$;
CREATE OR REPLACE FUNCTION regctl_holdings(subjects uuid[], live text[], live_nurse text[])
RETURNS TABLE (subject uuid, what integer, n bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM regctl_bounded(cardinality(subjects));
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
CREATE OR REPLACE FUNCTION regctl_lock(what text, ids uuid[]) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM regctl_bounded(cardinality(ids));
    CASE what
        WHEN 'physician' THEN PERFORM 1 FROM physician WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
        WHEN 'nurse' THEN PERFORM 1 FROM nurse WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
        WHEN 'institution' THEN PERFORM 1 FROM institution WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
        WHEN 'registration' THEN PERFORM 1 FROM registration WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
        WHEN 'nurse_registration' THEN PERFORM 1 FROM nurse_registration WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
        ELSE RAISE EXCEPTION 'regctl_lock: unknown record kind %', what;
    END CASE;
END $$;
CREATE OR REPLACE FUNCTION regctl_public_practice(ids uuid[])
RETURNS TABLE (physician uuid, role text, institution text, region text, practice_region text, scopes text, status text, since date, until date)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    PERFORM regctl_bounded(cardinality(ids));
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

-- Derived columns, derived: never what a writer sends -------------------------------------------

-- A registration's province and practice region come from its institution (R-10: a physician's
-- region is the institution's province, an assistant's its county); a studio's and a nurse
-- registration's or filing's province from the institution (a filing's: a check, below).
CREATE FUNCTION regctl_derive_province() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE county char(6); lvl text;
BEGIN
    CASE TG_TABLE_NAME
        WHEN 'registration' THEN
            SELECT i.region INTO county FROM institution i WHERE i.id = NEW.institution;
            SELECT p.level INTO lvl FROM physician p WHERE p.id = NEW.physician;
            NEW.province := left(county, 2) || '0000';
            NEW.region := CASE WHEN lvl = 'assistant' THEN county ELSE NEW.province END;
        WHEN 'studio' THEN
            SELECT i.region INTO county FROM institution i WHERE i.id = NEW.host;
            NEW.province := left(county, 2) || '0000';
        ELSE  -- nurse_registration, nurse_filing
            SELECT i.region INTO county FROM institution i WHERE i.id = NEW.institution;
            NEW.province := left(county, 2) || '0000';
    END CASE;
    RETURN NEW;
END $$;
CREATE TRIGGER a_derive BEFORE INSERT OR UPDATE OF province, region, institution, physician ON registration
    FOR EACH ROW EXECUTE FUNCTION regctl_derive_province();
CREATE TRIGGER a_derive BEFORE INSERT OR UPDATE OF province, host ON studio
    FOR EACH ROW EXECUTE FUNCTION regctl_derive_province();
-- A filing's province is its host's, whose county the filing carries (kept equal by its foreign key):
-- a check, not a trigger, since imports write filings by the hundred thousand.
ALTER TABLE filing ADD CONSTRAINT filing_province_is_hosts CHECK (province = left(host_county, 2) || '0000');
CREATE TRIGGER a_derive BEFORE INSERT OR UPDATE OF province, institution ON nurse_registration
    FOR EACH ROW EXECUTE FUNCTION regctl_derive_province();
CREATE TRIGGER a_derive BEFORE INSERT OR UPDATE OF province, institution ON nurse_filing
    FOR EACH ROW EXECUTE FUNCTION regctl_derive_province();

-- A decision on an application (pending → anything else, or a row written already decided) is
-- made by whom R-70 lets decide (regctl_may_decide over the registration's region, or the nurse
-- registration's institution's county), and `decided_by` is that account, whatever was sent.
CREATE FUNCTION regctl_check_decision() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE region char(6);
BEGIN
    IF NEW.status = 'pending' OR (TG_OP = 'UPDATE' AND OLD.status <> 'pending') THEN
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME = 'registration' THEN
        region := NEW.region;
    ELSE
        SELECT i.region INTO region FROM institution i WHERE i.id = NEW.institution;
    END IF;
    IF NOT regctl_may_decide(region) THEN
        RAISE EXCEPTION 'only an admin or a registrar of region % decides this application', region USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.decided_by := regctl_actor();
    RETURN NEW;
END $$;
CREATE TRIGGER b_decision BEFORE INSERT OR UPDATE OF status, decided_by ON registration
    FOR EACH ROW EXECUTE FUNCTION regctl_check_decision();
CREATE TRIGGER b_decision BEFORE INSERT OR UPDATE OF status, decided_by ON nurse_registration
    FOR EACH ROW EXECUTE FUNCTION regctl_check_decision();

-- Staff accounts' logins, through the schema owner's path alone -----------------------------------

-- Makes (or takes over, when another database of the cluster made it) the login of a staff account
-- recorded in `staff`: a plain role, member of exactly its kind's group, with the SCRAM verifier
-- given (never a clear password), enabled or not. Refuses any name that is not an account id, any
-- existing role that is more than a plain login (superuser, CREATEROLE …, member of another role, or
-- a role others are members of). Owned by regctl_roles, the one role with CREATEROLE, which no one
-- is granted; executable by regctl_app_admin alone.
CREATE FUNCTION regctl_account_login(account text, verifier text, enabled boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r record;
    kind text;
    groups text[] := ARRAY['regctl_admin', 'regctl_registrar', 'regctl_hr', 'regctl_analyst'];
    g text;
BEGIN
    IF account IS NULL OR account !~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' OR lower(account) LIKE 'regctl\_%' OR lower(account) LIKE 'pg\_%'
       OR lower(account) IN ('public', 'none', 'current_user', 'session_user', 'current_role') THEN
        RAISE EXCEPTION 'not an account id: %', account USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT s.role INTO kind FROM public.staff s WHERE s.id = account;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no staff account %', account USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF verifier IS NOT NULL AND verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' THEN
        RAISE EXCEPTION 'a password reaches the server only as a SCRAM-SHA-256 verifier' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO r FROM pg_roles WHERE rolname = account;
    IF FOUND THEN
        IF r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls
           OR EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles x ON x.oid = m.roleid WHERE m.member = r.oid AND x.rolname <> ALL (groups))
           OR EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = r.oid) THEN
            RAISE EXCEPTION 'role % exists and is more than a staff login', account USING ERRCODE = 'RGX01';
        END IF;
    ELSE
        EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT', account);
    END IF;
    FOREACH g IN ARRAY groups LOOP
        IF g <> 'regctl_' || kind AND pg_has_role(account, g, 'MEMBER') THEN
            EXECUTE format('REVOKE %I FROM %I', g, account);
        END IF;
    END LOOP;
    IF NOT pg_has_role(account, 'regctl_' || kind, 'MEMBER') THEN
        EXECUTE format('GRANT %I TO %I', 'regctl_' || kind, account);
    END IF;
    IF verifier IS NOT NULL THEN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', account, verifier);
    END IF;
    EXECUTE format('ALTER ROLE %I %s', account, CASE WHEN enabled THEN 'LOGIN' ELSE 'NOLOGIN' END);
END $$;

-- The event log: stamped by the database, bounded, chained ------------------------------------------

-- The studios of a person, for the policy above (a look-up by physician read every studio).
CREATE INDEX studio_physician ON studio (physician);
-- People by name in list order (name, id): `physician list --name` of a common name otherwise walks the
-- primary key in id order, filtering 4.5 million rows to fill a page.
CREATE INDEX physician_name_id ON physician (name, id);
DROP INDEX physician_name;
CREATE INDEX nurse_name_id ON nurse (name, id);
DROP INDEX nurse_name;

ALTER TABLE event ADD COLUMN seq bigint, ADD COLUMN hash bytea;
CREATE UNIQUE INDEX event_seq ON event (seq) WHERE seq IS NOT NULL;  -- no entry for an event until it is sealed
CREATE INDEX event_unsealed ON event (at, id) WHERE seq IS NULL;

-- Events are written by the application roles naming only their content: the time is the
-- database's clock (the column's default; no role may write `at`, `seq` or `hash`, column
-- privileges below), the actor must be the account acting (the policy app_append), and the
-- arguments are bounded: regctl cuts a value over 1 KiB (Arguments.bounded), the database refuses
-- more than 64 arguments or a value over 8 KiB of JSON. NOT VALID: events already written stay as
-- they are (nobody may change an event).
CREATE FUNCTION regctl_arguments_fit(a jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT jsonb_typeof(a) = 'object'
       AND (SELECT count(*) <= 64 AND coalesce(max(octet_length(key) + octet_length(value::text)), 0) <= 8192 FROM jsonb_each(a))
$$;
ALTER TABLE event ALTER COLUMN at SET DEFAULT clock_timestamp();
ALTER TABLE event ADD CONSTRAINT event_arguments_bounded CHECK (octet_length(arguments::text) <= 1024 OR regctl_arguments_fit(arguments)) NOT VALID;

-- Append-only, but for the sealer's one change: giving an unsealed event its place and hash.
CREATE OR REPLACE FUNCTION event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_user = 'regctl_chain' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL
       AND (NEW.id, NEW.at, NEW.actor, NEW.command, NEW.arguments, NEW.outcome, NEW.error_code, NEW.subjects, NEW.details)
           IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor, OLD.command, OLD.arguments, OLD.outcome, OLD.error_code, OLD.subjects, OLD.details) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'events are append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

-- The canonical content an event's hash covers: a JSON array of its fields (jsonb's text is
-- canonical: keys ordered, no insignificant space), its time in UTC to the microsecond.
CREATE FUNCTION regctl_event_canonical(e event) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_array(e.id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), e.actor, e.command, e.arguments,
                             e.outcome, e.error_code, e.subjects, e.details)::text
$$;

-- Seals committed events into the chain, oldest first: hash(n) = SHA-256(hash(n-1) || content(n)),
-- hash(0) empty. One sealer at a time (an advisory lock, tried: a command never waits for it); an
-- event still in an open transaction is sealed by a later run. Returns how many it sealed.
CREATE FUNCTION regctl_seal_events(max_rows integer DEFAULT 10000) RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    last_seq bigint;
    last_hash bytea;
    e event;
    n integer := 0;
BEGIN
    IF NOT pg_try_advisory_xact_lock(717100001) THEN RETURN 0; END IF;
    SELECT x.seq, x.hash INTO last_seq, last_hash FROM event x WHERE x.seq IS NOT NULL ORDER BY x.seq DESC LIMIT 1;
    last_seq := coalesce(last_seq, 0);
    last_hash := coalesce(last_hash, ''::bytea);
    FOR e IN SELECT * FROM event x WHERE x.seq IS NULL ORDER BY x.at, x.id LIMIT least(max_rows, 100000) LOOP
        last_seq := last_seq + 1;
        last_hash := sha256(last_hash || convert_to(regctl_event_canonical(e), 'UTF8'));
        UPDATE event SET seq = last_seq, hash = last_hash WHERE id = e.id;
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;

-- Policies ---------------------------------------------------------------------------------------
-- Reads: TO the staff groups (and so to the application role of the same kind, a member). Writes: TO
-- the application roles. The scope's bounds are compared COLLATE "C" as filters, never index
-- conditions (0006 says why); each scope call is a scalar subquery, run once per query.

DO $$
DECLARE
    inr  text := ' BETWEEN (SELECT s.low COLLATE "C" FROM regctl_scope() s) AND (SELECT s.high COLLATE "C" FROM regctl_scope() s)';
    sub  text := '(SELECT s.low NOT LIKE ''__0000'' FROM regctl_scope() s)';
    mine text := '(SELECT s.institution FROM regctl_scope() s)';
    prov text := '(SELECT s.province COLLATE "C" FROM regctl_scope() s)';
    t text;
    -- a row in a registrar's or analyst's region: its column in range, or (below a province, whose
    -- physicians register for the whole province) its institution among the scope's
    regional text;
BEGIN
    FOREACH t IN ARRAY ARRAY['institution', 'physician', 'nurse', 'registration', 'filing', 'studio', 'nurse_registration',
                             'nurse_filing', 'credit_record', 'staff', 'pilot', 'policy', 'event'] LOOP
        EXECUTE format('CREATE POLICY admin_read ON %I FOR SELECT TO regctl_admin USING (true)', t);
        EXECUTE format('CREATE POLICY facts_read ON %I FOR SELECT TO regctl_facts, regctl_roles USING (true)', t);
        IF t <> 'event' THEN
            EXECUTE format('CREATE POLICY app_admin ON %I FOR ALL TO regctl_app_admin USING (true) WITH CHECK (true)', t);
        END IF;
    END LOOP;
    FOREACH t IN ARRAY ARRAY['physician', 'nurse', 'institution', 'registration', 'nurse_registration'] LOOP
        EXECUTE format('CREATE POLICY facts_lock ON %I FOR UPDATE TO regctl_facts USING (true) WITH CHECK (false)', t);
    END LOOP;

    -- Institutions: registrars and analysts their region's; HR its own.
    EXECUTE 'CREATE POLICY region_read ON institution FOR SELECT TO regctl_registrar, regctl_analyst USING (region' || inr || ')';
    EXECUTE 'CREATE POLICY hr_read ON institution FOR SELECT TO regctl_hr USING (id = ' || mine || ')';
    EXECUTE 'CREATE POLICY app_registrar_insert ON institution FOR INSERT TO regctl_app_registrar WITH CHECK (region' || inr || ')';
    EXECUTE 'CREATE POLICY app_registrar_update ON institution FOR UPDATE TO regctl_app_registrar USING (region' || inr || ') WITH CHECK (region' || inr || ')';

    -- Registrations, studios, nurse registrations: in the region (their region or province), or at an
    -- institution of the scope; HR its institution's.
    FOREACH t IN ARRAY ARRAY['registration:region:institution', 'studio:province:host', 'nurse_registration:province:institution'] LOOP
        regional := format('(%s%s OR (%s AND %s IN (SELECT regctl_scope_institutions())))', split_part(t, ':', 2), inr, sub, split_part(t, ':', 3));
        EXECUTE format('CREATE POLICY region_read ON %I FOR SELECT TO regctl_registrar, regctl_analyst USING %s', split_part(t, ':', 1), regional);
        EXECUTE format('CREATE POLICY hr_read ON %I FOR SELECT TO regctl_hr USING (%s = %s)', split_part(t, ':', 1), split_part(t, ':', 3), mine);
        EXECUTE format('CREATE POLICY app_registrar_insert ON %I FOR INSERT TO regctl_app_registrar WITH CHECK %s', split_part(t, ':', 1), regional);
        EXECUTE format('CREATE POLICY app_registrar_update ON %I FOR UPDATE TO regctl_app_registrar USING %s WITH CHECK %s', split_part(t, ':', 1), regional, regional);
        EXECUTE format('CREATE POLICY app_hr ON %I FOR ALL TO regctl_app_hr USING (%2$s = %3$s) WITH CHECK (%2$s = %3$s)', split_part(t, ':', 1), split_part(t, ':', 3), mine);
    END LOOP;

    -- Filings: at a host in scope (a filing's host lies in its registration's region, R-21); nurse
    -- filings also those of the scope's regional nurses; HR its institution's.
    EXECUTE 'CREATE POLICY region_read ON filing FOR SELECT TO regctl_registrar, regctl_analyst USING (host_county' || inr || ')';
    EXECUTE 'CREATE POLICY app_registrar_insert ON filing FOR INSERT TO regctl_app_registrar WITH CHECK (host_county' || inr || ')';
    EXECUTE 'CREATE POLICY app_registrar_update ON filing FOR UPDATE TO regctl_app_registrar USING (host_county' || inr || ') WITH CHECK (host_county' || inr || ')';
    regional := format('(province%s OR (%s AND institution IN (SELECT regctl_scope_institutions())) OR (%s AND nurse IN (SELECT r.nurse FROM nurse_registration r)))', inr, sub, sub);
    EXECUTE 'CREATE POLICY region_read ON nurse_filing FOR SELECT TO regctl_registrar, regctl_analyst USING ' || regional;
    EXECUTE 'CREATE POLICY app_registrar_insert ON nurse_filing FOR INSERT TO regctl_app_registrar WITH CHECK ' || regional;
    EXECUTE 'CREATE POLICY app_registrar_update ON nurse_filing FOR UPDATE TO regctl_app_registrar USING ' || regional || ' WITH CHECK ' || regional;
    FOREACH t IN ARRAY ARRAY['filing', 'nurse_filing'] LOOP
        EXECUTE format('CREATE POLICY hr_read ON %I FOR SELECT TO regctl_hr USING (institution = %s)', t, mine);
        EXECUTE format('CREATE POLICY app_hr ON %I FOR ALL TO regctl_app_hr USING (institution = %2$s) WITH CHECK (institution = %2$s)', t, mine);
    END LOOP;

    -- People: those who practise in the scope (registrations, filings and studios the reader's own
    -- policies show it). A registrar records new identities (anyone may come to register) and
    -- changes its own people; HR records the retirement of its physicians (with a leave).
    -- Correlated EXISTS, each kept a per-row probe by OFFSET 0 (else the planner may hash it): a look-up
    -- or a page of a list probes each person's few rows by index, where an IN, or a hashed EXISTS,
    -- reads every registration, filing and studio of the scope to build its set first (a second per
    -- physician list at national scale).
    EXECUTE 'CREATE POLICY scoped_read ON physician FOR SELECT TO regctl_registrar, regctl_analyst, regctl_hr
             USING (EXISTS (SELECT 1 FROM registration r WHERE r.physician = physician.id OFFSET 0)
                    OR EXISTS (SELECT 1 FROM filing f WHERE f.physician = physician.id AND f.status = ''active'' OFFSET 0)
                    OR EXISTS (SELECT 1 FROM studio s WHERE s.physician = physician.id OFFSET 0))';
    EXECUTE 'CREATE POLICY app_registrar_insert ON physician FOR INSERT TO regctl_app_registrar WITH CHECK (true)';
    EXECUTE 'CREATE POLICY app_registrar_update ON physician FOR UPDATE TO regctl_app_registrar
             USING (EXISTS (SELECT 1 FROM registration r WHERE r.physician = physician.id)) WITH CHECK (true)';
    EXECUTE 'CREATE POLICY app_hr_update ON physician FOR UPDATE TO regctl_app_hr
             USING (EXISTS (SELECT 1 FROM registration r WHERE r.physician = physician.id)) WITH CHECK (true)';
    EXECUTE 'CREATE POLICY scoped_read ON nurse FOR SELECT TO regctl_registrar, regctl_analyst, regctl_hr
             USING (EXISTS (SELECT 1 FROM nurse_registration r WHERE r.nurse = nurse.id OFFSET 0)
                    OR EXISTS (SELECT 1 FROM nurse_filing f WHERE f.nurse = nurse.id OFFSET 0))';
    EXECUTE 'CREATE POLICY app_registrar_insert ON nurse FOR INSERT TO regctl_app_registrar WITH CHECK (true)';
    EXECUTE 'CREATE POLICY app_registrar_update ON nurse FOR UPDATE TO regctl_app_registrar
             USING (EXISTS (SELECT 1 FROM nurse_registration r WHERE r.nurse = nurse.id)) WITH CHECK (true)';

    -- Credit records: penalties and blacklists are public (R-61); registrars and analysts read their
    -- province's (and those of no province, which an admin recorded); HR those about its institution
    -- and its people. A registrar records its own province's only.
    EXECUTE 'CREATE POLICY public_read ON credit_record FOR SELECT TO regctl_registrar, regctl_hr, regctl_analyst USING (kind IN (''penalty'', ''blacklist''))';
    EXECUTE 'CREATE POLICY province_read ON credit_record FOR SELECT TO regctl_registrar, regctl_analyst USING (province = ' || prov || ' OR province IS NULL)';
    EXECUTE 'CREATE POLICY hr_read ON credit_record FOR SELECT TO regctl_hr
             USING (subject = ' || mine || ' OR subject IN (SELECT r.physician FROM registration r) OR subject IN (SELECT r.nurse FROM nurse_registration r))';
    EXECUTE 'CREATE POLICY app_registrar_insert ON credit_record FOR INSERT TO regctl_app_registrar WITH CHECK (province = ' || prov || ')';
    EXECUTE 'CREATE POLICY app_registrar_update ON credit_record FOR UPDATE TO regctl_app_registrar USING (province = ' || prov || ') WITH CHECK (province = ' || prov || ')';

    -- Staff: one's own account; registrars and analysts their region's (R-62 draws inspectors from
    -- them). The application's login reads accounts to know whom it acts for.
    EXECUTE 'CREATE POLICY own_read ON staff FOR SELECT TO regctl_registrar, regctl_hr, regctl_analyst USING (id = (SELECT regctl_actor()))';
    EXECUTE 'CREATE POLICY region_read ON staff FOR SELECT TO regctl_registrar, regctl_analyst USING (region' || inr || ')';
    EXECUTE 'CREATE POLICY app_read ON staff FOR SELECT TO regctl_app USING (true)';

    -- Pilots and province policies: everyone reads them (the rules do); registrars set their region's.
    FOREACH t IN ARRAY ARRAY['pilot:region', 'policy:province'] LOOP
        EXECUTE format('CREATE POLICY all_read ON %I FOR SELECT TO regctl_registrar, regctl_hr, regctl_analyst USING (true)', split_part(t, ':', 1));
        EXECUTE format('CREATE POLICY app_registrar_insert ON %I FOR INSERT TO regctl_app_registrar WITH CHECK (%s%s)', split_part(t, ':', 1), split_part(t, ':', 2), inr);
        EXECUTE format('CREATE POLICY app_registrar_update ON %I FOR UPDATE TO regctl_app_registrar USING (%2$s%3$s) WITH CHECK (%2$s%3$s)', split_part(t, ':', 1), split_part(t, ':', 2), inr);
    END LOOP;

    -- Events: each account reads its own, admin all; only the application path appends them, in the
    -- acting account's name; the sealer reads them all and seals.
    EXECUTE 'CREATE POLICY own_read ON event FOR SELECT TO regctl_registrar, regctl_hr, regctl_analyst USING (actor = (SELECT regctl_actor()))';
    EXECUTE 'CREATE POLICY app_append ON event FOR INSERT TO regctl_app, regctl_app_admin, regctl_app_registrar, regctl_app_hr, regctl_app_analyst
             WITH CHECK (actor = (SELECT regctl_actor()))';
    EXECUTE 'CREATE POLICY chain_seal ON event FOR ALL TO regctl_chain USING (true) WITH CHECK (true)';
END $$;

-- Privileges ------------------------------------------------------------------------------------

-- Staff groups read; they write nothing, anywhere.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public
    FROM regctl_admin, regctl_registrar, regctl_hr, regctl_analyst, PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM regctl_admin, regctl_registrar, regctl_hr, regctl_analyst, PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- Birth dates, as ID numbers: through the views only (R-72), but for admin.
REVOKE SELECT ON physician, nurse FROM regctl_registrar, regctl_hr, regctl_analyst;
GRANT SELECT (id, id_number_masked, birth_year, name, sex, qualification_no, level, category, status, status_on, certificate_no, created_at)
    ON physician TO regctl_registrar, regctl_hr, regctl_analyst;
GRANT SELECT (id, id_number_masked, birth_year, name, sex, qualification_no, status, created_at) ON nurse TO regctl_registrar, regctl_hr, regctl_analyst;
GRANT SELECT ON physician_v, nurse_v TO regctl_admin, regctl_registrar, regctl_hr, regctl_analyst;

-- The application roles: what each kind's commands write.
GRANT INSERT, UPDATE ON institution, physician, nurse, registration, filing, studio, nurse_registration, nurse_filing,
                        credit_record, pilot, policy, certificate_serial TO regctl_app_registrar, regctl_app_admin;
GRANT INSERT, UPDATE ON registration, filing, studio, nurse_registration, nurse_filing TO regctl_app_hr;
GRANT UPDATE (status, status_on) ON physician TO regctl_app_hr;  -- a retirement recorded with the leave (R-31)
GRANT INSERT, UPDATE, DELETE ON staff, holiday_calendar, multisite_snapshot TO regctl_app_admin;
GRANT INSERT (id, actor, command, arguments, outcome, error_code, subjects, details) ON event
    TO regctl_app, regctl_app_admin, regctl_app_registrar, regctl_app_hr, regctl_app_analyst;
GRANT SELECT ON staff, regctl_migrations TO regctl_app;
GRANT SELECT, UPDATE (seq, hash) ON event TO regctl_chain;
GRANT SELECT ON staff TO regctl_roles;
GRANT USAGE ON SCHEMA public TO regctl_app, regctl_app_admin, regctl_app_registrar, regctl_app_hr, regctl_app_analyst,
                                regctl_roles, regctl_chain;

-- Functions: nothing for PUBLIC. What policies and views call, the staff groups (and so the
-- application roles); the facts, locks and sealing, the application roles; accounts, its admin.
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
             AND (p.proname LIKE 'regctl\_%' OR p.proname IN ('ensure_staff_roles', 'event_is_append_only')) LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, regctl_admin, regctl_registrar, regctl_hr, regctl_analyst', f);
    END LOOP;
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
             AND p.proname LIKE 'regctl\_%' AND p.proname NOT IN ('regctl_account_login', 'regctl_seal_events') LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO regctl_facts', f);
    END LOOP;
END $$;
ALTER FUNCTION regctl_account_login(text, text, boolean) OWNER TO regctl_roles;
ALTER FUNCTION regctl_seal_events(integer) OWNER TO regctl_chain;
ALTER FUNCTION regctl_event_canonical(event) OWNER TO regctl_chain;
GRANT EXECUTE ON FUNCTION regctl_actor(), regctl_scope(), regctl_scope_institutions(), regctl_identity(uuid)
    TO regctl_admin, regctl_registrar, regctl_hr, regctl_analyst;
-- regctl_identity calls these as its owner; the triggers as theirs.
GRANT EXECUTE ON FUNCTION regctl_person_access(uuid), regctl_registered_in(uuid, char, char), regctl_may_decide(char),
    regctl_bounded(integer), regctl_actor(), regctl_scope() TO regctl_facts;
GRANT EXECUTE ON FUNCTION regctl_event_canonical(event), regctl_actor() TO regctl_chain;
GRANT EXECUTE ON FUNCTION regctl_actor(), regctl_arguments_fit(jsonb) TO regctl_app, regctl_app_admin, regctl_app_registrar, regctl_app_hr, regctl_app_analyst, regctl_chain;
DO $$
DECLARE f text; k text;
BEGIN
    FOREACH k IN ARRAY ARRAY['regctl_app_admin', 'regctl_app_registrar', 'regctl_app_hr', 'regctl_app_analyst'] LOOP
        FOREACH f IN ARRAY ARRAY['regctl_physicians(uuid[], text[])', 'regctl_nurses(uuid[], text[])', 'regctl_institutions(uuid[], text[])',
                                 'regctl_registrations(uuid[], uuid[])', 'regctl_nurse_registrations(uuid[], uuid[])',
                                 'regctl_active_filings(uuid[])', 'regctl_active_nurse_filings(uuid[])', 'regctl_credit(uuid[], text)',
                                 'regctl_holdings(uuid[], text[], text[])', 'regctl_public_physicians(text, character, character, text, integer)',
                                 'regctl_public_practice(uuid[])', 'regctl_seal_events(integer)', 'regctl_event_canonical(event)',
                                 'regctl_person_access(uuid)', 'regctl_may_decide(character)'] LOOP
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', f, k);
        END LOOP;
        IF k <> 'regctl_app_analyst' THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION regctl_lock(text, uuid[]) TO %I', k);
        END IF;
    END LOOP;
END $$;
GRANT EXECUTE ON FUNCTION regctl_seal_events(integer) TO regctl_app;
GRANT EXECUTE ON FUNCTION regctl_account_login(text, text, boolean) TO regctl_app_admin;
-- Trigger functions run as the writer: the application roles.
GRANT EXECUTE ON FUNCTION event_is_append_only() TO regctl_app, regctl_app_admin, regctl_app_registrar, regctl_app_hr,
    regctl_app_analyst, regctl_chain;
GRANT EXECUTE ON FUNCTION regctl_derive_province(), regctl_check_decision() TO regctl_app_admin, regctl_app_registrar, regctl_app_hr;
