/* Payee accounts sealed for the database (payee.h). */
#include "payee.h"

#include <stdio.h>
#include <string.h>

void payee_account_mask(const char *account_number, char out[16])
{
    size_t n = strlen(account_number);
    snprintf(out, 16, "****%s", n >= 4 ? account_number + n - 4 : "0000");
}

bool payee_account_seal(const struct sd_pii_keys *keys, const struct payee_account_in *in,
                        const char *id_hash, long long actor, struct payee_account_sealed *s)
{
    memset(s, 0, sizeof *s);
    if (!sd_pii_seal(keys, in->account_number, s->account_sealed))
        return false;
    payee_account_mask(in->account_number, s->account_masked);
    s->w = (struct db_payee_account_write){.id_hash = id_hash,
                                           .bank_code = in->bank_code,
                                           .bank_name = in->bank_name,
                                           .account_sealed = s->account_sealed,
                                           .account_masked = s->account_masked,
                                           .holder_name = in->holder_name,
                                           .status = in->status ? in->status : "active",
                                           .actor = actor};
    if (!in->holder_id_number)
        return true;
    char id[19];
    snprintf(id, sizeof id, "%s", in->holder_id_number);
    if (id[17] == 'x')
        id[17] = 'X';
    sd_pii_id_hash(keys, id, s->holder_id_hash);
    if (!sd_pii_seal(keys, id, s->holder_id_sealed))
        return false;
    sd_pii_mask_id(id, s->holder_id_masked);
    s->w.holder_id_hash = s->holder_id_hash;
    s->w.holder_id_sealed = s->holder_id_sealed;
    s->w.holder_id_masked = s->holder_id_masked;
    return true;
}
