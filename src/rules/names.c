/* Stable names of the public enums and the problem catalogue (code, Chinese and English
 * message). The codes are part of the API: never rename one, only add. */
#include "rules_internal.h"

#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const kind_names[SR_KIND_COUNT] = {
    [SR_KIND_NONE] = "none",
    [SR_KIND_CERTIFICATE_TRAINING] = "certificate_training",
    [SR_KIND_SAFETY_TRAINING] = "safety_training",
    [SR_KIND_SEAFARER] = "seafarer",
    [SR_KIND_FISHING_CREW] = "fishing_crew",
    [SR_KIND_ENTREPRENEURSHIP] = "entrepreneurship",
    [SR_KIND_IYB_SYB] = "iyb_syb",
    [SR_KIND_VETERAN_TRAINING] = "veteran_training",
    [SR_KIND_EMPLOYMENT_TRAINING] = "employment_training",
    [SR_KIND_ELITE_TRAINING] = "elite_training",
    [SR_KIND_GOLDEN_BLUE_COLLAR] = "golden_blue_collar",
    [SR_KIND_ORDER_TRAINING] = "order_training",
    [SR_KIND_LABOUR_PREPARATION] = "labour_preparation",
    [SR_KIND_PROJECT_TRAINING] = "project_training",
    [SR_KIND_APPRENTICE_EMPLOYEE] = "apprentice_employee",
    [SR_KIND_APPRENTICE_STUDENT] = "apprentice_student",
    [SR_KIND_LEVEL3_BONUS] = "level3_bonus",
    [SR_KIND_POSITION_SUBSIDY] = "position_subsidy",
    [SR_KIND_PRE_JOB_TRAINING] = "pre_job_training",
    [SR_KIND_SPECIAL_OPERATION] = "special_operation",
    [SR_KIND_APPRAISAL] = "appraisal",
    [SR_KIND_LIVING_ALLOWANCE] = "living_allowance",
    [SR_KIND_MASTER_APPRENTICE] = "master_apprentice",
    [SR_KIND_SHORT_POST_SKILL] = "short_post_skill",
    [SR_KIND_WORK_BASED_TRAINING] = "work_based_training",
    [SR_KIND_COMPETITION_ORGANISER] = "competition_organiser",
    [SR_KIND_PUBLIC_TRAINING_BASE] = "public_training_base",
    [SR_KIND_TRAINING_PACKAGE] = "training_package",
};

static const char *const level_names[SR_LEVEL_COUNT] = {
    [SR_LEVEL_NONE] = "none",
    [SR_LEVEL_SPECIAL_ABILITY] = "special_ability",
    [SR_LEVEL_5] = "level5",
    [SR_LEVEL_4] = "level4",
    [SR_LEVEL_3] = "level3",
    [SR_LEVEL_2] = "level2",
    [SR_LEVEL_1] = "level1",
    [SR_LEVEL_TRAINING_PASS] = "training_pass",
    [SR_LEVEL_SPECIAL_OPERATION] = "special_operation",
};

static const char *const cert_names[SR_CERT_COUNT] = {
    [SR_CERT_NONE] = "none",
    [SR_CERT_QUALIFICATION] = "qualification",
    [SR_CERT_SPECIAL_ABILITY] = "special_ability",
    [SR_CERT_TRAINING_PASS] = "training_pass",
    [SR_CERT_SPECIAL_OPERATION] = "special_operation",
    [SR_CERT_SAFETY] = "safety",
    [SR_CERT_SEAFARER] = "seafarer",
    [SR_CERT_ENTREPRENEURSHIP] = "entrepreneurship",
};

static const char *const variant_names[SR_VARIANT_COUNT] = {
    [SR_VARIANT_NONE] = "none",
    [SR_VARIANT_BASIC_SAFETY] = "basic_safety",
    [SR_VARIANT_ORDINARY_CREW] = "ordinary_crew",
    [SR_VARIANT_OFFICER_CREW] = "officer_crew",
    [SR_VARIANT_IYB] = "iyb",
    [SR_VARIANT_SYB] = "syb",
    [SR_VARIANT_SPECIAL_TYPE] = "special_type",
};

