/*
 * Replays fuzz corpora through LLVMFuzzerTestOneInput without libFuzzer, so the test suite
 * (and its ASan/UBSan build) re-checks every kept input, crash reproducers included.
 *
 *     replay DIR...
 *
 * Every regular file of each DIR (in name order) is one input.  Prints "replayed N inputs from
 * DIR" per directory and exits 0; a crash, a failed invariant or a sanitizer report ends the
 * process by itself.  Exits 77 (meson's "skipped") when a directory is missing or empty.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint8_t *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        exit(1);
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fprintf(stderr, "replay: out of memory\n");
            exit(1);
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    if (ferror(f)) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        exit(1);
    }
    fclose(f);
    /* an exact-size copy, so ASan catches a read past the end of the input */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        fprintf(stderr, "replay: out of memory\n");
        exit(1);
    }
    memcpy(exact, buf, len);
    free(buf);
    *size = len;
    return exact;
}

static int replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "replay: cannot open directory %s: %s\n", dir, strerror(errno));
        return 77;
    }
    size_t n = 0, cap = 256;
    char **paths = malloc(cap * sizeof *paths);
    struct dirent *ent;
    while (paths && (ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.')
            continue;
        size_t len = strlen(dir) + strlen(ent->d_name) + 2;
        char *path = malloc(len);
        if (!path)
            break;
        snprintf(path, len, "%s/%s", dir, ent->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        if (n == cap) {
            cap *= 2;
            char **more = realloc(paths, cap * sizeof *paths);
            if (!more) {
                free(path);
                break;
            }
            paths = more;
        }
        paths[n++] = path;
    }
    closedir(d);
    if (!paths) {
        fprintf(stderr, "replay: out of memory\n");
        exit(1);
    }
    if (n == 0) {
        fprintf(stderr, "replay: no inputs in %s\n", dir);
        free(paths);
        return 77;
    }
    qsort(paths, n, sizeof *paths, by_name);
    for (size_t i = 0; i < n; i++) {
        size_t size;
        uint8_t *data = read_all(paths[i], &size);
        if (getenv("REPLAY_VERBOSE"))
            fprintf(stderr, "replay: %s (%zu bytes)\n", paths[i], size);
        LLVMFuzzerTestOneInput(data, size);
        free(data);
        free(paths[i]);
    }
    free(paths);
    printf("replayed %zu inputs from %s\n", n, dir);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        int rc = replay_dir(argv[i]);
        if (rc != 0)
            return rc;
    }
    return 0;
}
