-- 0017 a claim's certificate is tied in the statement that writes the claim (src/db/claim.c)
-- rather than by a second UPDATE of the new row: one round trip and one row version fewer per
-- submission.  PostgreSQL checks a row's unique indexes in the order they were created, and the
-- UPDATE used to check claim_certificate_once only after the insert had passed
-- claim_once_per_year and claim_same_key; so that a claim in conflict on both still hears of its
-- occupation and level first, the index is created again, now after those two.  Same definition
-- as in 0014.
DROP INDEX claim_certificate_once;
CREATE UNIQUE INDEX claim_certificate_once ON claim (certificate_id, kind)
    WHERE certificate_id IS NOT NULL AND claim_state_live(state);
