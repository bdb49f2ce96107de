-- 0019 an Idempotency-Key written once: until now a request took its key by inserting a row
-- with an empty reply at its start and stored the reply by updating that row at its end (two
-- row versions and their index entries per request).  Now it waits for the key's advisory lock
-- (held to its COMMIT, so that requests with one key still run one after the other), looks
-- whether a committed request holds the key, and inserts the row once, with its reply, with
-- its COMMIT (src/http/idempotent.c, src/db/idempotency.c).  The primary key stays the guard of
-- last resort: a second row for a key fails the COMMIT that would write it.
--
-- A function, not one statement: a statement's snapshot is taken before it starts waiting for
-- the lock, so that it could not see the row the holder committed meanwhile; each statement of
-- a VOLATILE function takes its own.  The lock's key space (1962, hash) is the service's own.
CREATE FUNCTION idempotency_free(p_caller text, p_key text) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(1962, hashtext(p_caller || chr(31) || p_key));
    RETURN NOT EXISTS (SELECT 1 FROM idempotency WHERE caller = p_caller AND key = p_key);
END
$$;
REVOKE ALL ON FUNCTION idempotency_free(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION idempotency_free(text, text) TO subsidy_app;
-- Rows are inserted whole and never changed.
REVOKE UPDATE ON idempotency FROM subsidy_app;
