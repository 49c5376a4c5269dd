"""Reference for the submission benchmark (benches/submit.sh): a plain loop that stores what the
service stores for one report -- the `reports` row, its four rollup upserts into `report_rollups`
and the upsert of its line's day in `line_days` -- one transaction per report, straight through Python's sqlite3 (no ORM, no pool, no async), on a
file created by `scanback migrate`, with the PRAGMAs the service sets on its connections.

    python3 benches/submit_loop.py DB_PATH MANUFACTURER_ID SECONDS

Values are stored in the service's formats: UUIDs as 16-byte BLOBs, timestamps as RFC 3339 text with
microseconds (trailing zeros of the fraction dropped, `Z` for UTC), rollup buckets as the start of the
quarter-hour or UTC day. Prints rows per second and `RESULT loop_rows_per_sec N`.
"""

import os
import sqlite3
import sys
import time
import uuid

MEASURES = [
    "reports",
    "defects",
    "usability",
    "praise",
    "other",
    "rating_1",
    "rating_2",
    "rating_3",
    "rating_4",
    "rating_5",
    "nps_promoters",
    "nps_passives",
    "nps_detractors",
]
UPSERT = (
    "INSERT INTO report_rollups (product_line_id, grain, bucket, kind, category, lot, manufacturer_id, "
    + ", ".join(MEASURES)
    + ") VALUES (?, ?, ?, ?, ?, ?, ?, "
    + ", ".join("?" for _ in MEASURES)
    + ") ON CONFLICT (product_line_id, grain, bucket, kind, category, lot) DO UPDATE SET "
    + ", ".join(f"{m} = report_rollups.{m} + excluded.{m}" for m in MEASURES)
)
UPSERT_DAY = (
    "INSERT INTO line_days (product_line_id, day, "
    + ", ".join(MEASURES)
    + ") VALUES (?, ?, "
    + ", ".join("?" for _ in MEASURES)
    + ") ON CONFLICT (product_line_id, day) DO UPDATE SET "
    + ", ".join(f"{m} = line_days.{m} + excluded.{m}" for m in MEASURES)
)
INSERT_REPORT = (
    "INSERT INTO reports (id, product_line_id, manufacturer_id, kind, rating, comment, email, lot, locale, "
    "status, created_at, category, nps, usage_period, serial, fingerprint) "
    "VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, 'new', ?, NULL, NULL, NULL, NULL, ?)"
)


def rfc3339(us: int) -> str:
    """As the `time` crate writes an OffsetDateTime in UTC: fraction only when non-zero, no trailing zeros."""
    secs, frac = divmod(us, 1_000_000)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs))
    if frac:
        text += "." + f"{frac:06d}".rstrip("0")
    return text + "Z"


def uuid7(us: int) -> bytes:
    rand = os.urandom(10)
    ms = us // 1000
    return ms.to_bytes(6, "big") + bytes([0x70 | (rand[0] & 0x0F), rand[1], 0x80 | (rand[2] & 0x3F)]) + rand[3:]


def main() -> None:
    path, manufacturer, seconds = sys.argv[1], uuid.UUID(sys.argv[2]).bytes, float(sys.argv[3])
    db = sqlite3.connect(path, isolation_level=None, cached_statements=64)
    # What scanback::store::connect sets on every pooled connection.
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 10000")

    # One product line to report on (setup, not timed).
    line = uuid7(time.time_ns() // 1000)
    now_text = rfc3339(time.time_ns() // 1000)
    db.execute(
        "INSERT INTO product_lines (id, manufacturer_id, code, name, sku, gtin, status, created_at) "
        "VALUES (?, ?, 'LOOPBENCH', 'Pan', NULL, NULL, 'active', ?)",
        (line, manufacturer, now_text),
    )

    # The same form the wrk script posts: a defect rated 2, no category, lot or recommendation.
    kind, rating = "defect", 2
    measures = [1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    rows = 0
    started = time.monotonic()
    deadline = started + seconds
    while time.monotonic() < deadline:
        us = time.time_ns() // 1000
        secs = us // 1_000_000
        quarter = rfc3339((secs - secs % 900) * 1_000_000)
        day = rfc3339((secs - secs % 86_400) * 1_000_000)
        fingerprint = f"{os.urandom(16).hex()}:{secs // 600}"
        db.execute("BEGIN")
        db.execute(
            INSERT_REPORT,
            (uuid7(us), line, manufacturer, kind, rating, f"bench {rows}", "en", rfc3339(us), fingerprint),
        )
        # The four cells of domain::rollup::cells: quarter-hour with every dimension, day by kind and
        # category, day by lot, day in total.
        for grain, bucket, k, category, lot in (
            (0, quarter, kind, "", ""),
            (1, day, kind, "", ""),
            (2, day, "", "", ""),
            (3, day, "", "", ""),
        ):
            db.execute(UPSERT, (line, grain, bucket, k, category, lot, manufacturer, *measures))
        # The line's UTC day (store::rollups::write_days).
        db.execute(UPSERT_DAY, (line, time.strftime("%Y-%m-%d", time.gmtime(secs)), *measures))
        db.execute("COMMIT")
        rows += 1
    secs = time.monotonic() - started
    stored = db.execute("SELECT count(*) FROM reports WHERE product_line_id = ?", (line,)).fetchone()[0]
    rolled = db.execute(
        "SELECT coalesce(sum(reports), 0) FROM report_rollups WHERE product_line_id = ? AND grain = 3", (line,)
    ).fetchone()[0]
    if stored != rows or rolled != rows:
        sys.exit(f"loop stored {stored} reports and {rolled} in the day rollups, expected {rows}")
    print(f"plain loop (Python sqlite3 {sqlite3.sqlite_version}): {rows} reports in {secs:.2f} s = {rows / secs:.1f} rows/s")
    print(f"RESULT loop_rows_per_sec {rows / secs:.1f}")


if __name__ == "__main__":
    main()