static const char *const payee_names[SR_PAYEE_COUNT] = {
    [SR_PAYEE_NONE] = "none",
    [SR_PAYEE_PERSON] = "person",
    [SR_PAYEE_INSTITUTION] = "institution",
    [SR_PAYEE_ENTERPRISE] = "enterprise",
};

static const char *const issuer_names[SR_ISSUER_COUNT] = {
    [SR_ISSUER_UNKNOWN] = "unknown",     [SR_ISSUER_COUNTY] = "county",
    [SR_ISSUER_MUNICIPAL] = "municipal", [SR_ISSUER_PROVINCIAL] = "provincial",
    [SR_ISSUER_NATIONAL] = "national",
};

/* In bit order of enum sr_group. */
static const char *const group_names[SR_GROUP_BITS] = {
    "veteran",
    "disabled",
    "low_income",
    "zero_employment",
    "two_after_rural",
    "two_after_urban",
    "dibao",
    "military_spouse",
    "graduating_student",
    "retired_no_pension",
    "relative_of_disabled",
    "relative_of_poor",
    "laid_off",
    "employment_difficulty",
    "unemployed_hs_graduate",
};

const char *const sr_unit_names[SR_UNIT_COUNT] = {
    [SR_UNIT_CLAIM] = "claim", [SR_UNIT_HOUR] = "hour",         [SR_UNIT_DAY] = "day",
    [SR_UNIT_MONTH] = "month", [SR_UNIT_SEMESTER] = "semester", [SR_UNIT_YEAR] = "year",
};

const char *const sr_basis_names[SR_BASIS_COUNT] = {
    [SR_BASIS_CERTIFICATE] = "certificate",
    [SR_BASIS_TRAINING_END] = "training_end",
    [SR_BASIS_TRAINING_START] = "training_start",
    [SR_BASIS_EVALUATION] = "evaluation",
};

struct problem_text {
    const char *code;
    const char *zh;
    const char *en;
};

