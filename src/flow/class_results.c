/* Assessment results (考核鉴定, class.h): the institution records, for trainees of a completed
 * class's roster who passed completion, the certificate each was given.  Every row problem is
 * named at once — a trainee not on the roster or who did not pass, an issuing body not in the
 * registry, a certificate already backing a live claim of its kind or already recorded (also
 * by another class's upload at the same moment) — and nothing is written when anything is wrong.  A
 * result from a body suspended, or on the black list on the issue date, is recorded but held for
 * review (not payable).  Then the class moves to assessed (sr_class_transition), and the reply is
 * the upload's acceptance receipt. */
#include "class.h"
#include "class_attendance.h"

#include <stdio.h>
#include <stdlib.h>

/* The rows as the check statement takes them: [{row, id_hash, kind, number, body,
 * issue_date}]. */
static json_t *keyed_rows(const struct flow_caller *c, const struct class_results_in *in)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < in->n; i++) {
        const struct class_certificate *t = &in->rows[i];
        char hash[SD_PII_HASH_HEX];
        class_id_hash(c->pii, t->id_number, hash);
        json_array_append_new(rows, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s}", "row", t->row,
                                              "id_hash", hash, "kind", t->kind, "number", t->number,
                                              "body", t->body, "issue_date", t->issue_date));
    }
    return rows;
}

static void row_error(const struct flow_caller *c, int row, const char *name, enum sd_err code,
                      const char *zh, const char *en)
{
    char field[64];
    snprintf(field, sizeof field, "results[%d].%s", row, name);
    jerr_add(c->errors, field, code, zh, en);
}

static void certificate_taken(const struct flow_caller *c, int row)
{
    row_error(c, row, "number", SD_E_CERTIFICATE_ALREADY_USED,
              "该证书编号已用于同一类别的申领或已登记",
              "already backs a claim of its kind or is recorded");
}

/* Name every row problem the database shows; the rows to write [{entry, row, kind, number,
 * level, issue_date, body, hold_reason}] into *out, and how many are held. */
static void judge_rows(const struct flow_caller *c, const struct class_results_in *in,
                       json_t *checked, json_t *out, size_t *held)
{
    for (size_t i = 0; i < in->n && i < json_array_size(checked); i++) {
        const struct class_certificate *t = &in->rows[i];
        json_t *k = json_array_get(checked, i);
        json_t *entry = json_object_get(k, "entry");
        if (json_is_null(entry))
            row_error(c, t->row, "id_number", SD_E_FIELD_REFERENCE, "不在本班花名册中",
                      "not on the class's roster");
        else if (!json_is_true(json_object_get(k, "passed")))
            row_error(c, t->row, "id_number", SD_E_TRAINEE_NOT_PASSED, "该学员未结业合格",
                      "the trainee did not pass completion");
        if (!json_is_true(json_object_get(k, "body_found")))
            row_error(c, t->row, "issuing_body", SD_E_FIELD_REFERENCE, "不是已登记的评价机构",
                      "not a registered evaluation body");
        if (json_is_true(json_object_get(k, "used")))
            certificate_taken(c, t->row);
        const char *hold = json_is_true(json_object_get(k, "body_suspended")) ? "body_suspended"
                           : json_is_true(json_object_get(k, "body_black_listed"))
                               ? "body_black_listed"
                               : NULL;
        *held += hold != NULL;
        json_array_append_new(out, json_pack("{s:O, s:i, s:s, s:s, s:s, s:s, s:s, s:s?}", "entry",
                                             entry, "row", t->row, "kind", t->kind, "number",
                                             t->number, "level", t->level, "issue_date",
                                             t->issue_date, "body", t->body, "hold_reason", hold));
    }
}

/* Check the rows against the database: DB_OK with *rows to write, else the refusal in res. */
static enum db_rc check(const struct flow_caller *c, struct db_conn *db, long long id,
                        const struct class_results_in *in, json_t **rows, size_t *held,
                        struct flow_result *res)
{
    json_t *keyed = keyed_rows(c, in);
    char *text = json_dumps(keyed, JSON_COMPACT);
    json_decref(keyed);
    json_t *checked = NULL;
    enum db_rc rc = text ? db_class_results_check(db, id, text, &checked) : DB_HARD;
    free(text);
    if (rc == DB_OK && json_array_size(checked) != in->n)
        rc = DB_HARD;
    if (rc != DB_OK) {
        json_decref(checked);
        return flow_db(res, rc);
    }
    *rows = json_array();
    judge_rows(c, in, checked, *rows, held);
    json_decref(checked);
    if (jerr_count(c->errors) == 0)
        return DB_OK;
    json_decref(*rows);
    *rows = NULL;
    return flow_invalid(res, SD_E_RESULTS_INVALID, NULL);
}

enum db_rc flow_class_results(const struct flow_caller *c, struct db_conn *db,
                              const struct flow_args *args, struct flow_result *res)
{
    long long id = args->id;
    const struct class_results_in *in = args->in.results;
    struct db_class_locked k;
    enum sr_class_state to;
    enum db_rc rc = class_step_lock(c, db, id, SR_CLASS_ASSESS, &k, &to, res);
    json_t *rows = NULL;
    size_t held = 0;
    if (rc == DB_OK)
        rc = check(c, db, id, in, &rows, &held, res);
    if (rc != DB_OK)
        return rc;
    char *text = json_dumps(rows, JSON_COMPACT);
    size_t total = json_array_size(rows);
    json_decref(rows);
    struct db_rows_written w;
    rc = text ? db_class_results_write(db, id, text, c->who->token_id, &w) : DB_HARD;
    free(text);
    if (rc != DB_OK)
        return flow_db(res, rc);
    if (w.n < total) /* another class recorded some of these certificates at the same moment */
        for (size_t i = 0; i < in->n; i++)
            if (!db_rows_written_has(&w, in->rows[i].row))
                certificate_taken(c, in->rows[i].row);
    free(w.rows);
    if (jerr_count(c->errors))
        return flow_invalid(res, SD_E_RESULTS_INVALID, NULL);
    char detail[96];
    snprintf(detail, sizeof detail, "{\"results\": %zu, \"held\": %zu}", total, held);
    const struct class_step_in step = {.action = SR_CLASS_ASSESS};
    rc = class_step_write(c, db, id, &step, &k, to, detail, res);
    if (rc != DB_OK)
        return rc;
    json_t *receipt = NULL;
    rc = db_class_results_receipt(db, id, &receipt);
    flow_result_free(res);
    *res = (struct flow_result){0};
    if (rc != DB_OK)
        return flow_db(res, rc == DB_NOT_FOUND ? DB_HARD : rc);
    return flow_done(res, 200, receipt);
}
