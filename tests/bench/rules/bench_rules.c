/* bench_rules: rule evaluations per second on one thread, over the mix of table cases of all
 * five policies (tests/rules/cases/NAME.cases), policies loaded once.
 *
 *   ./bench_rules [-n ITERATIONS] [-p POLICY_DIR] [-c CASE_DIR]
 *
 * The directories default to the source tree this binary was built from. Bar (tests/QUALITY.md P1):
 * >= 500,000 evaluations/s. Wall time is noisy on shared machines; for a stable figure count
 * instructions with callgrind, collecting only inside the timed loop:
 *
 *   valgrind --tool=callgrind --toggle-collect=run_mix --callgrind-out-file=cg.out \
 *       ./bench_rules -n 100000
 *   callgrind_annotate cg.out | head     # "PROGRAM TOTALS" Ir / 100000 = instructions per eval
 *
 * The program also prints its own checksum so that two runs can be compared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case_file.h"
#include "sr_rules.h"

#ifndef SR_SOURCE_POLICY_DIR
#define SR_SOURCE_POLICY_DIR "src/rules/policies"
#endif
#ifndef SR_SOURCE_CASE_DIR
#define SR_SOURCE_CASE_DIR "tests/rules/cases"
#endif

struct job {
    const struct sr_policy *policy;
    struct sr_input input;
};

/* Kept out of line so that callgrind can collect exactly this function. */
__attribute__((noinline)) int64_t run_mix(const struct job *jobs, size_t count, long iterations);

__attribute__((noinline)) int64_t run_mix(const struct job *jobs, size_t count, long iterations)
{
    static struct sr_result result;
    int64_t checksum = 0;
    size_t j = 0;
    for (long i = 0; i < iterations; i++) {
        sr_evaluate(jobs[j].policy, &jobs[j].input, &result);
        checksum += result.amount_fen + (int64_t)result.problem_count;
        if (++j == count)
            j = 0;
    }
    return checksum;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long iterations = 2000000;
    const char *policy_dir =
        getenv("SR_POLICY_DIR") ? getenv("SR_POLICY_DIR") : SR_SOURCE_POLICY_DIR;
    const char *case_dir = getenv("SR_CASE_DIR") ? getenv("SR_CASE_DIR") : SR_SOURCE_CASE_DIR;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-n") == 0)
            iterations = atol(argv[i + 1]);
        else if (strcmp(argv[i], "-p") == 0)
            policy_dir = argv[i + 1];
        else if (strcmp(argv[i], "-c") == 0)
            case_dir = argv[i + 1];
    }
    if (iterations <= 0) {
        fprintf(stderr, "usage: %s [-n ITERATIONS] [-p POLICY_DIR] [-c CASE_DIR]\n", argv[0]);
        return 2;
    }
    char err[4096];
    struct sr_policy_set *set;
    if (sr_policy_set_load_dir(policy_dir, &set, err, sizeof err) != 0) {
        fprintf(stderr, "policies: %s\n", err);
        return 1;
    }
    struct case_list cases;
    if (case_list_load(case_dir, &cases, err, sizeof err) != 0) {
        fprintf(stderr, "cases: %s\n", err);
        return 1;
    }
    struct job *jobs = calloc(cases.count, sizeof *jobs);
    size_t count = 0, per_policy[8] = {0};
    for (size_t i = 0; i < cases.count && jobs; i++) {
        const struct sr_policy *p = sr_policy_set_find(set, cases.items[i].policy_id);
        if (!p)
            continue;
        jobs[count].policy = p;
        case_input(&cases.items[i], &jobs[count].input);
        for (size_t k = 0; k < sr_policy_set_count(set) && k < 8; k++)
            if (sr_policy_set_at(set, k) == p)
                per_policy[k]++;
        count++;
    }
    if (!count) {
        fprintf(stderr, "no cases\n");
        return 1;
    }
    printf("mix: %zu cases", count);
    for (size_t k = 0; k < sr_policy_set_count(set) && k < 8; k++)
        printf(", %s %zu", sr_policy_id(sr_policy_set_at(set, k)), per_policy[k]);
    printf("\n");
    run_mix(jobs, count, count); /* warm the caches */
    const double t0 = now();
    const int64_t checksum = run_mix(jobs, count, iterations);
    const double seconds = now() - t0;
    printf("evaluations: %ld\n", iterations);
    printf("seconds: %.3f\n", seconds);
    printf("evaluations/s: %.0f\n", seconds > 0 ? (double)iterations / seconds : 0.0);
    printf("ns/evaluation: %.1f\n", seconds * 1e9 / (double)iterations);
    printf("checksum: %lld\n", (long long)checksum);
    free(jobs);
    case_list_free(&cases);
    sr_policy_set_free(set);
    return 0;
}
