-- Institutions, physicians, registrations, filings, staff, policies, the
-- holiday calendar and the event log (DOMAIN.md R-10 … R-26, R-70, R-71).
-- Ids are UUIDs so provincial databases merge into a national one without
-- renumbering; regional tables carry their province code.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE institution (
    id          uuid PRIMARY KEY,
    province    char(6) NOT NULL REFERENCES region (code),
    uscc        char(18) NOT NULL CONSTRAINT institution_uscc_key UNIQUE,
    name        text NOT NULL CHECK (name <> ''),
    license_no  text,
    region      char(6) NOT NULL REFERENCES region (code),
    ownership   text NOT NULL CHECK (ownership IN ('public', 'social')),
    for_profit  boolean NOT NULL DEFAULT false,
    category    text NOT NULL CHECK (category IN ('general-hospital', 'tcm-hospital', 'specialty-hospital',
                    'nursing-home-hospital', 'community-health-center', 'community-health-station',
                    'township-health-center', 'village-clinic', 'outpatient-department', 'clinic', 'medical-office',
                    'elderly-care-medical', 'independent-lab', 'imaging-center', 'dialysis-center', 'hospice', 'other')),
    beds        integer NOT NULL CHECK (beds >= 0),
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    status_on   date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT (ownership = 'public' AND for_profit)),
    CHECK (province = substr(region, 1, 2) || '0000')
);
CREATE INDEX institution_region ON institution (region);
CREATE INDEX institution_province ON institution (province);

CREATE TABLE physician (
    id                uuid PRIMARY KEY,
    id_number         char(18) NOT NULL CONSTRAINT physician_id_number_key UNIQUE,
    name              text NOT NULL CHECK (name <> ''),
    sex               char(1) NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date        date NOT NULL,
    qualification_no  text NOT NULL CONSTRAINT physician_qualification_no_key UNIQUE,
    level             text NOT NULL CHECK (level IN ('physician', 'assistant')),
    category          text NOT NULL CHECK (category IN ('clinical', 'tcm', 'dental', 'public-health')),
    status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired', 'deceased')),
    status_on         date,
    certificate_no    char(15) CONSTRAINT physician_certificate_no_key UNIQUE,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX physician_name ON physician (name);

CREATE TABLE staff (
    id           text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$'),
    name         text NOT NULL,
    role         text NOT NULL CHECK (role IN ('admin', 'registrar', 'hr', 'analyst')),
    region       char(6) REFERENCES region (code),
    institution  uuid REFERENCES institution (id),
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((role IN ('registrar', 'analyst')) = (region IS NOT NULL)),
    CHECK ((role = 'hr') = (institution IS NOT NULL))
);

CREATE TABLE registration (
    id                uuid PRIMARY KEY,
    province          char(6) NOT NULL REFERENCES region (code),
    physician         uuid NOT NULL REFERENCES physician (id),
    region            char(6) NOT NULL REFERENCES region (code),
    institution       uuid NOT NULL REFERENCES institution (id),
    category          text NOT NULL,
    scopes            text[] NOT NULL CHECK (cardinality(scopes) BETWEEN 1 AND 3),
    status            text NOT NULL CHECK (status IN ('pending', 'active', 'on-leave', 'cancelled', 'rejected')),
    is_home           boolean NOT NULL DEFAULT false,
    applied_on        date NOT NULL,
    decided_on        date,
    effective_on      date,
    decided_by        text,  -- the actor's id, as in events (a staff account or the admin login)
    rejection_reason  text,
    leave_since       date,
    leave_reason      text CHECK (leave_reason IN ('retired', 'resigned', 'dismissed', 'transferred')),
    cancelled_on      date,
    cancel_reason     text CHECK (cancel_reason IN ('death', 'criminal-penalty', 'certificate-revoked',
                          'assessment-failed', 'leave-2y', 'moved', 'own-application', 'other')),
    CHECK (province = substr(region, 1, 2) || '0000'),
    CHECK ((status = 'on-leave') = (leave_since IS NOT NULL)),
    CHECK ((status = 'cancelled') = (cancelled_on IS NOT NULL))
);
-- R-11 as the last line against two racing applications: one live registration per physician and region,
-- and one home registration.
CREATE UNIQUE INDEX registration_one_per_region ON registration (physician, region) WHERE status NOT IN ('cancelled', 'rejected');
CREATE UNIQUE INDEX registration_one_home ON registration (physician) WHERE is_home AND status NOT IN ('cancelled', 'rejected');
CREATE INDEX registration_physician ON registration (physician);
CREATE INDEX registration_institution ON registration (institution);
CREATE INDEX registration_region_status ON registration (region, status);

-- Serials of practice certificate numbers per prefix (level + category + region), R-14.
CREATE TABLE certificate_serial (
    prefix  char(9) PRIMARY KEY,
    last    integer NOT NULL CHECK (last BETWEEN 0 AND 999999)
);

CREATE TABLE filing (
    id            uuid PRIMARY KEY,
    province      char(6) NOT NULL REFERENCES region (code),
    registration  uuid NOT NULL REFERENCES registration (id),
    physician     uuid NOT NULL REFERENCES physician (id),
    institution   uuid NOT NULL REFERENCES institution (id),
    contract_no   text NOT NULL CHECK (contract_no <> ''),
    valid_from    date NOT NULL,
    valid_to      date NOT NULL,
    scope         text,
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
    ended_on      date,
    end_reason    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to >= valid_from),
    CHECK ((status = 'ended') = (ended_on IS NOT NULL)),
    CONSTRAINT filing_contract_key UNIQUE (institution, contract_no),
    -- R-22: two active filings of one physician at one institution never overlap, even when imports race.
    CONSTRAINT filing_no_overlap EXCLUDE USING gist (
        physician WITH =, institution WITH =, daterange(valid_from, valid_to, '[]') WITH &&
    ) WHERE (status = 'active')
);
CREATE INDEX filing_physician ON filing (physician) WHERE status = 'active';
CREATE INDEX filing_registration ON filing (registration);
-- Lookups by institution use filing_contract_key (institution, contract_no).

