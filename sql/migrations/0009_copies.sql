-- Deliberate SQL copies of Swift definitions, named where they live (issue 14): each says which Swift
-- function it copies and which test holds the two to one table of cases.
COMMENT ON COLUMN physician.id_number_masked IS
    'Copy of ResidentID.mask (Swift, R-72): first 6 and last 4 characters. MaskingTests holds both to one table of cases.';
COMMENT ON COLUMN nurse.id_number_masked IS
    'Copy of ResidentID.mask (Swift, R-72): first 6 and last 4 characters. MaskingTests holds both to one table of cases.';
COMMENT ON FUNCTION regctl_scope() IS
    'The acting account''s region as a range of county codes: the SQL copy of RegionCode.covers / RegionRange (Swift, R-70). RoleMatrixTests.theSQLCopiesOfTheRulesAgreeWithTheSwiftOnes holds them to one table of cases.';
