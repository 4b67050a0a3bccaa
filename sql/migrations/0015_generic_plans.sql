-- The public look-up functions keep one plan per connection.
--
-- They find at most 51 people by a name or a certificate number, then those people's practice and public
-- credit records by id (`= ANY(ids)`). PostgreSQL plans each of their statements anew for the first five
-- calls, then keeps a generic plan only when it looks no dearer than the custom ones; for `= ANY(array)`
-- it never does (a custom plan knows the array holds one id, the generic plan guesses ten), so every call
-- was planned again. Under the public look-up's load on the national seed, planning was two fifths of the
-- database's time. Each statement is one index's either way; force_generic_plan keeps the first plan for
-- the connection's life (an ANALYZE of a table it reads makes a new one).
--
-- Not the functions that commands and imports share (regctl_registrations, regctl_active_filings …):
-- an import calls them with thousands of ids, in a transaction that fills the very table they read, and a
-- plan kept from the table's empty start scans it whole for each id (tried: a 1,000,000-row contracts
-- import stalled). PlanCacheTests holds this list.

ALTER FUNCTION regctl_public_physicians(text, character, character, text, integer) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION regctl_public_practice(uuid[]) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION regctl_public_credit(uuid[], text[]) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION regctl_public_nurses(text, character, character, integer) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION regctl_public_institutions(text, character, character, text, integer) SET plan_cache_mode = force_generic_plan;
