-- 0001 foundation: regions and access tokens.
-- Runs as the schema owner; the daemon connects as subsidy_app, which gets only what it needs.

CREATE TABLE region (
    code   text PRIMARY KEY CHECK (code ~ '^[0-9A-Z]{6,12}$'),
    name   text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    parent text REFERENCES region (code),
    kind   text NOT NULL CHECK (kind IN ('province', 'city', 'district', 'county',
                                         'county-level city', 'functional zone')),
    -- 'GB/T 2260' for national codes; functional zones carry the project's own codes.
    source text NOT NULL
);

-- A bearer token.  Only a keyed hash of the secret is stored; the key lives outside the database.
CREATE TABLE token (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hash       bytea NOT NULL UNIQUE CHECK (octet_length(hash) = 32),
    role       text NOT NULL CHECK (role IN ('applicant', 'enterprise', 'institution',
                                             'approver', 'admin')),
    subject    text CHECK (subject IS NULL OR length(subject) BETWEEN 1 AND 64),
    regions    text[] NOT NULL DEFAULT '{}',
    label      text NOT NULL DEFAULT '' CHECK (length(label) <= 200),
    created_by bigint REFERENCES token (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    -- approvers act only within their regions; nobody else is region-scoped
    CHECK ((role = 'approver') = (cardinality(regions) > 0)),
    -- people and organisations act as their subject; admins and approvers need none
    CHECK (role IN ('admin', 'approver') OR subject IS NOT NULL)
);

GRANT SELECT ON region TO subsidy_app;
GRANT SELECT, INSERT ON token TO subsidy_app;
GRANT UPDATE (revoked_at) ON token TO subsidy_app;