static const struct problem_text problems[SR_P_COUNT] = {
    [SR_P_CLAIM_MISSING] = {"claim_missing", "缺少申领信息", "The claim is missing."},
    [SR_P_KIND_NOT_IN_POLICY] = {"kind_not_in_policy", "本政策没有该类补贴",
                                 "This policy has no subsidy of this kind."},
    [SR_P_LEVEL_NOT_COVERED] = {"level_not_covered", "本政策该类补贴不含此等级",
                                "This policy does not subsidise this level for this kind."},
    [SR_P_VARIANT_NOT_COVERED] = {"variant_not_covered", "本政策该类补贴不含此项目",
                                  "This policy does not subsidise this variant of the kind."},
    [SR_P_RENEWAL_NOT_COVERED] = {"renewal_not_covered", "本政策不补贴此类证书的复审培训",
                                  "This policy does not subsidise renewal training here."},
    [SR_P_OUTSIDE_EFFECTIVE_DATES] = {"outside_effective_dates", "日期不在政策有效期内",
                                      "The date is outside the policy's effective dates."},
    [SR_P_EVENT_DATE_MISSING] = {"event_date_missing", "缺少判断政策适用的日期",
                                 "The date that decides which policy applies is missing."},
    [SR_P_PERSON_MISSING] = {"person_missing", "缺少参训人员信息", "The trainee is missing."},
    [SR_P_PERSON_ID_INVALID] = {"person_id_invalid", "身份证号码格式或校验码错误",
                                "The resident ID number is malformed or its check digit is "
                                "wrong."},
    [SR_P_PERSON_ID_BIRTH_DATE_INVALID] = {"person_id_birth_date_invalid",
                                           "身份证号码中的出生日期不合理",
                                           "The birth date in the resident ID is not "
                                           "plausible."},
    [SR_P_RESIDENCY_NOT_MET] = {"residency_not_met",
                                "户籍、居住证、就业、失业登记或培训地均不在本市",
                                "Neither hukou, residence permit, employment, unemployment "
                                "registration nor training place is in this city as the policy "
                                "requires."},
    [SR_P_PAST_RETIREMENT_AGE] = {"past_retirement_age", "已超过法定退休年龄且不属于政策覆盖人员",
                                  "The person is past retirement age and not covered."},
    [SR_P_GROUP_NOT_ELIGIBLE] = {"group_not_eligible", "不属于该补贴的对象群体",
                                 "The person belongs to none of the groups this subsidy is "
                                 "for."},
    [SR_P_EMPLOYER_REQUIRED] = {"employer_required", "该补贴须由在职企业（单位）申报",
                                "This subsidy needs an employer or organisation."},
    [SR_P_EMPLOYER_CREDIT_CODE_INVALID] = {"employer_credit_code_invalid",
                                           "统一社会信用代码格式或校验码错误",
                                           "The unified social credit code is malformed or "
                                           "its check character is wrong."},
    [SR_P_UNEMPLOYMENT_INSURANCE_TOO_SHORT] = {"unemployment_insurance_too_short",
                                               "在本市缴纳失业保险时间不足",
                                               "Unemployment insurance paid in the city for "
                                               "too short a time."},
    [SR_P_HIRE_DATE_MISSING] = {"hire_date_missing", "缺少入职日期", "The hire date is missing."},
    [SR_P_HIRE_WINDOW_ELAPSED] = {"hire_window_elapsed", "培训不在入职后规定期限内",
                                  "The training is not within the required period after "
                                  "hire."},
    [SR_P_CERTIFICATE_MISSING] = {"certificate_missing", "缺少证书信息",
                                  "The certificate is missing."},
    [SR_P_CERTIFICATE_KIND_NOT_ACCEPTED] = {"certificate_kind_not_accepted",
                                            "该类证书不能作为此项补贴的依据",
                                            "This kind of certificate does not qualify for "
                                            "this subsidy."},
    [SR_P_CERTIFICATE_NUMBER_MISSING] = {"certificate_number_missing", "缺少证书编号",
                                         "The certificate number is missing."},
    [SR_P_CERTIFICATE_DATE_MISSING] = {"certificate_date_missing", "缺少发证日期",
                                       "The certificate issue date is missing."},
    [SR_P_CERTIFICATE_DATE_IN_FUTURE] = {"certificate_date_in_future", "发证日期晚于申请日期",
                                         "The certificate issue date is after the evaluation "
                                         "date."},
    [SR_P_CERTIFICATE_DATE_BEFORE_APPRAISAL_START] =
        {"certificate_date_before_appraisal_start", "发证日期早于鉴定补贴执行日期",
         "The certificate was issued before the appraisal subsidy started."},
    [SR_P_CERTIFICATE_ISSUER_TOO_LOW] = {"certificate_issuer_too_low",
                                         "证书须由市级及以上主管部门核发",
                                         "The certificate must be issued by a municipal or "
                                         "higher authority."},
    [SR_P_TRAINING_DATES_MISSING] = {"training_dates_missing", "缺少培训起止日期",
                                     "The training start or end date is missing."},
    [SR_P_TRAINING_DATES_INVALID] = {"training_dates_invalid", "培训结束日期早于开始日期",
                                     "The training ends before it starts."},
    [SR_P_TRAINING_TOO_SHORT] = {"training_too_short", "培训时间短于规定",
                                 "The training is shorter than required."},
    [SR_P_TRAINING_TOO_LONG] = {"training_too_long", "培训时间超过规定",
                                "The training is longer than allowed."},
    [SR_P_CLASS_HOURS_MISSING] = {"class_hours_missing", "缺少培训课时",
                                  "The class hours are missing."},
    [SR_P_CLASS_HOURS_BELOW_MINIMUM] = {"class_hours_below_minimum", "培训课时低于规定",
                                        "Fewer class hours than required."},
    [SR_P_TRAINING_DAYS_MISSING] = {"training_days_missing", "缺少培训天数",
                                    "The training days are missing."},
    [SR_P_MONTHS_MISSING] = {"months_missing", "缺少补贴月数", "The number of months is missing."},
    [SR_P_MONTHS_BEYOND_CERTIFICATE_AGE] = {"months_beyond_certificate_age",
                                            "取得证书未满一个月，没有可申领的月数",
                                            "Not a whole month has passed since the "
                                            "certificate was issued: no month to pay."},
    [SR_P_CLAIM_WINDOW_ELAPSED] = {"claim_window_elapsed", "已超过申领期限",
                                   "The period for claiming has passed."},
    [SR_P_SEMESTERS_MISSING] = {"semesters_missing", "缺少学期数",
                                "The number of semesters is missing."},
    [SR_P_YEARS_MISSING] = {"years_missing", "缺少补贴年数", "The number of years is missing."},
    [SR_P_ACTUAL_COST_MISSING] = {"actual_cost_missing", "缺少实际培训费用",
                                  "The actual training cost is missing."},
    [SR_P_VALUE_OUT_OF_RANGE] = {"value_out_of_range", "数值为负数或明显不合理",
                                 "A value is negative or absurdly large."},
    [SR_P_CATALOG_ENTRY_MISSING] = {"catalog_entry_missing", "补贴目录中没有对应的标准",
                                    "No subsidy catalog entry was given for this claim."},
    [SR_P_CATALOG_ENTRY_MISMATCH] = {"catalog_entry_mismatch",
                                     "补贴目录条目与申领的职业、等级或年度不符",
                                     "The catalog entry does not match the claim's "
                                     "occupation, level or year."},
    [SR_P_CATALOG_STANDARD_OUT_OF_RANGE] = {"catalog_standard_out_of_range",
                                            "目录补贴标准超出政策规定范围",
                                            "The catalog standard is outside the range the "
                                            "policy sets."},
    [SR_P_OCCUPATION_NOT_SHORTAGE] = {"occupation_not_shortage", "该职业（工种）不属于紧缺目录",
                                      "The occupation is not on the shortage list."},
    [SR_P_OCCUPATION_MISSING] = {"occupation_missing", "缺少职业（工种）",
                                 "The occupation is missing."},
    [SR_P_PAYEE_NOT_ALLOWED] = {"payee_not_allowed", "该补贴不能支付给所选对象",
                                "This subsidy cannot be paid to the chosen payee."},
    [SR_P_ADVANCE_NOT_ALLOWED] = {"advance_not_allowed", "该补贴不能先行拨付",
                                  "This subsidy cannot be paid in advance."},
    [SR_P_ADVANCE_SHARE_ABOVE_MAXIMUM] = {"advance_share_above_maximum", "先行拨付比例超过上限",
                                          "The advance share is above the maximum."},
    [SR_P_QUOTA_YEAR_EXHAUSTED] = {"quota_year_exhausted", "本年度职业培训补贴已享受3次",
                                   "The person has used this year's training subsidies."},
    [SR_P_DUPLICATE_OCCUPATION_LEVEL] = {"duplicate_occupation_level",
                                         "同一职业同一等级不可重复享受",
                                         "A subsidy for the same occupation and level was "
                                         "already granted."},
    [SR_P_ALREADY_GRANTED_ONCE] = {"already_granted_once", "该补贴只能享受一次",
                                   "This subsidy is granted only once."},
    [SR_P_ONCE_A_YEAR_USED] = {"once_a_year_used", "该补贴每人每年只能享受一次",
                               "This subsidy was already granted this year."},
    [SR_P_GRADUATE_SKILL_SUBSIDY_USED] = {"graduate_skill_subsidy_used",
                                          "毕业年度职业技能培训补贴已享受",
                                          "The graduation-year skill training subsidy was "
                                          "already used."},
    [SR_P_GRADUATE_ENTREPRENEURSHIP_SUBSIDY_USED] =
        {"graduate_entrepreneurship_subsidy_used", "毕业年度创业培训补贴已享受",
         "The graduation-year entrepreneurship training subsidy was already used."},
    [SR_P_LEVEL_MISSING] = {"level_missing", "此类补贴按等级给予，须填写等级",
                            "This kind of subsidy is paid by level; the level is missing."},
    [SR_P_VARIANT_MISSING] = {"variant_missing", "此类补贴分项目给予，须填写项目",
                              "This kind of subsidy is paid by variant; the variant is missing."},
    [SR_P_OCCUPATION_UNKNOWN] = {"occupation_unknown",
                                 "该职业编码不在职业参考目录中（国家职业分类大典）",
                                 "The occupation is not in the reference list of occupations "
                                 "(the national classification)."},
};

