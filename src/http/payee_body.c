/* The payee account object of a request (payee_body.h). */
#include "payee_body.h"

#include <ctype.h>
#include <string.h>

#include "claim_json.h"

static bool bank_code_ok(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]))
            return false;
    return n >= 1 && n <= 20;
}

static bool account_number_ok(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return n >= 8 && n <= 32;
}

static const struct jformat bank_code_format = {.ok = bank_code_ok,
                                                .zh = "1 至 20 位字母或数字的银行代码",
                                                .en = "a bank code of 1 to 20 letters or digits"};
static const struct jformat account_number_format = {.ok = account_number_ok,
                                                     .zh = "8 至 32 位数字的账号",
                                                     .en = "an account number of 8 to 32 digits"};
static const char *const statuses[] = {"active", "closed", NULL};

void payee_body_parse(struct jerrors *e, const char *prefix, const json_t *obj,
                      enum payee_body_shape shape, struct payee_account_in *in,
                      const char **id_number)
{
    memset(in, 0, sizeof *in);
    if (id_number)
        *id_number = NULL;
    struct jfield spec[8] = {
        {.name = "bank_code",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 20,
         .format = &bank_code_format,
         .out = &in->bank_code},
        {.name = "bank_name",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = 100,
         .out = &in->bank_name},
        {.name = "account_number",
         .kind = JF_STRING,
         .required = true,
         .min = 8,
         .max = 32,
         .format = &account_number_format,
         .out = &in->account_number},
        {.name = "holder_name",
         .kind = JF_STRING,
         .required = true,
         .min = 1,
         .max = shape == PAYEE_ORG ? 100 : 50,
         .out = &in->holder_name},
    };
    size_t n = 4;
    if (shape != PAYEE_ORG)
        spec[n++] = (struct jfield){.name = "holder_id_number",
                                    .kind = JF_STRING,
                                    .required = true,
                                    .min = 18,
                                    .max = 18,
                                    .format = &cj_resident_id_format,
                                    .out = &in->holder_id_number};
    if (shape != PAYEE_PROFILE)
        spec[n++] = (struct jfield){.name = "status",
                                    .kind = JF_STRING,
                                    .min = 1,
                                    .max = 8,
                                    .one_of = statuses,
                                    .out = &in->status};
    if (shape == PAYEE_IMPORT)
        spec[n++] = (struct jfield){.name = "id_number",
                                    .kind = JF_STRING,
                                    .required = true,
                                    .min = 18,
                                    .max = 18,
                                    .format = &cj_resident_id_format,
                                    .out = id_number};
    jspec_object(e, prefix, obj, spec, n);
}
