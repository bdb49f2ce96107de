-- 0003 administration: functional zones, the working-day calendar, the audit chain and
-- idempotency keys.

-- Functional zones named in the policies' annexes have no GB/T 2260 code: they get codes of the
-- project's own (city prefix + A + number), marked as such in source.
INSERT INTO region (code, name, parent, kind, source) VALUES
    ('3309A1', '舟山市新城管委会', '330900', 'functional zone', 'subsidyd (not GB/T 2260)'),
    ('3309A2', '普陀山—朱家尖管委会', '330900', 'functional zone', 'subsidyd (not GB/T 2260)'),
    ('3304A1', '嘉兴经济技术开发区', '330400', 'functional zone', 'subsidyd (not GB/T 2260)'),
    ('3304A2', '嘉兴港区', '330400', 'functional zone', 'subsidyd (not GB/T 2260)'),
    ('3302A1', '宁波国家高新区', '330200', 'functional zone', 'subsidyd (not GB/T 2260)'),
    ('3302A2', '宁波保税区', '330200', 'functional zone', 'subsidyd (not GB/T 2260)'),
    ('3302A3', '东钱湖旅游度假区', '330200', 'functional zone', 'subsidyd (not GB/T 2260)'),
    ('3302A4', '大榭开发区', '330200', 'functional zone', 'subsidyd (not GB/T 2260)'),
    ('3302A5', '杭州湾新区', '330200', 'functional zone', 'subsidyd (not GB/T 2260)'),
    ('3209A1', '盐城经济技术开发区', '320900', 'functional zone', 'subsidyd (not GB/T 2260)'),
    ('3209A2', '盐南高新区', '320900', 'functional zone', 'subsidyd (not GB/T 2260)');
GRANT INSERT ON region TO subsidy_app;

-- The working-day calendar: public holidays and make-up working days (调休), per year, as the
-- State Council publishes them.  A year with a row in calendar_year is loaded; deadlines in a
-- year that is not are computed on plain weeks and say so.
CREATE TABLE calendar_year (
    year       int PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    source     text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE calendar_day (
    day  date PRIMARY KEY,
    year int NOT NULL REFERENCES calendar_year (year) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 32),
    CHECK (extract(year FROM day) = year),
    -- only a weekend day can be made a working day
    CHECK (kind = 'holiday' OR extract(isodow FROM day) >= 6)
);
INSERT INTO calendar_year (year, source) VALUES
    (2020, '国务院办公厅关于2020年部分节假日安排的通知'),
    (2021, '国务院办公厅关于2021年部分节假日安排的通知'),
    (2022, '国务院办公厅关于2022年部分节假日安排的通知'),
    (2023, '国务院办公厅关于2023年部分节假日安排的通知'),
    (2024, '国务院办公厅关于2024年部分节假日安排的通知'),
    (2025, '国务院办公厅关于2025年部分节假日安排的通知');
