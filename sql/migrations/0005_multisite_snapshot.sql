-- The national multi-site figures, precomputed by the daily run (regctl maintain). Counting
-- distinct physicians over a country's filings in force takes seconds on a small server;
-- `report multisite` for the whole country reads the day's row set when there is one (and
-- prints when it was computed), `--live` computes it again. Regions below the country are always live.
CREATE TABLE multisite_snapshot (
    as_of             date NOT NULL,
    computed_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    g                 text,
    category          text,
    by_category       integer NOT NULL,
    by_region         integer NOT NULL,
    physicians        bigint NOT NULL,
    filings           bigint NOT NULL,
    at_public         bigint NOT NULL,
    at_social         bigint NOT NULL,
    public_to_social  bigint NOT NULL,
    public_to_public  bigint NOT NULL,
    social_to_social  bigint NOT NULL,
    social_to_public  bigint NOT NULL
);
CREATE INDEX multisite_snapshot_as_of ON multisite_snapshot (as_of);
