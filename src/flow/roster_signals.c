/* Roster signals (class.h; issue 12 "Signals, not refusals"): computed whenever a roster is filed
 * or changed, they refuse nothing and are shown with the class.  This file decides the signals
 * of a single trainee that the ID number and the policy file give (past retirement age on the
 * start date, sr_coverage.h) and what the policy says of students; the database adds those
 * against other rosters (several institutions in a month, overlapping dates) under a lock on
 * the persons (src/db/roster_signal.c). */
#include "class.h"

#include <stdlib.h>
#include <string.h>

#include "sr_coverage.h"

/* {row, kind: past_retirement_age, detail} for each trainee past the retirement age on start. */
static json_t *retirement_signals(const struct class_roster_in *roster, int32_t start,
                                  const struct sr_policy *pol)
{
    const char *section = "";
    bool covered = pol && sr_policy_covers_retired(pol, &section);
    json_t *list = json_array();
    for (size_t i = 0; i < roster->n; i++) {
        const char *id = roster->rows[i].id_number;
        int32_t born;
        if (sr_resident_id_check(id, SR_NO_DATE, &born) != SR_ID_OK)
            continue; /* checked by the handler */
        int months;
        if (start < sr_retirement_day(born, sr_resident_id_is_male(id), &months))
            continue;
        /* the age the rule sets, never the birth date (the masked ID number hides it) */
        json_t *detail = json_pack("{s:i, s:s, s:s}", "retirement_age_months", months, "coverage",
                                   covered ? "covered_without_pension" : "not_covered", "policy",
                                   pol ? sr_policy_id(pol) : "");
        json_object_set_new(detail, "section", section[0] ? json_string(section) : json_null());
        json_array_append_new(list, json_pack("{s:i, s:s, s:o}", "row", roster->rows[i].row, "kind",
                                              "past_retirement_age", "detail", detail));
    }
    return list;
}

enum db_rc class_roster_signals(const struct flow_caller *c, struct db_conn *db, long long id,
                                const struct class_signal_basis *b,
                                const struct class_roster_in *roster, struct flow_result *res)
{
    int32_t start;
    if (!sr_day_parse(b->start_date, &start))
        return flow_db(res, DB_HARD);
    const struct sr_policy *pol = sr_policy_set_find(c->policies, b->policy);
    const char *section = "";
    /* a student apprentice is the apprenticeship's own trainee (POLICIES.md 三(十二), 三(一)) */
    bool students = strcmp(b->kind, "apprenticeship") == 0 ||
                    (pol && sr_policy_covers_graduating(pol, &section));
    json_t *rows = retirement_signals(roster, start, pol);
    json_t *student = json_pack("{s:s, s:s, s:s}", "coverage", "not_covered", "policy", b->policy,
                                "input", "person.groups graduating_student");
    char *rows_text = json_dumps(rows, JSON_COMPACT);
    char *student_text = json_dumps(student, JSON_COMPACT);
    json_decref(rows);
    json_decref(student);
    long long count = 0;
    enum db_rc rc = rows_text && student_text
                        ? db_roster_signals_write(
                              db,
                              &(struct db_roster_signals){.class_id = id,
                                                          .row_signals_json = rows_text,
                                                          .students_not_covered = !students,
                                                          .student_detail_json = student_text},
                              &count)
                        : DB_HARD;
    free(rows_text);
    free(student_text);
    return rc == DB_OK ? DB_OK : flow_db(res, rc);
}
