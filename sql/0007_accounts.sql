-- 0007 accounts: the people and organisations behind tokens.  A token with an account takes its
-- role, subject and regions from the account at every request (token_select_by_hash.c), so
-- disabling an account or changing an approver's regions takes effect at once; the token row
-- keeps a copy of them as they were at issue, which satisfies its own CHECKs.  Tokens without
-- an account (the first admin's, the CLI's) work as before.

CREATE TABLE account (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    role       text NOT NULL CHECK (role IN ('applicant', 'enterprise', 'institution',
                                             'approver', 'admin')),
    subject    text CHECK (subject IS NULL OR subject ~ '^[A-Za-z0-9._-]{1,64}$'),
    regions    text[] NOT NULL DEFAULT '{}',
    status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'approver') = (cardinality(regions) > 0)),
    CHECK (role IN ('admin', 'approver') OR subject IS NOT NULL)
);
CREATE INDEX account_role ON account (role, id);

ALTER TABLE token ADD COLUMN account_id bigint REFERENCES account (id);
CREATE INDEX token_account ON token (account_id, id) WHERE account_id IS NOT NULL;

-- Role and subject are fixed once created; only name, regions and status change.
GRANT SELECT, INSERT ON account TO subsidy_app;
GRANT UPDATE (name, regions, status, updated_at) ON account TO subsidy_app;
