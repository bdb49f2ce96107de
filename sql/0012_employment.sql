-- 0012 employment records (参保记录) as the social-insurance system exports them: who was insured
-- with which enterprise from when to when, for which kinds of insurance.  A claim's employer is
-- looked up here on its event date rather than taken from the body (an enterprise claims only for
-- a person insured with it; the trade-friction uplift and Jiaxing's year of unemployment
-- insurance follow the records).
--
-- The person is held only as the keyed hash of the ID number (the same hash as person.id_hash,
-- key outside the database), so records match people without the number being stored; a record
-- may name someone who has never claimed.  The enterprise need not be registered.  An export
-- sent again updates its records: one row per (person, enterprise, insured_from).
CREATE TABLE employment_record (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id_hash      bytea NOT NULL CHECK (octet_length(id_hash) = 32),
    credit_code  text NOT NULL CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    insured_from date NOT NULL,
    insured_to   date,     -- NULL: still insured
    kinds        text[] NOT NULL CHECK (kinds <@ ARRAY['pension', 'medical', 'unemployment',
                     'injury', 'maternity']::text[]),
    source       text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    imported_by  bigint,   -- token id
    CHECK (insured_to IS NULL OR insured_to >= insured_from),
    UNIQUE (id_hash, credit_code, insured_from)
);
CREATE INDEX employment_record_person ON employment_record (id_hash, insured_from);
GRANT SELECT, INSERT ON employment_record TO subsidy_app;
GRANT UPDATE (insured_to, kinds, source, updated_at, imported_by) ON employment_record
    TO subsidy_app;

-- The name an enterprise gave for the employee it claims for: what the enterprise is shown, so
-- that it never learns the name the person registered (the person row keeps the first name
-- given until the person registers).
ALTER TABLE claim ADD COLUMN employee_name text CHECK (length(employee_name) BETWEEN 1 AND 50);
