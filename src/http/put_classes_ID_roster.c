/* PUT /v1/classes/{id}/roster: the class's institution replaces its roster, as JSON
 * ({"roster": [...]}) or as the CSV sheet (text/csv), until the start date
 * (sr_class_roster_editable).  Every bad row named at once, duplicates inside the upload and
 * against other live classes listed, nothing written when anything is wrong; each change on
 * the class's timeline and audited.  ?preview=true answers the same without writing. */
#include "classes.h"

void put_classes_ID_roster(struct req *r)
{
    struct call call = req_call(r, flow_class_roster_put);
    if (!call_path_id(r, &call))
        return;
    bool preview = false;
    if (!class_preview_query(r, &preview))
        return;
    struct class_roster list = {0};
    if (r->csv) {
        class_roster_from_csv(r, r->body, call.caller.today, &list);
    } else {
        const json_t *rows = NULL;
        const struct jfield spec[] = {{.name = "roster",
                                       .kind = JF_OBJECT_LIST,
                                       .required = true,
                                       .min = 0,
                                       .max = 1000,
                                       .out = &rows}};
        jspec_body(r, r->json, spec, 1);
        class_roster_from_json(r, rows, call.caller.today, &list);
    }
    call.args.in.roster = &list.in;
    if (!class_reply_field_errors(r, SD_E_ROSTER_INVALID) && req_db(r))
        (preview ? call_dry_run : call_keyed)(r, &call);
    class_roster_free(&list);
}
