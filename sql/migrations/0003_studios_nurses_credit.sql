-- Studios (R-40 … R-44), nurses and the regional-registration pilot (R-50 … R-54),
-- and policy settings for them. Credit records came with 0002.

ALTER TABLE policy ADD COLUMN studio_max_age integer CHECK (studio_max_age > 0);

CREATE TABLE studio (
    id            uuid PRIMARY KEY,
    province      char(6) NOT NULL REFERENCES region (code),
    physician     uuid NOT NULL REFERENCES physician (id),
    registration  uuid NOT NULL REFERENCES registration (id),
    host          uuid NOT NULL REFERENCES institution (id),
    name          text NOT NULL CHECK (name <> ''),
    opened_on     date NOT NULL,
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closed_on     date,
    close_reason  text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'closed') = (closed_on IS NOT NULL))
);
-- R-43: one open studio per physician per host, even when two commands race.
CREATE UNIQUE INDEX studio_one_open_per_host ON studio (physician, host) WHERE status = 'open';
CREATE INDEX studio_registration ON studio (registration) WHERE status = 'open';
CREATE INDEX studio_host ON studio (host);

CREATE TABLE nurse (
    id                uuid PRIMARY KEY,
    id_number         char(18) NOT NULL CONSTRAINT nurse_id_number_key UNIQUE,
    name              text NOT NULL CHECK (name <> ''),
    sex               char(1) NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date        date NOT NULL,
    qualification_no  text NOT NULL CONSTRAINT nurse_qualification_no_key UNIQUE,
    status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired', 'deceased')),
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX nurse_name ON nurse (name);

CREATE TABLE pilot (
    id          uuid PRIMARY KEY,
    region      char(6) NOT NULL REFERENCES region (code),
    valid_from  date NOT NULL,
    valid_to    date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX pilot_region ON pilot (region);

CREATE TABLE nurse_registration (
    id                uuid PRIMARY KEY,
    province          char(6) NOT NULL REFERENCES region (code),
    nurse             uuid NOT NULL REFERENCES nurse (id),
    institution       uuid NOT NULL REFERENCES institution (id),
    regional          boolean NOT NULL DEFAULT false,
    status            text NOT NULL CHECK (status IN ('pending', 'active', 'rejected', 'expired', 'cancelled')),
    applied_on        date NOT NULL,
    decided_on        date,
    decided_by        text,
    rejection_reason  text,
    expires_on        date,
    renewed_on        date,
    CHECK ((status IN ('active', 'expired')) <= (expires_on IS NOT NULL))
);
-- R-50: one live registration per nurse.
CREATE UNIQUE INDEX nurse_registration_one_live ON nurse_registration (nurse) WHERE status IN ('pending', 'active');
CREATE INDEX nurse_registration_nurse ON nurse_registration (nurse);
CREATE INDEX nurse_registration_institution ON nurse_registration (institution);
CREATE INDEX nurse_registration_expiry ON nurse_registration (expires_on) WHERE status = 'active';

CREATE TABLE nurse_filing (
    id            uuid PRIMARY KEY,
    province      char(6) NOT NULL REFERENCES region (code),
    registration  uuid NOT NULL REFERENCES nurse_registration (id),
    nurse         uuid NOT NULL REFERENCES nurse (id),
    institution   uuid NOT NULL REFERENCES institution (id),
    contract_no   text NOT NULL CHECK (contract_no <> ''),
    valid_from    date NOT NULL,
    valid_to      date NOT NULL,
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
    ended_on      date,
    end_reason    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to >= valid_from),
    CHECK ((status = 'ended') = (ended_on IS NOT NULL)),
    CONSTRAINT nurse_filing_contract_key UNIQUE (institution, contract_no),
    CONSTRAINT nurse_filing_no_overlap EXCLUDE USING gist (
        nurse WITH =, institution WITH =, daterange(valid_from, valid_to, '[]') WITH &&
    ) WHERE (status = 'active')
);
CREATE INDEX nurse_filing_registration ON nurse_filing (registration) WHERE status = 'active';
CREATE INDEX nurse_filing_institution ON nurse_filing (institution, status);
CREATE INDEX filing_valid_to_active ON filing (valid_to) WHERE status = 'active';
CREATE INDEX registration_on_leave ON registration (leave_since) WHERE status = 'on-leave';