INSERT INTO calendar_day (day, year, kind, name)
SELECT d::date, extract(year FROM d::date)::int, k, n FROM (VALUES
    ('2020-01-01', 'holiday', '元旦'),
    ('2020-01-19', 'workday', '春节调休'),
    ('2020-01-24', 'holiday', '春节'),
    ('2020-01-25', 'holiday', '春节'),
    ('2020-01-26', 'holiday', '春节'),
    ('2020-01-27', 'holiday', '春节'),
    ('2020-01-28', 'holiday', '春节'),
    ('2020-01-29', 'holiday', '春节'),
    ('2020-01-30', 'holiday', '春节'),
    ('2020-01-31', 'holiday', '春节'),
    ('2020-02-01', 'holiday', '春节'),
    ('2020-02-02', 'holiday', '春节'),
    ('2020-04-04', 'holiday', '清明节'),
    ('2020-04-05', 'holiday', '清明节'),
    ('2020-04-06', 'holiday', '清明节'),
    ('2020-04-26', 'workday', '劳动节调休'),
    ('2020-05-01', 'holiday', '劳动节'),
    ('2020-05-02', 'holiday', '劳动节'),
    ('2020-05-03', 'holiday', '劳动节'),
    ('2020-05-04', 'holiday', '劳动节'),
    ('2020-05-05', 'holiday', '劳动节'),
    ('2020-05-09', 'workday', '劳动节调休'),
    ('2020-06-25', 'holiday', '端午节'),
    ('2020-06-26', 'holiday', '端午节'),
    ('2020-06-27', 'holiday', '端午节'),
    ('2020-06-28', 'workday', '端午节调休'),
    ('2020-09-27', 'workday', '国庆节、中秋节调休'),
    ('2020-10-01', 'holiday', '国庆节、中秋节'),
    ('2020-10-02', 'holiday', '国庆节、中秋节'),
    ('2020-10-03', 'holiday', '国庆节、中秋节'),
    ('2020-10-04', 'holiday', '国庆节、中秋节'),
    ('2020-10-05', 'holiday', '国庆节、中秋节'),
    ('2020-10-06', 'holiday', '国庆节、中秋节'),
    ('2020-10-07', 'holiday', '国庆节、中秋节'),
    ('2020-10-08', 'holiday', '国庆节、中秋节'),
    ('2020-10-10', 'workday', '国庆节、中秋节调休'),
    ('2021-01-01', 'holiday', '元旦'),
    ('2021-01-02', 'holiday', '元旦'),
    ('2021-01-03', 'holiday', '元旦'),
    ('2021-02-07', 'workday', '春节调休'),
    ('2021-02-11', 'holiday', '春节'),
    ('2021-02-12', 'holiday', '春节'),
    ('2021-02-13', 'holiday', '春节'),
    ('2021-02-14', 'holiday', '春节'),
    ('2021-02-15', 'holiday', '春节'),
    ('2021-02-16', 'holiday', '春节'),
    ('2021-02-17', 'holiday', '春节'),
    ('2021-02-20', 'workday', '春节调休'),
    ('2021-04-03', 'holiday', '清明节'),
    ('2021-04-04', 'holiday', '清明节'),
    ('2021-04-05', 'holiday', '清明节'),
    ('2021-04-25', 'workday', '劳动节调休'),
    ('2021-05-01', 'holiday', '劳动节'),
    ('2021-05-02', 'holiday', '劳动节'),
    ('2021-05-03', 'holiday', '劳动节'),
    ('2021-05-04', 'holiday', '劳动节'),
    ('2021-05-05', 'holiday', '劳动节'),
    ('2021-05-08', 'workday', '劳动节调休'),
    ('2021-06-12', 'holiday', '端午节'),
    ('2021-06-13', 'holiday', '端午节'),
    ('2021-06-14', 'holiday', '端午节'),
    ('2021-09-18', 'workday', '中秋节调休'),
    ('2021-09-19', 'holiday', '中秋节'),
    ('2021-09-20', 'holiday', '中秋节'),
    ('2021-09-21', 'holiday', '中秋节'),
    ('2021-09-26', 'workday', '国庆节调休'),
    ('2021-10-01', 'holiday', '国庆节'),
    ('2021-10-02', 'holiday', '国庆节'),
    ('2021-10-03', 'holiday', '国庆节'),
    ('2021-10-04', 'holiday', '国庆节'),
    ('2021-10-05', 'holiday', '国庆节'),
    ('2021-10-06', 'holiday', '国庆节'),
    ('2021-10-07', 'holiday', '国庆节'),
    ('2021-10-09', 'workday', '国庆节调休'),
    ('2022-01-01', 'holiday', '元旦'),
    ('2022-01-02', 'holiday', '元旦'),
    ('2022-01-03', 'holiday', '元旦'),
    ('2022-01-29', 'workday', '春节调休'),
    ('2022-01-30', 'workday', '春节调休'),
    ('2022-01-31', 'holiday', '春节'),
    ('2022-02-01', 'holiday', '春节'),
    ('2022-02-02', 'holiday', '春节'),
    ('2022-02-03', 'holiday', '春节'),
    ('2022-02-04', 'holiday', '春节'),
    ('2022-02-05', 'holiday', '春节'),
    ('2022-02-06', 'holiday', '春节'),
    ('2022-04-02', 'workday', '清明节调休'),
    ('2022-04-03', 'holiday', '清明节'),
    ('2022-04-04', 'holiday', '清明节'),
    ('2022-04-05', 'holiday', '清明节'),
    ('2022-04-24', 'workday', '劳动节调休'),
    ('2022-04-30', 'holiday', '劳动节'),
    ('2022-05-01', 'holiday', '劳动节'),
    ('2022-05-02', 'holiday', '劳动节'),
    ('2022-05-03', 'holiday', '劳动节'),
    ('2022-05-04', 'holiday', '劳动节'),
    ('2022-05-07', 'workday', '劳动节调休'),
    ('2022-06-03', 'holiday', '端午节'),
    ('2022-06-04', 'holiday', '端午节'),
    ('2022-06-05', 'holiday', '端午节'),
    ('2022-09-10', 'holiday', '中秋节'),
    ('2022-09-11', 'holiday', '中秋节'),
    ('2022-09-12', 'holiday', '中秋节'),
    ('2022-10-01', 'holiday', '国庆节'),
    ('2022-10-02', 'holiday', '国庆节'),
    ('2022-10-03', 'holiday', '国庆节'),
    ('2022-10-04', 'holiday', '国庆节'),
    ('2022-10-05', 'holiday', '国庆节'),
    ('2022-10-06', 'holiday', '国庆节'),
    ('2022-10-07', 'holiday', '国庆节'),
    ('2022-10-08', 'workday', '国庆节调休'),
    ('2022-10-09', 'workday', '国庆节调休'),
    ('2023-01-01', 'holiday', '元旦'),
    ('2023-01-02', 'holiday', '元旦'),
    ('2023-01-21', 'holiday', '春节'),
    ('2023-01-22', 'holiday', '春节'),
    ('2023-01-23', 'holiday', '春节'),
    ('2023-01-24', 'holiday', '春节'),
    ('2023-01-25', 'holiday', '春节'),
    ('2023-01-26', 'holiday', '春节'),
    ('2023-01-27', 'holiday', '春节'),
    ('2023-01-28', 'workday', '春节调休'),
    ('2023-01-29', 'workday', '春节调休'),
    ('2023-04-05', 'holiday', '清明节'),
    ('2023-04-23', 'workday', '劳动节调休'),
    ('2023-04-29', 'holiday', '劳动节'),
    ('2023-04-30', 'holiday', '劳动节'),
    ('2023-05-01', 'holiday', '劳动节'),
    ('2023-05-02', 'holiday', '劳动节'),
    ('2023-05-03', 'holiday', '劳动节'),
    ('2023-05-06', 'workday', '劳动节调休'),
    ('2023-06-22', 'holiday', '端午节'),
    ('2023-06-23', 'holiday', '端午节'),
    ('2023-06-24', 'holiday', '端午节'),
    ('2023-06-25', 'workday', '端午节调休'),
    ('2023-09-29', 'holiday', '中秋节、国庆节'),
    ('2023-09-30', 'holiday', '中秋节、国庆节'),
    ('2023-10-01', 'holiday', '中秋节、国庆节'),
    ('2023-10-02', 'holiday', '中秋节、国庆节'),
    ('2023-10-03', 'holiday', '中秋节、国庆节'),
    ('2023-10-04', 'holiday', '中秋节、国庆节'),
    ('2023-10-05', 'holiday', '中秋节、国庆节'),
    ('2023-10-06', 'holiday', '中秋节、国庆节'),
    ('2023-10-07', 'workday', '中秋节、国庆节调休'),
    ('2023-10-08', 'workday', '中秋节、国庆节调休'),
    ('2024-01-01', 'holiday', '元旦'),
    ('2024-02-04', 'workday', '春节调休'),
    ('2024-02-10', 'holiday', '春节'),
    ('2024-02-11', 'holiday', '春节'),
    ('2024-02-12', 'holiday', '春节'),
    ('2024-02-13', 'holiday', '春节'),
    ('2024-02-14', 'holiday', '春节'),
    ('2024-02-15', 'holiday', '春节'),
    ('2024-02-16', 'holiday', '春节'),
    ('2024-02-17', 'holiday', '春节'),
    ('2024-02-18', 'workday', '春节调休'),
    ('2024-04-04', 'holiday', '清明节'),
    ('2024-04-05', 'holiday', '清明节'),
    ('2024-04-06', 'holiday', '清明节'),
    ('2024-04-07', 'workday', '清明节调休'),
    ('2024-04-28', 'workday', '劳动节调休'),
    ('2024-05-01', 'holiday', '劳动节'),
    ('2024-05-02', 'holiday', '劳动节'),
    ('2024-05-03', 'holiday', '劳动节'),
    ('2024-05-04', 'holiday', '劳动节'),
    ('2024-05-05', 'holiday', '劳动节'),
    ('2024-05-11', 'workday', '劳动节调休'),
    ('2024-06-10', 'holiday', '端午节'),
    ('2024-09-14', 'workday', '中秋节调休'),
    ('2024-09-15', 'holiday', '中秋节'),
    ('2024-09-16', 'holiday', '中秋节'),
    ('2024-09-17', 'holiday', '中秋节'),
    ('2024-09-29', 'workday', '国庆节调休'),
    ('2024-10-01', 'holiday', '国庆节'),
    ('2024-10-02', 'holiday', '国庆节'),
    ('2024-10-03', 'holiday', '国庆节'),
    ('2024-10-04', 'holiday', '国庆节'),
    ('2024-10-05', 'holiday', '国庆节'),
    ('2024-10-06', 'holiday', '国庆节'),
    ('2024-10-07', 'holiday', '国庆节'),
    ('2024-10-12', 'workday', '国庆节调休'),
    ('2025-01-01', 'holiday', '元旦'),
    ('2025-01-26', 'workday', '春节调休'),
    ('2025-01-28', 'holiday', '春节'),
    ('2025-01-29', 'holiday', '春节'),
    ('2025-01-30', 'holiday', '春节'),
    ('2025-01-31', 'holiday', '春节'),
    ('2025-02-01', 'holiday', '春节'),
    ('2025-02-02', 'holiday', '春节'),
    ('2025-02-03', 'holiday', '春节'),
    ('2025-02-04', 'holiday', '春节'),
    ('2025-02-08', 'workday', '春节调休'),
    ('2025-04-04', 'holiday', '清明节'),
    ('2025-04-05', 'holiday', '清明节'),
    ('2025-04-06', 'holiday', '清明节'),
    ('2025-04-27', 'workday', '劳动节调休'),
    ('2025-05-01', 'holiday', '劳动节'),
    ('2025-05-02', 'holiday', '劳动节'),
    ('2025-05-03', 'holiday', '劳动节'),
    ('2025-05-04', 'holiday', '劳动节'),
    ('2025-05-05', 'holiday', '劳动节'),
    ('2025-05-31', 'holiday', '端午节'),
    ('2025-06-01', 'holiday', '端午节'),
    ('2025-06-02', 'holiday', '端午节'),
    ('2025-09-28', 'workday', '国庆节、中秋节调休'),
    ('2025-10-01', 'holiday', '国庆节、中秋节'),
    ('2025-10-02', 'holiday', '国庆节、中秋节'),
    ('2025-10-03', 'holiday', '国庆节、中秋节'),
    ('2025-10-04', 'holiday', '国庆节、中秋节'),
    ('2025-10-05', 'holiday', '国庆节、中秋节'),
    ('2025-10-06', 'holiday', '国庆节、中秋节'),
    ('2025-10-07', 'holiday', '国庆节、中秋节'),
    ('2025-10-08', 'holiday', '国庆节、中秋节'),
    ('2025-10-11', 'workday', '国庆节、中秋节调休')
) AS v (d, k, n);
GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_year, calendar_day TO subsidy_app;

