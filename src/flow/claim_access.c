/* Who may touch a claim, and the lock a change takes first (claim.h). */
#include "claim.h"

#include <stdio.h>
#include <string.h>

bool claim_owned(const struct sd_principal *who, const char *owner_role, const char *owner_subject)
{
    const char *role = sd_role_name(who->role);
    return role && strcmp(role, owner_role) == 0 && who->subject[0] &&
           strcmp(who->subject, owner_subject) == 0;
}

bool claim_visible(const struct sd_principal *who, const char *owner_role,
                   const char *owner_subject, const char *region, const char *region_parent,
                   bool never_submitted)
{
    if (who->role != SD_ROLE_APPROVER || never_submitted)
        return claim_owned(who, owner_role, owner_subject);
    for (int i = 0; i < who->nregions; i++)
        if (strcmp(who->regions[i], region) == 0 ||
            (region_parent[0] && strcmp(who->regions[i], region_parent) == 0))
            return true;
    return false;
}

bool claim_visible_to_finance(const struct sd_principal *who, const char *region,
                              const char *region_parent, const char *state)
{
    static const char *const after_approval[] = {"approved", "in_notice", "objected", "payable",
                                                 "paid"};
    if (who->role != SD_ROLE_FINANCE)
        return false;
    bool decided = false;
    for (size_t i = 0; i < sizeof after_approval / sizeof after_approval[0]; i++)
        decided |= strcmp(state, after_approval[i]) == 0;
    for (int i = 0; decided && i < who->nregions; i++)
        if (strcmp(who->regions[i], region) == 0 ||
            (region_parent[0] && strcmp(who->regions[i], region_parent) == 0))
            return true;
    return false;
}

bool claim_about_caller(const struct sd_principal *who, const char *person_owner, const char *state)
{
    return who->role == SD_ROLE_APPLICANT && who->subject[0] &&
           strcmp(person_owner, who->subject) == 0 && strcmp(state, "draft") != 0;
}

enum db_rc claim_lock_owned(const struct flow_caller *c, struct db_conn *db, long long id,
                            struct db_claim_locked *out, struct flow_result *res)
{
    memset(out, 0, sizeof *out);
    enum db_rc rc = db_claim_lock(db, id, out);
    if (rc == DB_OK && !claim_owned(c->who, out->owner_role, out->owner_subject))
        rc = DB_NOT_FOUND;
    if (rc == DB_NOT_FOUND)
        return flow_refuse(res, SD_E_NOT_FOUND, NULL, NULL);
    return rc == DB_OK ? DB_OK : flow_db(res, rc);
}

enum db_rc claim_lock_draft(const struct flow_caller *c, struct db_conn *db, long long id,
                            struct db_claim_locked *out, struct flow_result *res)
{
    enum db_rc rc = claim_lock_owned(c, db, id, out, res);
    if (rc == DB_OK && strcmp(out->state, "draft") != 0)
        return flow_refuse(res, SD_E_CLAIM_STATE_CONFLICT, NULL, NULL);
    return rc;
}

enum db_rc claim_may(const struct flow_caller *c, const struct db_claim_locked *k,
                     enum sr_claim_action action, struct flow_result *res)
{
    enum sr_claim_state from, to;
    enum sr_role role;
    if (sr_claim_state_parse(k->state, &from) && sd_role_rule(c->who->role, &role) &&
        sr_claim_transition(from, action, role, k->returned_before, &to) == SR_TRANSITION_OK)
        return DB_OK;
    char detail[96];
    snprintf(detail, sizeof detail, c->errors->lang_en ? "the claim is %s" : "申领当前状态为 %s",
             k->state);
    return flow_refuse(res, SD_E_CLAIM_STATE_CONFLICT, detail, NULL);
}
