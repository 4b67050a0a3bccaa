-- The test that holds region ancestry's copies to one table of cases moved (issue 14): it now holds
-- RegionCode.covers, the store's RegionRange / regionFilter and this function together.
COMMENT ON FUNCTION regctl_scope() IS
    'The acting account''s region as a range of county codes: the SQL copy of RegionCode.covers (Swift, R-70), as RegistryStore''s RegionRange is. RegionAncestryTests holds the three to one table of cases.';
