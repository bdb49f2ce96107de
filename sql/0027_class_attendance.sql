-- 0027 attendance and process checks of a running class (issue 12, src/rules/domain/WORKFLOW.md
-- "Class"): the sessions its institution holds, the trainees' sign-ins per session with the
-- method and an evidence reference (a face-check or video record id: Ningbo 五(三) keeps the
-- whole class on video), the ratio at which a policy counts online study hours toward the class
-- hours (Yancheng 四(二)4: 在线学习课时可按比例计入, the ratio left to the department), and the
-- approvers' process inspections.  The class row is locked before any of these is written, so
-- that two sessions of one class cannot overlap even when filed at once.

-- The percent of an online session's hours a policy counts toward the class hours; no row: 0
-- (no other policy text counts online study).  subsidyctl class-online-ratio set writes them.
CREATE TABLE class_online_ratio (
    policy_id  text PRIMARY KEY CHECK (policy_id ~ '^[a-z0-9-]{1,63}$'),
    percent    int NOT NULL CHECK (percent BETWEEN 0 AND 100),
    note       text CHECK (length(note) <= 200),
    updated_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT ON class_online_ratio TO subsidy_app;
GRANT UPDATE (percent, note, updated_at) ON class_online_ratio TO subsidy_app;

CREATE TABLE class_session (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    class_id   bigint NOT NULL REFERENCES class (id),
    day        date NOT NULL,
    starts_at  time NOT NULL,
    ends_at    time NOT NULL,
    mode       text NOT NULL CHECK (mode IN ('in_person', 'online')),
    hours      int NOT NULL CHECK (hours BETWEEN 1 AND 24),   -- the class hours it counts for
    topic      text CHECK (length(topic) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by bigint,
    CHECK (ends_at > starts_at)
);
CREATE INDEX class_session_class ON class_session (class_id, day, starts_at);
GRANT SELECT, INSERT ON class_session TO subsidy_app;

-- A trainee's sign-in to a session: once per roster entry and session.
CREATE TABLE class_signin (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id bigint NOT NULL REFERENCES class_session (id),
    entry_id   bigint NOT NULL REFERENCES class_roster_entry (id),
    signed_at  time NOT NULL,  -- on the session's day, between its start and end
    method     text NOT NULL CHECK (method IN ('face_check', 'card', 'video', 'online_platform')),
    evidence   text NOT NULL CHECK (length(evidence) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by bigint,
    UNIQUE (session_id, entry_id)
);
CREATE INDEX class_signin_entry ON class_signin (entry_id);
GRANT SELECT, INSERT ON class_signin TO subsidy_app;

-- An approver's process inspection (过程检查) of a running class.
CREATE TABLE class_inspection (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    class_id   bigint NOT NULL REFERENCES class (id),
    day        date NOT NULL,
    findings   text NOT NULL CHECK (length(findings) BETWEEN 1 AND 2000),
    result     text NOT NULL CHECK (result IN ('ok', 'problems_found')),
    evidence   text CHECK (length(evidence) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by bigint
);
CREATE INDEX class_inspection_class ON class_inspection (class_id, id);
GRANT SELECT, INSERT ON class_inspection TO subsidy_app;
