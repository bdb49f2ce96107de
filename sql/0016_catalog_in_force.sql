-- 0016 the catalog version in force on a day, defined once: the version of a policy and year
-- with the latest effective date on or before that day; versions with the same effective date,
-- the highest version number.  A back-dated upload (effective before a version already
-- published) is in force from its own date until the next effective date, not beyond it: a
-- correction from the same date on is published with that date.  Used by the submission's
-- judgement (on the request's day) and by GET /v1/catalogs?on=.
-- plpgsql, so that each session plans the query once.
CREATE FUNCTION catalog_in_force(p_policy text, p_year int, p_on date) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (SELECT id FROM catalog
             WHERE policy_id = p_policy AND year = p_year AND effective_from <= p_on
             ORDER BY effective_from DESC, version DESC LIMIT 1);
END
$$;
GRANT EXECUTE ON FUNCTION catalog_in_force(text, int, date) TO subsidy_app;
