/* The result in words: money as yuan, a duration cap, and the formula with its figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"

void sr_money_format(int64_t fen, char out[24])
{
    const char *sign = fen < 0 ? "-" : "";
    uint64_t v = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    snprintf(out, 24, "%s%llu.%02llu", sign, (unsigned long long)(v / 100),
             (unsigned long long)(v % 100));
}

int sr_unit_cap_text(const struct sr_trace *t, int i, bool chinese, char *buf, size_t len)
{
    static const char *const en[SR_UNIT_COUNT] = {"",       "hours",     "days",
                                                  "months", "semesters", "years"};
    static const char *const zh[SR_UNIT_COUNT] = {"", "课时", "天", "个月", "个学期", "年"};
    if (i < 0 || i >= t->unit_cap_count || !t->unit) {
        if (len)
            buf[0] = '\0';
        return 0;
    }
    const struct sr_unit_cap *c = &t->unit_caps[i];
    enum sr_unit u = SR_UNIT_CLAIM;
    for (int k = 0; k < SR_UNIT_COUNT; k++)
        if (strcmp(sr_unit_names[k], t->unit) == 0)
            u = (enum sr_unit)k;
    const bool age = strcmp(c->reason, "certificate_age") == 0;
    const bool dates = strcmp(c->reason, "effective_dates") == 0;
    if (chinese)
        return snprintf(buf, len, "申领 %d %s，支付 %d %s：%s%s", (int)t->units_claimed, zh[u],
                        (int)c->limit, zh[u], c->section,
                        age     ? " 只计取得证书以来的月数"
                        : dates ? " 只计政策有效期内的部分"
                                : " 规定的上限");
    return snprintf(buf, len, "%d of %d %s paid: %s %s", (int)c->limit, (int)t->units_claimed,
                    en[u], c->section,
                    age     ? "counts only the months since the certificate"
                    : dates ? "counts only the part within the policy's dates"
                            : "sets this maximum");
}

int sr_result_explain(const struct sr_result *res, char *buf, size_t len)
{
    const struct sr_trace *t = &res->trace;
    char a[24], b[24], c[24], d[24];
    char std[320], up[96] = "", lim[96] = "", act[48] = "";
    if (!t->formula)
        return snprintf(buf, len, "%s v%d: no amount (%zu problem%s)",
                        t->policy_id ? t->policy_id : "?", t->policy_version, res->problem_count,
                        res->problem_count == 1 ? "" : "s");
    sr_money_format(t->standard_fen, b);
    if (t->rate_fen > 0 && t->units > 1) {
        sr_money_format(t->rate_fen, a);
        snprintf(std, sizeof std, "%s x %d %s = %s", a, (int)t->units, t->unit, b);
    } else {
        snprintf(std, sizeof std, "standard %s", b);
    }
    if (t->fee_share_pct) {
        char tmp[160];
        sr_money_format(t->rate_fen, a);
        sr_money_format(t->fee_share_fen, c);
        sr_money_format(t->rate_fen * t->units, d);
        snprintf(tmp, sizeof tmp, "max(%s x %d %s = %s, %d%% of fee = %s) = %s", a, (int)t->units,
                 t->unit, d, (int)t->fee_share_pct, c, b);
        snprintf(std, sizeof std, "%s", tmp);
    }
    if (t->unit_cap_count) {
        char cap[120];
        sr_unit_cap_text(t, t->unit_cap_count - 1, false, cap, sizeof cap);
        size_t n = strlen(std);
        snprintf(std + n, sizeof std - n, " [%s]", cap);
    }
    if (t->uplift_compared) {
        size_t n = strlen(std);
        sr_money_format(t->shortage_uplift_fen, a);
        sr_money_format(t->policy_uplift_fen, c);
        sr_money_format(t->base_fen, d);
        if (t->uplift_id)
            snprintf(std + n, sizeof std - n, " (base; policy uplift %s > shortage uplift %s)", c,
                     a);
        else
            snprintf(std + n, sizeof std - n, " (base %s + shortage uplift %s >= policy uplift %s)",
                     d, a, c);
    }
    if (t->uplift_pct) {
        sr_money_format(t->uplift_fen, a);
        sr_money_format(t->standard_fen + t->uplift_fen, c);
        snprintf(up, sizeof up, " + %d%% %s = %s", (int)t->uplift_pct, a, c);
    }
    if (t->cap_fen > 0 && t->rate_fen > 0) {
        sr_money_format(t->cap_fen, a);
        snprintf(lim, sizeof lim, ", cap %s", a);
    }
    if (t->by_actual) {
        sr_money_format(t->actual_cost_fen, a);
        snprintf(act, sizeof act, ", actual %s", a);
    }
    sr_money_format(t->computed_fen, d);
    const bool wrap = lim[0] || act[0];
    char tail[64] = " (not eligible: 0.00)";
    if (res->eligible && t->advance_pct) {
        sr_money_format(t->advance_fen, a);
        snprintf(tail, sizeof tail, "; advance %d%% = %s", (int)t->advance_pct, a);
    } else if (res->eligible) {
        tail[0] = '\0';
    }
    if (!wrap && (up[0] || t->standard_fen == t->computed_fen))
        return snprintf(buf, len, "%s%s%s", std, up, tail); /* already ends in the sum */
    return snprintf(buf, len, "%s%s%s%s%s%s = %s%s", wrap ? "min(" : "", std, up, lim, act,
                    wrap ? ")" : "", d, tail);
}
