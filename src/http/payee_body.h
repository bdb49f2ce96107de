#ifndef SD_HTTP_PAYEE_BODY_H
#define SD_HTTP_PAYEE_BODY_H

/* The payee account object of a request — a person's social security card financial account
 * (the profile's payee_account, a record of POST /v1/admin/payee-accounts) or an organisation's
 * bank_account — checked field by field (payee_body.c). */

#include "handlers.h"
#include "payee.h"

enum payee_body_shape {
    PAYEE_PROFILE, /* bank_code, bank_name, account_number, holder_name, holder_id_number */
    PAYEE_IMPORT,  /* the same with id_number (whose account) and status */
    PAYEE_ORG,     /* bank_code, bank_name, account_number, holder_name (户名), status */
};

/* Check obj into in (strings borrowed); problems named under prefix.  *id_number gets an
 * import record's person (PAYEE_IMPORT only; NULL otherwise). */
void payee_body_parse(struct jerrors *e, const char *prefix, const json_t *obj,
                      enum payee_body_shape shape, struct payee_account_in *in,
                      const char **id_number);

#endif