-- Per-province settings that are policy, not law (DOMAIN.md "policy").
CREATE TABLE policy (
    province            char(6) PRIMARY KEY REFERENCES region (code),
    max_active_filings  integer CHECK (max_active_filings > 0)
);

-- R-05: public holidays and adjusted working weekends (调休).
CREATE TABLE holiday_calendar (
    day   date PRIMARY KEY,
    kind  text NOT NULL CHECK (kind IN ('holiday', 'workday'))
);

-- R-71: every accepted or refused command. Only ever inserted.
CREATE TABLE event (
    id          uuid PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor       text NOT NULL,
    command     text NOT NULL,
    arguments   jsonb NOT NULL DEFAULT '{}',
    outcome     text NOT NULL CHECK (outcome IN ('accepted', 'refused')),
    error_code  text,
    subjects    uuid[] NOT NULL DEFAULT '{}',
    details     jsonb,
    CHECK ((outcome = 'refused') = (error_code IS NOT NULL))
);
CREATE INDEX event_at ON event (at);
CREATE INDEX event_actor ON event (actor, at);
CREATE INDEX event_subjects ON event USING gin (subjects);

CREATE FUNCTION event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event
    FOR EACH ROW EXECUTE FUNCTION event_is_append_only();
CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event
    FOR EACH STATEMENT EXECUTE FUNCTION event_is_append_only();

-- Credit records (R-60, R-61). The blacklist blocks new registrations, filings and studios.
CREATE TABLE credit_record (
    id            uuid PRIMARY KEY,
    subject       uuid NOT NULL,
    subject_kind  text NOT NULL CHECK (subject_kind IN ('physician', 'nurse', 'institution')),
    province      char(6) REFERENCES region (code),
    kind          text NOT NULL CHECK (kind IN ('commendation', 'warning', 'penalty', 'blacklist')),
    decided_on    date NOT NULL,
    document      text NOT NULL CHECK (document <> ''),
    until         date,
    note          text,
    lifted_on     date,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (until IS NULL OR until >= decided_on)
);
CREATE INDEX credit_record_subject ON credit_record (subject, kind);
