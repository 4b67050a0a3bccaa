-- Look-up functions keep one plan per connection.
--
-- These functions find rows by ids or keys given as an array (`= ANY(ids)`). PostgreSQL plans each of their
-- statements once per call for the first five calls, then keeps a generic plan only when it looks no dearer
-- than the custom ones: for `= ANY(array)` it never does (a custom plan knows the array holds one id, the
-- generic plan guesses ten), so every call was planned anew. Measured on the national seed under the public
-- look-up's load, planning was two fifths of the database's time; the plan is the same either way (each
-- statement is one index's). force_generic_plan keeps the first plan for the connection's life; an ANALYZE
-- of a table the plan reads, or a change of the schema, makes a new one.

DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace
               AND p.oid::regprocedure::text = ANY (ARRAY[
                   'regctl_physicians(uuid[],text[])', 'regctl_nurses(uuid[],text[])',
                   'regctl_institutions(uuid[],text[])', 'regctl_registrations(uuid[],uuid[])',
                   'regctl_nurse_registrations(uuid[],uuid[])', 'regctl_active_filings(uuid[])',
                   'regctl_active_nurse_filings(uuid[])', 'regctl_credit(uuid[],text)', 'regctl_lock(text,uuid[])',
                   'regctl_public_physicians(text,character,character,text,integer)', 'regctl_public_practice(uuid[])',
                   'regctl_public_credit(uuid[],text[])', 'regctl_public_nurses(text,character,character,integer)',
                   'regctl_public_institutions(text,character,character,text,integer)'])
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET plan_cache_mode = force_generic_plan', f);
    END LOOP;
END $$;

-- Every one of them was found (a renamed function would otherwise go on planning every call unnoticed).
DO $$
BEGIN
    IF (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
        AND 'plan_cache_mode=force_generic_plan' = ANY (p.proconfig)) <> 14 THEN
        RAISE EXCEPTION 'migration 0015: a look-up function was not found';
    END IF;
END $$;