static const char *name_at(const char *const *names, size_t n, int i)
{
    return i >= 0 && (size_t)i < n ? names[i] : NULL;
}

static bool parse_in(const char *const *names, size_t n, const char *text, int *out)
{
    if (!text)
        return false;
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], text) == 0) {
            *out = (int)i;
            return true;
        }
    return false;
}

#define NAMER(fn, type, names)                                                                     \
    const char *fn(type v)                                                                         \
    {                                                                                              \
        return name_at(names, COUNT(names), (int)v);                                               \
    }
#define PARSER(fn, type, names)                                                                    \
    bool fn(const char *text, type *out)                                                           \
    {                                                                                              \
        int v;                                                                                     \
        if (!parse_in(names, COUNT(names), text, &v))                                              \
            return false;                                                                          \
        *out = (type)v;                                                                            \
        return true;                                                                               \
    }

void sr_names_list(const char *const *names, size_t n, char *buf, size_t len)
{
    if (len == 0)
        return;
    buf[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (!names[i] || strcmp(names[i], "none") == 0)
            continue;
        int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", names[i]);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
    }
}

#define LISTER(fn, names)                                                                          \
    void fn(char *buf, size_t len)                                                                 \
    {                                                                                              \
        sr_names_list(names, COUNT(names), buf, len);                                              \
    }

