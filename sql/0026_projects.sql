-- 0026 the published project list (项目制培训): the department publishes the projects of a
-- policy in a region — code, name, the class hours, the standard per trainee in fen, and the
-- institutions admitted to run it — as Zhoushan 二(九) (公布项目清单, ≤ 35 yuan a class hour,
-- ≤ 1500 a person) and Ningbo 五(二) (发布项目征集计划 → 公布项目清单) and 五(三) (定期向社会公布)
-- describe (src/rules/domain/POLICIES.md).  A project's code is what a project class names
-- (class.project_code, 0021).  Written by an admin (PUT /v1/admin/projects/{code}, audited),
-- read by anyone (GET /v1/public/projects).
CREATE TABLE project (
    code         text PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z._-]{1,40}$'),
    policy_id    text NOT NULL CHECK (policy_id ~ '^[a-z0-9-]{1,63}$'),
    region       text NOT NULL REFERENCES region (code),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    class_hours  int NOT NULL CHECK (class_hours BETWEEN 1 AND 10000),
    standard_fen bigint NOT NULL CHECK (standard_fen BETWEEN 1 AND 100000000),
    -- withdrawn: no longer on the published list (the row stays: classes name it)
    status       text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'withdrawn')),
    published_on date NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_region ON project (region, code);
GRANT SELECT, INSERT ON project TO subsidy_app;
GRANT UPDATE (policy_id, region, name, class_hours, standard_fen, status, updated_at)
    ON project TO subsidy_app;

-- The institutions admitted to run a project; a new publication replaces the set.
CREATE TABLE project_institution (
    project_code text NOT NULL REFERENCES project (code),
    institution  text NOT NULL REFERENCES institution (credit_code),
    PRIMARY KEY (project_code, institution)
);
CREATE INDEX project_institution_by_institution ON project_institution (institution, project_code);
GRANT SELECT, INSERT, DELETE ON project_institution TO subsidy_app;
