#!/usr/bin/env python3
"""Writes a large synthetic police missing-persons export in the sample's format
(data/samples/police_missing_persons.csv; config/mappings/police-west-midlands.json).

  generate_police_export.py ROWS OUT.csv [recent]

Every row is one occurrence with a report and a found record (two events). Children are
PP-5xxxxxx with valid NHS numbers (Modulus 11 check digit) in the 999 test range; names are
made up; nothing is real. The episodes lie in 2023-2024, older than the rules' alert horizon: a
back-loaded history. With "recent", they lie in the two years before today instead, half of them
inside the horizon: a large import that raises alerts by the hundred thousand (issue 12).
Deterministic: the same ROWS (and, for "recent", the same day) give the same file.
"""
import datetime
import random
import sys


def nhs_number(child):
    """A valid NHS number in the 999 test range, one per child (up to 100,000 children).

    NHS Data Dictionary: weights 10..2 over the first nine digits, check = 11 - (sum mod 11),
    11 -> 0, and 10 means no valid number: the ninth digit (weight 2) then moves on by one.
    """
    for last in range(10):
        first9 = f"999{child:05d}{last}"
        check = 11 - sum(int(d) * w for d, w in zip(first9, range(10, 1, -1))) % 11
        if check != 10:
            return first9 + str(check % 11)
    raise AssertionError("unreachable: two ninth digits never both give 10")


rows, out = int(sys.argv[1]), sys.argv[2]
recent = len(sys.argv) > 3 and sys.argv[3] == "recent"
rng = random.Random(11)
given = ["Alex", "Sam", "Jo", "Rowan", "Kai", "Remy", "Ari", "Eden", "Noor", "Tam"]
family = ["Testchild", "Samplewood", "Madeupson", "Exampleton", "Fakeley", "Mockford"]
places = ["Pool Meadow bus station", "Canal basin", "Retail park", "City centre", "Friend's address"]
start = datetime.datetime(2023, 1, 1, tzinfo=datetime.timezone.utc)
if recent:  # ending four days ago: every episode has ended, and its RHI is due
    today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    start = today - datetime.timedelta(days=4 + 2 * 365)
children = max(1, rows // 5)
header = ("occurrence_ref,record_version,person_id,forename,surname,date_of_birth,sex,nhs_number,category,"
          "risk_grade,reported_at,last_seen_at,last_seen_location,regrades,found_at,found_location,found_by,"
          "prevention_interview_at,recorded_at\n")
with open(out, "w") as f:
    f.write(header)
    for i in range(rows):
        child = i % children
        reported = start + datetime.timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
        seen = reported - datetime.timedelta(minutes=rng.randrange(30, 240))
        found = reported + datetime.timedelta(minutes=rng.randrange(60, 3000))
        recorded = found + datetime.timedelta(minutes=30)
        iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        f.write(",".join([
            f"MP-L-{i:07d}", "1", f"PP-5{child:06d}", given[child % len(given)], family[child % len(family)],
            f"{2008 + child % 9}-{1 + child % 12:02d}-{1 + child % 28:02d}", "MF"[child % 2],
            nhs_number(child), "MISSING", ["low", "medium", "high"][rng.randrange(3)], iso(reported), iso(seen),
            places[rng.randrange(len(places))], "", iso(found), "Home address", "police", "", iso(recorded),
        ]) + "\n")
