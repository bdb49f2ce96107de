#!/usr/bin/env python3
"""What subsidyd sent PostgreSQL for one request, read from the server log of a probe run with
log_statement = all and log_parameter_max_length = -1 (tests/bench/claims/run.sh).

    daemon_sql.py POSTGRES_LOG SEQ_OUT VARS_OUT [FIRST]
    daemon_sql.py POSTGRES_LOG SEQ_OUT VARS_OUT --with NAME
    ... [--texts TEXTS]

TEXTS (bench_claims_script --unnamed): the statements the daemon sends unnamed, by their text
(plan_each in src/db/db.h), a "NAME<tab>SQL" line each; a logged "execute <unnamed>: SQL" whose
SQL is one of them counts as the statement NAME.

Takes the last COMMIT whose transaction is a request's, and on its backend the statements after
its previous COMMIT up to that one: one whole request (the probe keeps one HTTP connection, so
one worker and one backend serve it all; the previous COMMIT proves the request was logged from
its first statement).  A request's: with --with NAME, one that ran the statement NAME (the
daemon's background steps, the review jobs' worker polling for items, commit on their own
backends between requests); without, the last COMMIT of all.  With FIRST, for a request that commits nothing (a read, as in
tests/bench/review/run.sh): a backend that ran the statement FIRST at least twice, and on it
the statements from its second-last FIRST up to its last one (the last request may have been
cut off by the end of the probe; give a log of the probe's requests only).  Writes
  SEQ_OUT   the statements in order, one a line: the prepared statement's name, or BEGIN/COMMIT;
            calendar_range and calendar_years are left out (each connection runs them once and then
            every 5 minutes);
  VARS_OUT  NAME_N=VALUE a line for parameter $N of statement NAME, the value as the server
            logged it (its text form: bytea in hex, jsonb as jsonb prints it), for pgbench -D.
Exit status 1 when the log holds no whole request, or a value holds a line break.
"""
import re
import sys

LINE = re.compile(r"^\S+ \S+ \S+ \[(\d+)\] (LOG|DETAIL):  (.*)$")
EXECUTE = re.compile(r"^execute ([A-Za-z0-9_]+): ")
# BEGIN/COMMIT sent alone (simple protocol) or in a pipeline with other statements (extended)
STATEMENT = re.compile(r"^(?:statement|execute <unnamed>): (BEGIN|COMMIT|ROLLBACK)\s*;?\s*$")
UNNAMED = "execute <unnamed>: "
PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')(?:, |$)")
CACHED = {"calendar_range", "calendar_years"}


def read_texts(argv):
    """Takes --texts FILE out of argv; the SQL -> name map it gives ({} without)."""
    if "--texts" not in argv:
        return {}
    i = argv.index("--texts")
    path = argv[i + 1]
    del argv[i:i + 2]
    texts = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            name, sql = line.rstrip("\n").split("\t", 1)
            texts[sql] = name
    return texts


def main():
    texts = read_texts(sys.argv)
    log_path, seq_path, vars_path = sys.argv[1:4]
    must = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--with" else None
    first = sys.argv[4] if len(sys.argv) > 4 and must is None else None
    commits = []  # (pid, index of the COMMIT in that backend's events), in log order
    last_first_pid = None
    events = {}  # pid -> [[name, params]]
    last_commit_pid = None
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.rstrip("\n"))
            if not m:
                continue
            pid, kind, text = m.groups()
            if kind == "LOG":
                e = EXECUTE.match(text)
                s = STATEMENT.match(text)
                u = text.startswith(UNNAMED) and texts.get(text[len(UNNAMED):])
                if e or u:
                    name = u or e.group(1)
                    events.setdefault(pid, []).append([name, {}])
                    if name == first:
                        last_first_pid = pid
                elif s:
                    events.setdefault(pid, []).append([s.group(1), {}])
                    if s.group(1) == "COMMIT":
                        last_commit_pid = pid
                        commits.append((pid, len(events[pid]) - 1))
            elif text.startswith("parameters: ") and events.get(pid):
                body = text[len("parameters: "):]
                pos = 0
                while pos < len(body):
                    p = PARAM.match(body, pos)
                    if not p:
                        sys.exit("daemon_sql.py: cannot read the parameters: " + body[:200])
                    v = p.group(2)
                    events[pid][-1][1][int(p.group(1))] = (
                        None if v == "NULL" else v[1:-1].replace("''", "'"))
                    pos = p.end()
    if first is not None:
        if last_first_pid is None:
            sys.exit(f"daemon_sql.py: no {first} in {log_path}")
        starts = []
        for ev in events.values():
            starts = [i for i, (name, _) in enumerate(ev) if name == first]
            if len(starts) >= 2:
                break
        if len(starts) < 2:
            sys.exit(f"daemon_sql.py: no backend logged a whole request from {first}")
        request = [e for e in ev[starts[-2]:starts[-1]] if e[0] not in CACHED]
    else:
        if last_commit_pid is None:
            sys.exit("daemon_sql.py: no COMMIT in " + log_path)
        request = None
        for pid, end in reversed(commits):
            ev = events[pid]
            ends = [i for i, (name, _) in enumerate(ev[:end]) if name in ("COMMIT", "ROLLBACK")]
            if not ends:
                continue  # not logged from its first statement
            whole = ev[ends[-1] + 1:end + 1]
            if must is None or any(name == must for name, _ in whole):
                request = [e for e in whole if e[0] not in CACHED]
                break
        if request is None:
            sys.exit("daemon_sql.py: the log holds no whole request after a COMMIT"
                     + (f" that ran {must}" if must else ""))
    with open(seq_path, "w", encoding="utf-8") as out:
        for name, _ in request:
            out.write(name + "\n")
    with open(vars_path, "w", encoding="utf-8") as out:
        for name, params in request:
            for n in sorted(params):
                v = params[n]
                if v is None:
                    sys.exit(f"daemon_sql.py: {name} ${n} is NULL (pgbench cannot send NULL)")
                if "\n" in v or "\r" in v:
                    sys.exit(f"daemon_sql.py: {name} ${n} holds a line break")
                out.write(f"{name}_{n}={v}\n")


if __name__ == "__main__":
    main()
