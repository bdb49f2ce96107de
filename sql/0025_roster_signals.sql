-- 0025 roster signals (issue 12 "Signals, not refusals"): what an approver should look at on a
-- class's roster, computed when the roster is filed or changed (src/flow/roster_signals.c) and
-- shown with the class to its institution and the approvers of its region.  A signal refuses
-- nothing.  Kinds:
--   past_retirement_age   the trainee is past the statutory retirement age on the start date
--                         (detail: what the class's policy says of such people)
--   student_not_covered   the trainee is a student in the graduation year (person.groups,
--                         graduating_student) and the policy does not cover students
--   several_institutions  the trainee is on a live roster of another institution's class that
--                         runs in the same calendar month (detail: the first such month)
--   overlapping_dates     the trainee is on a live roster of a class whose dates overlap
-- A signal about two classes is one row, written by the later filing and shown on both classes
-- (class_signals_json reads it from either side); it names the other class by id only.
CREATE TABLE roster_signal (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    class_id       bigint NOT NULL REFERENCES class (id),
    entry_id       bigint NOT NULL REFERENCES class_roster_entry (id),
    kind           text NOT NULL CHECK (kind IN ('past_retirement_age', 'student_not_covered',
                                                 'several_institutions', 'overlapping_dates')),
    other_class_id bigint REFERENCES class (id),
    other_entry_id bigint REFERENCES class_roster_entry (id),
    detail         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(detail) = 'object'),
    computed_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((other_class_id IS NULL) = (other_entry_id IS NULL))
);
CREATE INDEX roster_signal_class ON roster_signal (class_id);
CREATE INDEX roster_signal_other_class ON roster_signal (other_class_id);
CREATE INDEX roster_signal_entry ON roster_signal (entry_id);
CREATE INDEX roster_signal_other_entry ON roster_signal (other_entry_id);
-- a roster's signals are replaced whenever it changes
GRANT SELECT, INSERT, DELETE ON roster_signal TO subsidy_app;

-- The signals of one roster entry, seen from its class, while both entries are on live rosters.
CREATE FUNCTION roster_entry_signals(entry bigint) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('kind', v.kind, 'other_class_id', v.other_class)
                              || v.detail ORDER BY v.kind, v.other_class), '[]')
      FROM (SELECT s.kind, s.other_class_id AS other_class, s.other_entry_id AS other_entry,
                   s.detail
              FROM roster_signal s WHERE s.entry_id = entry
            UNION ALL
            SELECT s.kind, s.class_id, s.entry_id, s.detail
              FROM roster_signal s WHERE s.other_entry_id = entry) v
     WHERE v.other_entry IS NULL
        OR EXISTS (SELECT 1 FROM class_roster_entry o
                    WHERE o.id = v.other_entry AND o.live AND o.removed_at IS NULL)
$$;
GRANT EXECUTE ON FUNCTION roster_entry_signals(bigint) TO subsidy_app;

-- Every signal of a class's live roster: [{row, person: {id_number_masked, name}, kind,
-- other_class_id, ...detail}], masked as rosters are (src/db/class_db.h DB_MASK_NAME).
CREATE FUNCTION class_signals_json(cls bigint) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('row', r.row_no, 'person',
                                  jsonb_build_object('id_number_masked', p.id_masked, 'name',
                                      left(r.name, 1) || repeat('*', greatest(length(r.name) - 1, 1))))
                              || g.sig ORDER BY r.row_no, g.sig->>'kind',
                                 g.sig->>'other_class_id'), '[]')
      FROM class_roster_entry r
      JOIN person p ON p.id = r.person_id
      CROSS JOIN LATERAL jsonb_array_elements(roster_entry_signals(r.id)) AS g (sig)
     WHERE r.class_id = cls AND r.removed_at IS NULL AND r.live
$$;
GRANT EXECUTE ON FUNCTION class_signals_json(bigint) TO subsidy_app;
