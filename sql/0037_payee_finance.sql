-- 0037 the groundwork of disbursement (经费核拨, issue 14): a finance role (财务人员), scoped to
-- regions as an approver is; who is paid and on which account — a person's social security card
-- financial account (社保卡金融账户), given on the profile or imported with the state's records,
-- and an organisation's bank account on its registry entry — and whether a claim's payee is
-- ready to be paid (payee_readiness, the one definition a batch will build on); and the funding
-- lines with a yearly budget that batches will be drawn on.  Batches themselves come later.
--
-- Account and ID numbers are personal data: kept sealed (the service's key, as person.id_sealed),
-- with a keyed hash where they are compared and a masked form (last four) for every reply.

-- The finance role: widen the role CHECKs of token and account (0001, 0007), and let finance
-- carry regions as approvers do.
DO $$
DECLARE t text; n text;
BEGIN
    FOREACH t IN ARRAY ARRAY['token', 'account'] LOOP
        FOR n IN SELECT conname FROM pg_constraint
                  WHERE conrelid = t::regclass AND contype = 'c'
                    AND pg_get_constraintdef(oid) LIKE '%role%'
                    AND pg_get_constraintdef(oid) NOT LIKE '%person_hash%' LOOP
            EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', t, n);
        END LOOP;
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (role IN (''applicant'','
                       ' ''enterprise'', ''institution'', ''approver'', ''admin'', ''finance''))',
                       t, t || '_role_known');
        -- approvers and finance act only within their regions; nobody else is region-scoped
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK ((role IN (''approver'','
                       ' ''finance'')) = (cardinality(regions) > 0))', t, t || '_regions_scoped');
        -- people and organisations act as their subject; admins, approvers and finance need none
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (role IN (''admin'', ''approver'','
                       ' ''finance'') OR subject IS NOT NULL)', t, t || '_subject_given');
    END LOOP;
END
$$;

-- A person's payee account: the social security card's financial account.  One row per person
-- and source: the applicant's own word (profile) and the state's records (import), kept apart so
-- that a profile written later never overwrites what was imported — the state's records win
-- (payee_readiness reads the imported row when there is one).  The person is their keyed ID hash
-- (person.id_hash), as employment records are: an import may name people not yet registered.
CREATE TABLE payee_account (
    id_hash          bytea NOT NULL CHECK (octet_length(id_hash) = 32),
    source           text NOT NULL CHECK (source IN ('profile', 'import')),
    bank_code        text NOT NULL CHECK (bank_code ~ '^[0-9A-Za-z]{1,20}$'),
    bank_name        text NOT NULL CHECK (length(bank_name) BETWEEN 1 AND 100),
    account_sealed   bytea NOT NULL,
    account_masked   text NOT NULL CHECK (account_masked ~ '^\*{4}[0-9A-Za-z]{4}$'),
    holder_name      text NOT NULL CHECK (length(holder_name) BETWEEN 1 AND 50),
    holder_id_hash   bytea NOT NULL CHECK (octet_length(holder_id_hash) = 32),
    holder_id_sealed bytea NOT NULL,
    holder_id_masked text NOT NULL CHECK (holder_id_masked ~ '^[0-9]{6}\*{8}[0-9]{3}[0-9X]$'),
    status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    origin           text CHECK (length(origin) BETWEEN 1 AND 200), -- an import's named source
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    recorded_by      bigint,                                         -- token id
    PRIMARY KEY (id_hash, source),
    CHECK ((source = 'import') = (origin IS NOT NULL))
);
GRANT SELECT, INSERT ON payee_account TO subsidy_app;
GRANT UPDATE (bank_code, bank_name, account_sealed, account_masked, holder_name, holder_id_hash,
              holder_id_sealed, holder_id_masked, status, origin, recorded_at, recorded_by)
    ON payee_account TO subsidy_app;

-- An organisation's bank account (对公账户), on its registry entry: exactly one of enterprise
-- and institution names it.  holder_name is the account's name (户名), compared with the
-- registered name.
CREATE TABLE org_bank_account (
    enterprise     text UNIQUE REFERENCES enterprise (credit_code),
    institution    text UNIQUE REFERENCES institution (credit_code),
    bank_code      text NOT NULL CHECK (bank_code ~ '^[0-9A-Za-z]{1,20}$'),
    bank_name      text NOT NULL CHECK (length(bank_name) BETWEEN 1 AND 100),
    account_sealed bytea NOT NULL,
    account_masked text NOT NULL CHECK (account_masked ~ '^\*{4}[0-9A-Za-z]{4}$'),
    holder_name    text NOT NULL CHECK (length(holder_name) BETWEEN 1 AND 100),
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     bigint,                                            -- token id
    CHECK (num_nonnulls(enterprise, institution) = 1)
);
GRANT SELECT, INSERT ON org_bank_account TO subsidy_app;
GRANT UPDATE (bank_code, bank_name, account_sealed, account_masked, holder_name, status,
              updated_at, updated_by) ON org_bank_account TO subsidy_app;

-- Who a claim pays and whether it can be paid.  The payee is the claim's input (claim.payee,
-- which POST /v1/claims sets: the worker, or the claiming enterprise); an enterprise payee is
-- the claiming enterprise (or, for a worker's claim naming payee enterprise, its employer).  No
-- claim records an institution to pay (claims are filed by workers and enterprises), so an
-- institution payee has no code and is not ready (payee_unknown) until claims record one.
-- Reasons, every one that applies: payment_hold (the claim is held, 0030/0033), payee_unknown,
-- no_account (a person without a card account), org_no_bank_account, account_closed,
-- holder_name_mismatch (the holder is not the person's registered name, or the account's name
-- not the organisation's), holder_id_mismatch (the holder's ID number is not the person's).
CREATE FUNCTION payee_readiness(claim_id bigint)
RETURNS TABLE (payee text, payee_code text, payee_name text, account jsonb, reasons text[])
LANGUAGE sql STABLE AS $$
    WITH c AS (
        SELECT c.*, coalesce(c.input->'claim'->>'payee',
                             CASE WHEN c.owner_role = 'enterprise' THEN 'enterprise'
                                  ELSE 'person' END) AS payee_kind
          FROM claim c WHERE c.id = claim_id),
    o AS (
        SELECT c.*, CASE c.payee_kind
                      WHEN 'enterprise' THEN CASE WHEN c.owner_role = 'enterprise'
                                                  THEN c.owner_subject ELSE c.employer END
                    END AS org_code
          FROM c),
    pa AS (
        SELECT a.*, p.name AS person_name, p.id_hash AS person_hash
          FROM o JOIN person p ON p.id = o.person_id
          JOIN LATERAL (SELECT * FROM payee_account x WHERE x.id_hash = p.id_hash
                         ORDER BY x.source = 'import' DESC LIMIT 1) a ON true
         WHERE o.payee_kind = 'person'),
    ba AS (
        SELECT b.*, coalesce(e.name, i.name) AS org_name
          FROM o JOIN org_bank_account b
            ON (o.payee_kind = 'enterprise' AND b.enterprise = o.org_code)
            OR (o.payee_kind = 'institution' AND b.institution = o.org_code)
          LEFT JOIN enterprise e ON e.credit_code = b.enterprise
          LEFT JOIN institution i ON i.credit_code = b.institution)
    SELECT o.payee_kind,
           CASE WHEN o.payee_kind = 'person' THEN NULL ELSE o.org_code END,
           CASE WHEN o.payee_kind = 'person' THEN (SELECT name FROM person WHERE id = o.person_id)
                ELSE coalesce((SELECT name FROM enterprise WHERE credit_code = o.org_code
                                 AND o.payee_kind = 'enterprise'),
                              (SELECT name FROM institution WHERE credit_code = o.org_code
                                 AND o.payee_kind = 'institution')) END,
           CASE WHEN o.payee_kind = 'person' THEN
                (SELECT jsonb_build_object('source', pa.source, 'bank_code', pa.bank_code,
                        'bank_name', pa.bank_name, 'account_number_masked', pa.account_masked,
                        'holder_name', pa.holder_name, 'holder_id_number_masked',
                        pa.holder_id_masked, 'status', pa.status) FROM pa)
                ELSE (SELECT jsonb_build_object('bank_code', ba.bank_code, 'bank_name',
                        ba.bank_name, 'account_number_masked', ba.account_masked, 'holder_name',
                        ba.holder_name, 'status', ba.status) FROM ba) END,
           array_remove(ARRAY[
               CASE WHEN o.payment_hold IS NOT NULL THEN 'payment_hold' END,
               CASE WHEN o.payee_kind <> 'person' AND o.org_code IS NULL THEN 'payee_unknown' END,
               CASE WHEN o.payee_kind = 'person' AND NOT EXISTS (SELECT FROM pa)
                    THEN 'no_account' END,
               CASE WHEN o.payee_kind <> 'person' AND o.org_code IS NOT NULL
                         AND NOT EXISTS (SELECT FROM ba) THEN 'org_no_bank_account' END,
               CASE WHEN EXISTS (SELECT FROM pa WHERE status = 'closed')
                         OR EXISTS (SELECT FROM ba WHERE status = 'closed')
                    THEN 'account_closed' END,
               CASE WHEN EXISTS (SELECT FROM pa WHERE holder_name <> person_name)
                         OR EXISTS (SELECT FROM ba WHERE holder_name <> org_name)
                    THEN 'holder_name_mismatch' END,
               CASE WHEN EXISTS (SELECT FROM pa WHERE holder_id_hash <> person_hash)
                    THEN 'holder_id_mismatch' END], NULL)
      FROM o
$$;

-- A funding line (资金渠道, e.g. the employment subsidy fund's vocational-training line) of a
-- region with its budget for one year, for one payee kind (a batch pays one kind from one line).
-- Set by subsidyctl funding set: each change bumps version and keeps the line as it was in
-- funding_line_version (and an audit row).  What batches commit against it is theirs to record.
CREATE TABLE funding_line (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region     text NOT NULL REFERENCES region (code),
    code       text NOT NULL CHECK (code ~ '^[0-9A-Za-z._-]{1,40}$'),
    year       int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    payee      text NOT NULL CHECK (payee IN ('person', 'institution', 'enterprise')),
    budget_fen bigint NOT NULL CHECK (budget_fen BETWEEN 0 AND 100000000000000),
    version    int NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by bigint,                                   -- token id; NULL from subsidyctl
    UNIQUE (region, code, year)
);
CREATE TABLE funding_line_version (
    funding_line_id bigint NOT NULL REFERENCES funding_line (id),
    version         int NOT NULL,
    name            text NOT NULL,
    payee           text NOT NULL CHECK (payee IN ('person', 'institution', 'enterprise')),
    budget_fen      bigint NOT NULL,
    set_at          timestamptz NOT NULL DEFAULT now(),
    set_by          bigint,
    PRIMARY KEY (funding_line_id, version)
);
GRANT SELECT, INSERT ON funding_line, funding_line_version TO subsidy_app;
GRANT UPDATE (name, payee, budget_fen, version, updated_at, updated_by) ON funding_line
    TO subsidy_app;
