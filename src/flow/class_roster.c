/* Rosters: the trainees sealed and masked as profiles are (src/flow/person.c, src/util/pii.c),
 * written as a class's roster, and the change of a roster until the start date (class.h). */
#include "class.h"

#include <stdio.h>
#include <string.h>

#include "sr_workflow.h"

bool class_visible(const struct sd_principal *who, const char *institution, const char *region,
                   const char *region_parent)
{
    if (who->role == SD_ROLE_INSTITUTION)
        return who->subject[0] && strcmp(who->subject, institution) == 0;
    if (who->role != SD_ROLE_APPROVER)
        return false;
    for (int i = 0; i < who->nregions; i++)
        if (strcmp(who->regions[i], region) == 0 ||
            (region_parent[0] && strcmp(who->regions[i], region_parent) == 0))
            return true;
    return false;
}

/* [{row, id_hash, id_sealed, id_masked, name}]: what the database keeps of each trainee. */
static char *sealed_entries(const struct sd_pii_keys *keys, const struct class_roster_in *roster)
{
    json_t *list = json_array();
    for (size_t i = 0; i < roster->n; i++) {
        const struct class_trainee *t = &roster->rows[i];
        char id[19], hash[SD_PII_HASH_HEX], sealed[SD_PII_SEALED_HEX], masked[19];
        snprintf(id, sizeof id, "%s", t->id_number);
        if (id[17] == 'x')
            id[17] = 'X';
        sd_pii_id_hash(keys, id, hash);
        sd_pii_seal(keys, id, sealed);
        sd_pii_mask_id(id, masked);
        json_array_append_new(list,
                              json_pack("{s:i, s:s, s:s, s:s, s:s}", "row", t->row, "id_hash", hash,
                                        "id_sealed", sealed, "id_masked", masked, "name", t->name));
    }
    char *text = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    return text;
}

enum db_rc class_roster_apply(const struct flow_caller *c, struct db_conn *db, long long id,
                              const char *guard_key, const char *state, int capacity,
                              const struct class_signal_basis *basis,
                              const struct class_roster_in *roster, struct flow_result *res,
                              json_t **counts)
{
    *counts = NULL;
    if (roster->n > (size_t)capacity) {
        char detail[96];
        snprintf(detail, sizeof detail,
                 c->errors->lang_en ? "%zu trainees, capacity %d" : "花名册 %zu 人，容量 %d 人",
                 roster->n, capacity);
        return flow_refuse(
            res, SD_E_CLASS_CAPACITY_EXCEEDED, detail,
            json_pack("{s:i, s:i}", "roster_count", (int)roster->n, "capacity", capacity));
    }
    char *entries = sealed_entries(c->pii, roster);
    if (!entries)
        return flow_db(res, DB_HARD);
    const struct db_roster_write w = {.class_id = id,
                                      .guard_key = guard_key,
                                      .entries_json = entries,
                                      .actor = c->who->token_id,
                                      .actor_role = flow_role(c),
                                      .request_id = c->request_id,
                                      .action = "roster",
                                      .state = state};
    enum db_roster_outcome outcome;
    json_t *conflicts = NULL;
    enum db_rc rc = db_roster_write(db, &w, &outcome, &conflicts, counts);
    free(entries);
    if (rc != DB_OK)
        return flow_db(res, rc);
    if (outcome == DB_ROSTER_STUFFING) {
        char detail[96];
        snprintf(detail, sizeof detail,
                 c->errors->lang_en ? "%zu trainee(s) on another class" : "%zu 人已在其他班级",
                 json_array_size(conflicts));
        return flow_refuse(res, SD_E_ROSTER_STUFFING, detail,
                           json_pack("{s:o}", "conflicts", conflicts));
    }
    rc = class_roster_signals(c, db, id, basis, roster, res);
    if (rc != DB_OK) {
        json_decref(*counts);
        *counts = NULL;
    }
    return rc;
}

enum db_rc flow_class_roster_put(const struct flow_caller *c, struct db_conn *db,
                                 const struct flow_args *args, struct flow_result *res)
{
    long long id = args->id;
    const struct class_roster_in *roster = args->in.roster;
    struct db_class_locked k;
    enum db_rc rc = class_lock_visible(c, db, id, true, &k, res);
    if (rc != DB_OK)
        return rc;
    enum sr_class_state state;
    int32_t start;
    if (!sr_class_state_parse(k.state, &state) || !sr_day_parse(k.start_date, &start))
        return flow_db(res, DB_HARD);
    if (!sr_class_roster_editable(state, c->today, start)) {
        char detail[96];
        snprintf(detail, sizeof detail,
                 c->errors->lang_en ? "the class is %s, starting %s" : "班级状态为 %s，开班日期 %s",
                 k.state, k.start_date);
        return flow_refuse(res, SD_E_ROSTER_NOT_EDITABLE, detail, NULL);
    }
    json_t *counts = NULL;
    const struct class_signal_basis basis = {k.policy, k.kind, k.start_date};
    rc = class_roster_apply(c, db, id, k.guard_key, k.state, k.capacity, &basis, roster, res,
                            &counts);
    json_t *items = NULL;
    if (rc == DB_OK)
        rc = db_class_roster(db, id, &items);
    char idt[24];
    snprintf(idt, sizeof idt, "%lld", id);
    char *after = rc == DB_OK ? json_dumps(counts, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (rc == DB_OK)
        rc = after ? db_audit(db, &(struct db_audit_row){.actor = c->who->token_id,
                                                         .action = "class.roster",
                                                         .object_kind = "class",
                                                         .object_id = idt,
                                                         .after = after,
                                                         .request_id = c->request_id})
                   : DB_HARD;
    free(after);
    if (rc == DB_OK) {
        json_object_set_new(counts, "class_id", json_integer(id));
        json_object_set_new(counts, "roster", items);
        return flow_done(res, 200, counts);
    }
    json_decref(counts);
    json_decref(items);
    return rc == DB_ABORT ? rc : flow_db(res, rc);
}
