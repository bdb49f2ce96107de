/* A set of policies: loading the files of a directory (each file by load_file.c, then the
 * checks across files), finding the policy for a claim, and what the set tells of each. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

static int32_t range_start(const struct sr_policy *pol)
{
    return pol->back_from ? pol->back_from : pol->from;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int sr_policy_set_load_files(const char *const *paths, size_t count, struct sr_policy_set **out,
                             char *errbuf, size_t errlen)
{
    struct errors err = {.buf = errbuf, .len = errlen};
    if (errbuf && errlen)
        errbuf[0] = '\0';
    *out = NULL;
    struct sr_policy_set *set = calloc(1, sizeof *set);
    if (!set)
        return -1;
    set->policies = calloc(count ? count : 1, sizeof *set->policies);
    if (!set->policies) {
        free(set);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        struct sr_policy *pol = sr_load_file(paths[i], &err);
        if (pol)
            set->policies[set->count++] = pol;
    }
    if (count == 0)
        sr_load_error(&err, "(policies)", 0, "no policy files");
    /* across files: same id and version twice; overlapping dates for the same area */
    for (size_t i = 0; i < set->count; i++)
        for (size_t j = i + 1; j < set->count; j++) {
            const struct sr_policy *a = set->policies[i], *b = set->policies[j];
            if (strcmp(a->id, b->id) == 0 && a->version == b->version)
                sr_load_error(&err, b->file, b->line, "policy %s version %d also in %s", b->id,
                              b->version, a->file);
            if (!a->from || !b->from || !a->to || !b->to)
                continue;
            bool same_area =
                sr_region_within(a->region, b->region) || sr_region_within(b->region, a->region);
            if (same_area && range_start(a) <= b->to && range_start(b) <= a->to)
                sr_load_error(&err, b->file, b->line,
                              "effective dates of %s overlap those of %s (%s) for region %d", b->id,
                              a->id, a->file, (int)b->region);
        }
    if (err.count) {
        sr_policy_set_free(set);
        return -1;
    }
    *out = set;
    return 0;
}

int sr_policy_set_load_dir(const char *dir, struct sr_policy_set **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s:0: cannot open directory: %s", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    int rc = -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 8 || strcmp(e->d_name + n - 7, ".policy") != 0 || e->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 8;
            char **grown = realloc(names, cap * sizeof *grown);
            if (!grown)
                goto done;
            names = grown;
        }
        size_t len = strlen(dir) + n + 2;
        names[count] = malloc(len);
        if (!names[count])
            goto done;
        snprintf(names[count], len, "%s/%s", dir, e->d_name);
        count++;
    }
    qsort(names, count, sizeof *names, name_cmp);
    rc = sr_policy_set_load_files((const char *const *)names, count, out, errbuf, errlen);
done:
    closedir(d);
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return rc;
}

void sr_policy_set_free(struct sr_policy_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++)
        sr_load_policy_free(set->policies[i]);
    free(set->policies);
    free(set);
}

size_t sr_policy_set_count(const struct sr_policy_set *set)
{
    return set ? set->count : 0;
}

const struct sr_policy *sr_policy_set_at(const struct sr_policy_set *set, size_t i)
{
    return set && i < set->count ? set->policies[i] : NULL;
}

const struct sr_policy *sr_policy_set_find(const struct sr_policy_set *set, const char *id)
{
    const struct sr_policy *best = NULL;
    for (size_t i = 0; set && id && i < set->count; i++)
        if (strcmp(set->policies[i]->id, id) == 0 &&
            (!best || set->policies[i]->version > best->version))
            best = set->policies[i];
    return best;
}

const struct sr_policy *sr_policy_set_find_for(const struct sr_policy_set *set, int32_t region,
                                               int32_t day)
{
    for (size_t i = 0; set && i < set->count; i++) {
        const struct sr_policy *pol = set->policies[i];
        if (sr_region_within(region, pol->region) && day >= range_start(pol) && day <= pol->to)
            return pol;
    }
    return NULL;
}

const struct sr_policy *sr_policy_set_find_for_region(const struct sr_policy_set *set,
                                                      int32_t region)
{
    for (size_t i = 0; set && i < set->count; i++)
        if (sr_region_within(region, set->policies[i]->region))
            return set->policies[i];
    return NULL;
}

const char *sr_policy_id(const struct sr_policy *policy)
{
    return policy->id;
}

int sr_policy_version(const struct sr_policy *policy)
{
    return policy->version;
}

const char *sr_policy_commitment(const struct sr_policy *policy)
{
    return policy->commitment_section[0] ? policy->commitment_section : NULL;
}

const char *sr_policy_title(const struct sr_policy *policy)
{
    return policy->title;
}

const char *sr_policy_source(const struct sr_policy *policy)
{
    return policy->source;
}

int32_t sr_policy_region(const struct sr_policy *policy)
{
    return policy->region;
}

int32_t sr_policy_effective_from(const struct sr_policy *policy)
{
    return policy->from;
}

int32_t sr_policy_effective_to(const struct sr_policy *policy)
{
    return policy->to;
}

bool sr_policy_has_kind(const struct sr_policy *policy, enum sr_kind kind)
{
    for (size_t i = 0; i < policy->rule_count; i++)
        if (policy->rules[i].kind == kind)
            return true;
    return false;
}

size_t sr_policy_reading_count(const struct sr_policy *policy)
{
    return policy->reading_count;
}

const char *sr_policy_reading(const struct sr_policy *policy, size_t i)
{
    return i < policy->reading_count ? policy->readings[i] : NULL;
}
