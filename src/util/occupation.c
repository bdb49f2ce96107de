#include "occupation.h"

#include "sr_ids.h"

static bool occupation_ok(const char *s)
{
    char out[SR_OCCUPATION_CODE_LEN];
    return sr_occupation_canonical(s, out);
}

const struct jformat occupation_format = {
    .ok = occupation_ok,
    .zh = "国家职业分类大典的职业编码 N-NN-NN-NN（大类 1-8，如 6-18-02-04；6-18-2-4 亦可）",
    .en = "an occupation code of the national classification as N-NN-NN-NN (major group 1-8, "
          "e.g. 6-18-02-04; 6-18-2-4 is read the same)"};

void occupation_canonical_member(json_t *obj, const char *field)
{
    char out[SR_OCCUPATION_CODE_LEN];
    if (sr_occupation_canonical(json_string_value(json_object_get(obj, field)), out))
        json_object_set_new(obj, field, json_string(out));
}