-- The audit log: every change, append-only, chained by hash.  Rows fall into 16 chains by
-- object (so that writes to different objects do not queue on one lock); each row's hash covers
-- its chain predecessor's hash and its own content, so a changed or deleted row breaks its chain.
-- The service may insert and read, never update or delete; the trigger keeps the chain heads.
CREATE TABLE audit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chain       smallint NOT NULL CHECK (chain BETWEEN 0 AND 15),
    seq         bigint NOT NULL CHECK (seq > 0),
    at          timestamptz NOT NULL DEFAULT now(),
    actor       bigint,      -- token id; NULL for subsidyctl
    action      text NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    object_kind text NOT NULL CHECK (length(object_kind) BETWEEN 1 AND 32),
    object_id   text NOT NULL CHECK (length(object_id) BETWEEN 1 AND 64),
    before      jsonb,
    after       jsonb,
    request_id  text,
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL,
    UNIQUE (chain, seq)
);
CREATE INDEX audit_object ON audit (object_kind, object_id, id);

CREATE TABLE audit_head (
    chain smallint PRIMARY KEY,
    seq   bigint NOT NULL,
    hash  bytea NOT NULL
);
INSERT INTO audit_head SELECT g, 0, decode(repeat('00', 32), 'hex') FROM generate_series(0, 15) AS g;

