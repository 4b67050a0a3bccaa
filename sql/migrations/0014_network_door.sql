-- The network door (`regctl serve`): the public's role, its look-ups, and staff sessions.
--
-- The public has no account. The server answers a public look-up in a transaction that takes the role
-- regctl_public (SET LOCAL ROLE, as an account's command takes its kind's role): it may run the public
-- functions below and read the region table, and nothing else, so that no bug in the server can read a
-- row the public may not see. Public look-ups record no event (they are anonymous reads of public data).

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'regctl_public') THEN
        CREATE ROLE regctl_public NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- created meanwhile by a migration of another database of the cluster
END $$;
ALTER ROLE regctl_public NOLOGIN NOINHERIT NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS;
DO $$
BEGIN
    IF NOT pg_has_role('regctl_app', 'regctl_public', 'MEMBER') THEN
        GRANT regctl_public TO regctl_app;
    END IF;
END $$;
GRANT USAGE ON SCHEMA public TO regctl_public;
GRANT SELECT ON region TO regctl_public;

-- Registered nurses of a name (in a region when given): where their live registration is, never an ID
-- number or a birth date (R-72).
CREATE FUNCTION regctl_public_nurses(by_name text, low char(6), high char(6), max_rows integer)
RETURNS TABLE (id uuid, name text, sex text, status text, institution text, region text, regional boolean,
               registration_status text, expires_on date, filed_at text)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT n.id, n.name, n.sex::text, n.status, i.name, i.region::text, r.regional, r.status, r.expires_on,
           (SELECT string_agg(fi.name, '、' ORDER BY f.valid_from) FROM nurse_filing f JOIN institution fi ON fi.id = f.institution
            WHERE f.nurse = n.id AND f.status = 'active')
    FROM nurse n
    JOIN nurse_registration r ON r.nurse = n.id AND r.status = 'active'
    JOIN institution i ON i.id = r.institution
    WHERE n.name = by_name AND (low IS NULL OR i.region BETWEEN low AND high)
    ORDER BY i.region, n.id LIMIT max_rows;
END $$;

-- Institutions by the start of their name (in a region when given) or by credit code: what their
-- licence makes public.
CREATE FUNCTION regctl_public_institutions(by_name text, low char(6), high char(6), by_uscc text, max_rows integer)
RETURNS TABLE (id uuid, name text, uscc text, region text, ownership text, for_profit boolean, category text,
               beds integer, status text)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    IF by_uscc IS NOT NULL THEN
        RETURN QUERY SELECT i.id, i.name, i.uscc::text, i.region::text, i.ownership, i.for_profit, i.category, i.beds, i.status
            FROM institution i WHERE i.uscc = by_uscc::bpchar;
    ELSE
        -- A prefix as a range on the (name, id) index (0012), then LIKE for the exact meaning.
        RETURN QUERY SELECT i.id, i.name, i.uscc::text, i.region::text, i.ownership, i.for_profit, i.category, i.beds, i.status
            FROM institution i
            WHERE i.name >= by_name AND i.name < by_name || chr(1114111)
              AND (low IS NULL OR i.region BETWEEN low AND high)
            ORDER BY i.name, i.id LIMIT max_rows;
    END IF;
END $$;

-- Public credit records (R-61) of the given subjects. A copy of R-61 in SQL (the kinds that are public,
-- as CreditKind.isPublic in Swift, which passes its own list: both must agree, and the test
-- "public credit kinds" checks them against one table of cases).
CREATE FUNCTION regctl_public_credit(ids uuid[], kinds text[])
RETURNS TABLE (subject uuid, kind text, decided_on date, document text, until date, lifted_on date)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    IF cardinality(ids) > 50000 THEN
        RAISE EXCEPTION 'regctl_public_credit: at most 50000 subjects a call' USING ERRCODE = '54000';
    END IF;
    RETURN QUERY SELECT c.subject, c.kind, c.decided_on, c.document, c.until, c.lifted_on FROM credit_record c
        WHERE c.subject = ANY(ids) AND c.kind = ANY(kinds) AND c.kind IN ('penalty', 'blacklist')
        ORDER BY c.subject, c.decided_on;
END $$;

DO $$
DECLARE f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['regctl_public_nurses(text, character, character, integer)',
                             'regctl_public_institutions(text, character, character, text, integer)',
                             'regctl_public_credit(uuid[], text[])',
                             'regctl_public_physicians(text, character, character, text, integer)',
                             'regctl_public_practice(uuid[])'] LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO regctl_facts', f);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        -- The public role and the application roles only, as 0007 left the fact functions: a staff login runs none.
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO regctl_public, '
                       'regctl_app_admin, regctl_app_registrar, regctl_app_hr, regctl_app_analyst', f);
    END LOOP;
END $$;

-- Staff sessions of the network door. Instances keep no state: a session made on one serves on every
-- other. Only the token's SHA-256 is kept (a stolen table opens no session); the CSRF token of the
-- session's forms beside it. Ended by logout, by idleness (the server's flag), and by `staff disable` and
-- `staff password` (as the admin's command: regctl_app_admin deletes them).
CREATE TABLE app_session (
    token_hash  bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    account     text NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    csrf        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX app_session_account ON app_session (account);
CREATE INDEX app_session_last_seen ON app_session (last_seen);

-- Failed logins, per account and per address (the key says which), for the throttle: shared by every
-- instance, so that spreading guesses over servers gains nothing.
CREATE TABLE login_failure (
    key         text PRIMARY KEY CHECK (length(key) <= 200),
    failures    integer NOT NULL,
    first_at    timestamptz NOT NULL DEFAULT now()
);

REVOKE ALL ON app_session, login_failure FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON app_session, login_failure TO regctl_app;
GRANT DELETE ON app_session TO regctl_app_admin;
GRANT SELECT (account) ON app_session TO regctl_app_admin;

-- Files the door keeps between two requests, for the account that sent them: an upload between its dry
-- run and its confirmation (the HR pages), and an import's errors report until it is downloaded. Any
-- instance serves them; they are deleted after a day.
CREATE TABLE app_file (
    id          uuid PRIMARY KEY,
    account     text NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    purpose     text NOT NULL CHECK (purpose IN ('upload', 'errors-report')),
    kind        text,
    name        text NOT NULL CHECK (length(name) <= 255),
    content     bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX app_file_created ON app_file (created_at);
REVOKE ALL ON app_file FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON app_file TO regctl_app;
