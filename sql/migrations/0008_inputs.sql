-- Inputs (issue 13): a command that failed on a bug (exit 70) is still an event, with the outcome
-- `failed` and the code it failed with, so that the log holds every command run, not only the
-- accepted and refused ones (R-71).
ALTER TABLE event DROP CONSTRAINT event_outcome_check,
                  DROP CONSTRAINT event_check;
ALTER TABLE event ADD CONSTRAINT event_outcome_check CHECK (outcome IN ('accepted', 'refused', 'failed')),
                  ADD CONSTRAINT event_check CHECK ((outcome <> 'accepted') = (error_code IS NOT NULL));