LISTER(sr_kind_list, kind_names)
LISTER(sr_level_list, level_names)
LISTER(sr_cert_kind_list, cert_names)
LISTER(sr_variant_list, variant_names)
LISTER(sr_payee_list, payee_names)
LISTER(sr_issuer_list, issuer_names)
LISTER(sr_group_list, group_names)

NAMER(sr_kind_name, enum sr_kind, kind_names)
NAMER(sr_level_name, enum sr_level, level_names)
NAMER(sr_cert_kind_name, enum sr_cert_kind, cert_names)
NAMER(sr_variant_name, enum sr_variant, variant_names)
NAMER(sr_payee_name, enum sr_payee, payee_names)
NAMER(sr_issuer_name, enum sr_issuer, issuer_names)
PARSER(sr_kind_parse, enum sr_kind, kind_names)
PARSER(sr_level_parse, enum sr_level, level_names)
PARSER(sr_cert_kind_parse, enum sr_cert_kind, cert_names)
PARSER(sr_variant_parse, enum sr_variant, variant_names)
PARSER(sr_payee_parse, enum sr_payee, payee_names)
PARSER(sr_issuer_parse, enum sr_issuer, issuer_names)

const char *sr_group_name(enum sr_group group)
{
    for (int i = 0; i < SR_GROUP_BITS; i++)
        if ((uint32_t)group == 1u << i)
            return group_names[i];
    return NULL;
}

bool sr_group_parse(const char *text, enum sr_group *out)
{
    int v;
    if (!parse_in(group_names, COUNT(group_names), text, &v))
        return false;
    *out = (enum sr_group)(1u << v);
    return true;
}

const char *sr_problem_code_name(enum sr_problem_code code)
{
    return (unsigned)code < SR_P_COUNT ? problems[code].code : NULL;
}

const char *sr_problem_message_zh(enum sr_problem_code code)
{
    return (unsigned)code < SR_P_COUNT ? problems[code].zh : NULL;
}

const char *sr_problem_message_en(enum sr_problem_code code)
{
    return (unsigned)code < SR_P_COUNT ? problems[code].en : NULL;
}

bool sr_problem_code_parse(const char *text, enum sr_problem_code *out)
{
    if (!text)
        return false;
    for (int i = 0; i < SR_P_COUNT; i++)
        if (strcmp(problems[i].code, text) == 0) {
            *out = (enum sr_problem_code)i;
            return true;
        }
    return false;
}

bool sr_region_within(int32_t region, int32_t area)
{
    if (region <= 0 || area <= 0)
        return false;
    /* strip trailing "00" pairs of the area: 330900 -> 3309, 330000 -> 33, 331081 -> 331081 */
    int32_t div = 1;
    while (area % (div * 100) == 0 && div < 10000)
        div *= 100;
    return region / div == area / div;
}