-- What a row's hash covers, in one place for the trigger and the verifier.
CREATE FUNCTION audit_digest(prev bytea, chain smallint, seq bigint, at timestamptz,
                             actor bigint, action text, object_kind text, object_id text,
                             before jsonb, after jsonb, request_id text)
RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT sha256(prev || convert_to(concat_ws(chr(31), chain, seq,
        to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), coalesce(actor::text, '-'),
        action, object_kind, object_id, coalesce(before::text, '-'), coalesce(after::text, '-'),
        coalesce(request_id, '-')), 'UTF8'))
$$;

CREATE FUNCTION audit_link() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
DECLARE
    head audit_head%ROWTYPE;
BEGIN
    NEW.chain := abs(hashtext(NEW.object_kind || ':' || NEW.object_id)) % 16;
    NEW.at := now();
    SELECT * INTO head FROM audit_head WHERE audit_head.chain = NEW.chain FOR UPDATE;
    NEW.seq := head.seq + 1;
    NEW.prev_hash := head.hash;
    NEW.hash := audit_digest(NEW.prev_hash, NEW.chain, NEW.seq, NEW.at, NEW.actor, NEW.action,
                             NEW.object_kind, NEW.object_id, NEW.before, NEW.after,
                             NEW.request_id);
    UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE audit_head.chain = NEW.chain;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_link BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION audit_link();
REVOKE ALL ON audit_head FROM PUBLIC;
GRANT SELECT, INSERT ON audit TO subsidy_app;

-- Idempotency keys: the first reply to a (caller, key) is kept with a hash of the request, in the
-- same transaction as the effect; a replay gets the stored reply byte for byte.
CREATE TABLE idempotency (
    caller       text NOT NULL CHECK (length(caller) BETWEEN 1 AND 80),
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 128),
    route        text NOT NULL,
    request_hash bytea NOT NULL CHECK (octet_length(request_hash) = 32),
    status       int NOT NULL,
    reply        text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key)
);
GRANT SELECT, INSERT ON idempotency TO subsidy_app;
GRANT UPDATE (status, reply) ON idempotency TO subsidy_app;
