#!/usr/bin/env python3
"""Employment records for the people submit.lua sends: request numbers 0 .. COUNT-1, insured
with ENTERPRISE from 2019-01-01 (before the certificate date every request claims on).

    insured_csv.py ENTERPRISE COUNT PER_FILE DIR

writes DIR/insured-NNNN.csv files of at most PER_FILE records each (subsidyctl employment import
takes at most 5,000 a file), in the CSV format of POST /v1/admin/employment-records.  The ID
numbers are made exactly as submit.lua makes them.
"""
import datetime
import os
import sys

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
EPOCH = datetime.date(1970, 1, 1)


def id_number(k):
    born = EPOCH + datetime.timedelta(days=k // 1000)
    body = "330902" + born.strftime("%Y%m%d") + "%03d" % (k % 1000)
    total = sum(int(c) * w for c, w in zip(body, W))
    return body + CHECK[total % 11]


def main(enterprise, count, per_file, folder):
    count, per_file = int(count), int(per_file)
    os.makedirs(folder, exist_ok=True)
    for start in range(0, count, per_file):
        path = os.path.join(folder, "insured-%04d.csv" % (start // per_file))
        with open(path, "w", encoding="utf-8") as f:
            f.write("id_number,credit_code,insured_from,insured_to,kinds\n")
            for k in range(start, min(count, start + per_file)):
                f.write("%s,%s,2019-01-01,,pension;medical;unemployment\n"
                        % (id_number(k), enterprise))


if __name__ == "__main__":
    main(*sys.argv[1:])
