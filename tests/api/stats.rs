//! Statistics from the rollups, against fixtures computed by hand: the window's edges, time zones
//! that cut UTC days, every line against the previous period, and rebuilds that change nothing.

use scanback::domain::Kind;
use scanback::domain::rollup::Window;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::{date, datetime};

use crate::helpers::{ReportSpec, TestApp, spawn_app};

struct Fixture {
    token: String,
    line: uuid::Uuid,
}

fn spec(
    at: OffsetDateTime,
    kind: Kind,
    category: Option<&'static str>,
    lot: Option<&'static str>,
    rating: u8,
    recommend: Option<u8>,
) -> ReportSpec {
    ReportSpec { category, lot, recommend, ..ReportSpec::new(at, kind, rating) }
}

/// Six reports around the window 2026-11-01..=2026-11-03 (UTC) and scans on four days; the first
/// and last report lie one microsecond outside it.
async fn fixture(app: &TestApp) -> Fixture {
    let (m, line) = app.manufacturer_with_line("Frying pan 28 cm").await;
    let line: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let reports = [
        spec(datetime!(2026-10-31 23:59:59.999999 UTC), Kind::Defect, Some("coating"), Some("L1"), 1, None),
        spec(datetime!(2026-11-01 00:00 UTC), Kind::Defect, Some("coating"), Some("L1"), 2, Some(3)),
        spec(datetime!(2026-11-02 12:00:00.5 UTC), Kind::Usability, Some("cleaning"), Some("L2"), 4, Some(9)),
        spec(datetime!(2026-11-02 12:07 UTC), Kind::Praise, Some("cooking"), None, 5, Some(10)),
        spec(datetime!(2026-11-03 23:59:59.999999 UTC), Kind::Defect, Some("handle"), Some("L2"), 3, Some(7)),
        spec(datetime!(2026-11-04 00:00 UTC), Kind::Other, None, None, 5, None),
    ];
    for r in &reports {
        app.insert_report(m.manufacturer_id, line, r).await.expect("stored");
    }
    for (day, lot, human, bot) in [
        (date!(2026 - 10 - 31), None, 5, 0),
        (date!(2026 - 11 - 01), Some("L1"), 10, 2),
        (date!(2026 - 11 - 02), None, 30, 0),
        (date!(2026 - 11 - 04), None, 7, 1),
    ] {
        for _ in 0..human {
            app.state.scans.record(line, day, lot, false);
        }
        for _ in 0..bot {
            app.state.scans.record(line, day, lot, true);
        }
    }
    app.flush_scans().await;
    Fixture { token: m.api_token, line }
}

async fn stats(app: &TestApp, f: &Fixture, query: &str) -> Value {
    let (status, body) = app.get_json(&f.token, &format!("/api/v1/product-lines/{}/stats?{query}", f.line)).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn line_stats_count_exactly_the_reports_and_scans_inside_the_window_edges() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let body = stats(&app, &f, "from=2026-11-01&until=2026-11-03").await;
    let expected = json!({
        "product_line_id": f.line.to_string(),
        "from": "2026-11-01",
        "until": "2026-11-03",
        "scans": 40,
        "bot_scans": 2,
        "reports": 4,
        "reports_per_1000_scans": 100.0,
        "average_rating": 3.5,
        "csat": {"value": 0.5, "n": 4},
        "nps": {"value": 25.0, "n": 4},
        "by_kind": {"defect": 2, "praise": 1, "usability": 1},
        "by_category": {"defect/coating": 1, "defect/handle": 1, "praise/cooking": 1, "usability/cleaning": 1},
        "by_lot": [
            {"lot": "L1", "scans": 10, "reports": 1, "defects": 1},
            {"lot": "L2", "scans": 0, "reports": 2, "defects": 1}
        ],
        "by_day": [
            {"day": "2026-11-01", "scans": 10, "bot_scans": 2, "reports": 1},
            {"day": "2026-11-02", "scans": 30, "bot_scans": 0, "reports": 2},
            {"day": "2026-11-03", "scans": 0, "bot_scans": 0, "reports": 1}
        ]
    });
    assert_eq!(body, expected);

    // One day: only that day's reports and scans.
    let day = stats(&app, &f, "from=2026-11-02&until=2026-11-02").await;
    assert_eq!((day["reports"].clone(), day["scans"].clone()), (json!(2), json!(30)));
    assert_eq!(day["by_kind"], json!({"praise": 1, "usability": 1}));
    // A year around it: all six reports and 52 human scans.
    let year = stats(&app, &f, "from=2026-01-01&until=2026-12-31").await;
    assert_eq!((year["reports"].clone(), year["scans"].clone()), (json!(6), json!(52)));
    assert_eq!(year["by_kind"], json!({"defect": 3, "other": 1, "praise": 1, "usability": 1}));
}

#[tokio::test]
async fn a_period_that_is_reversed_too_long_or_not_a_date_is_refused_with_the_field_named() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    for query in ["from=2026-11-03&until=2026-11-01", "from=2025-01-01&until=2026-11-01", "from=yesterday"] {
        let (status, body) = app.get_json(&f.token, &format!("/api/v1/product-lines/{}/stats?{query}", f.line)).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert_eq!(body["error"]["field"], "from", "{query}: {body}");
    }
}

#[tokio::test]
async fn windows_in_a_time_zone_that_cuts_utc_days_are_exact() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    // Moscow's 2 November (UTC+3): 21:00 UTC to 21:00 UTC, inside no whole UTC day.
    let moscow_day = Window::new(datetime!(2026-11-01 21:00 UTC), datetime!(2026-11-02 21:00 UTC)).unwrap();
    let s = scanback::store::stats::line(&app.db, f.line, moscow_day).await.unwrap();
    assert_eq!(s.totals.reports, 2);
    assert_eq!((s.totals.usability, s.totals.praise), (1, 1));
    // Moscow's 1 to 3 November: three quarter-hour edges' worth of the evening before, two whole UTC
    // days, and the first 21 hours of 3 November. The report at 23:59:59.999999 on 31 October
    // (UTC) is in; the one at 23:59:59.999999 on 3 November is out.
    let moscow_days = Window::new(datetime!(2026-10-31 21:00 UTC), datetime!(2026-11-03 21:00 UTC)).unwrap();
    let s = scanback::store::stats::line(&app.db, f.line, moscow_days).await.unwrap();
    assert_eq!(s.totals.reports, 4);
    assert_eq!((s.totals.defects, s.totals.usability, s.totals.praise), (2, 1, 1));
    let lots: Vec<(&str, i64)> = s.by_lot.iter().map(|(l, m)| (l.as_str(), m.reports)).collect();
    assert_eq!(lots, vec![("", 1), ("L1", 2), ("L2", 1)]);
    let coating = &s.by_category[&("defect".to_owned(), "coating".to_owned())];
    assert_eq!((coating.reports, coating.ratings), (2, [1, 1, 0, 0, 0]));
    // Nepal (UTC+5:45): its 2 November starts at 18:15 UTC the day before.
    let nepal_day = Window::new(datetime!(2026-11-01 18:15 UTC), datetime!(2026-11-02 18:15 UTC)).unwrap();
    assert_eq!(scanback::store::stats::line(&app.db, f.line, nepal_day).await.unwrap().totals.reports, 2);
}

#[tokio::test]
async fn every_line_is_compared_with_the_period_before_it_and_other_manufacturers_stay_out() {
    let app = spawn_app().await;
    let (m, p) = app.manufacturer_with_line("Pan").await;
    let q = app.post_line(&m.api_token, &json!({"name": "Wok"})).await.json::<Value>().await.unwrap();
    let quiet = app.post_line(&m.api_token, &json!({"name": "Lid"})).await.json::<Value>().await.unwrap();
    let (other, r) = app.manufacturer_with_line("Someone else's pan").await;
    let id = |v: &Value| v["id"].as_str().unwrap().parse::<uuid::Uuid>().unwrap();
    let (p, q, r) = (id(&p), id(&q), id(&r));
    let now = [
        (p, spec(datetime!(2026-11-08 00:00 UTC), Kind::Defect, Some("coating"), None, 1, None)),
        (p, spec(datetime!(2026-11-10 09:30 UTC), Kind::Defect, Some("handle"), None, 2, None)),
        (p, spec(datetime!(2026-11-14 23:59:59 UTC), Kind::Praise, None, None, 5, Some(10))),
        (q, spec(datetime!(2026-11-07 23:59:59 UTC), Kind::Defect, None, None, 2, None)),
        (q, spec(datetime!(2026-11-01 00:00 UTC), Kind::Praise, None, None, 4, None)),
        (p, spec(datetime!(2026-11-03 10:00 UTC), Kind::Usability, None, None, 3, None)),
        // Outside both periods.
        (p, spec(datetime!(2026-11-15 00:00 UTC), Kind::Defect, None, None, 1, None)),
        (q, spec(datetime!(2026-10-31 23:59:59 UTC), Kind::Defect, None, None, 1, None)),
    ];
    for (line, s) in &now {
        app.insert_report(m.manufacturer_id, *line, s).await.unwrap();
    }
    app.insert_report(
        other.manufacturer_id,
        r,
        &spec(datetime!(2026-11-09 00:00 UTC), Kind::Defect, None, None, 1, None),
    )
    .await
    .unwrap();
    for _ in 0..100 {
        app.state.scans.record(p, date!(2026 - 11 - 09), None, false);
    }
    app.state.scans.record(p, date!(2026 - 11 - 02), None, false);
    app.flush_scans().await;

    let (status, body) = app.get_json(&m.api_token, "/api/v1/stats/lines?from=2026-11-08&until=2026-11-14").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (&body["from"], &body["until"], &body["previous_from"], &body["previous_until"]),
        (&json!("2026-11-08"), &json!("2026-11-14"), &json!("2026-11-01"), &json!("2026-11-07"))
    );
    let lines = body["lines"].as_array().unwrap();
    let ids: Vec<&str> = lines.iter().map(|l| l["product_line_id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3, "only this manufacturer's three lines: {body}");
    assert_eq!(ids[0], p.to_string(), "most reports first");
    // Ties (no report now) by name: "Lid" before "Wok".
    assert_eq!(ids[1], quiet["id"].as_str().unwrap());
    assert_eq!(ids[2], q.to_string());
    assert_eq!(
        lines[0]["current"],
        json!({
            "scans": 100, "reports": 3, "defects": 2, "defect_share": {"value": 0.667, "n": 3},
            "reports_per_1000_scans": 30.0, "average_rating": 2.667,
            "csat": {"value": 0.333, "n": 3}, "nps": {"value": 100.0, "n": 1}
        })
    );
    assert_eq!(lines[0]["previous"]["reports"], 1);
    assert_eq!(lines[0]["previous"]["scans"], 1);
    assert_eq!(lines[0]["previous"]["reports_per_1000_scans"], 1000.0);
    assert_eq!(lines[1]["current"]["reports"], 0);
    assert_eq!(lines[1]["previous"]["reports"], 0);
    assert_eq!(lines[1]["current"]["defect_share"], json!({"value": null, "n": 0}));
    assert_eq!(lines[2]["current"]["reports"], 0);
    assert_eq!((&lines[2]["previous"]["reports"], &lines[2]["previous"]["defects"]), (&json!(2), &json!(1)));

    // Periods of 21 days that start and end mid-week, with reports on both edges: 2026-11-03..23,
    // and 2026-10-13..11-02 before it.
    let (status, body) = app.get_json(&m.api_token, "/api/v1/stats/lines?from=2026-11-03&until=2026-11-23").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((&body["previous_from"], &body["previous_until"]), (&json!("2026-10-13"), &json!("2026-11-02")));
    let by_id = |id: uuid::Uuid| {
        body["lines"].as_array().unwrap().iter().find(|l| l["product_line_id"] == id.to_string()).unwrap().clone()
    };
    let (lp, lq) = (by_id(p), by_id(q));
    assert_eq!((&lp["current"]["reports"], &lp["current"]["scans"]), (&json!(5), &json!(100)), "{lp}");
    assert_eq!((&lp["current"]["defects"], &lp["current"]["average_rating"]), (&json!(3), &json!(2.4)), "{lp}");
    assert_eq!((&lp["previous"]["reports"], &lp["previous"]["scans"]), (&json!(0), &json!(1)), "{lp}");
    assert_eq!((&lq["current"]["reports"], &lq["previous"]["reports"]), (&json!(1), &json!(2)), "{lq}");

    let (status, _) = app.get_json(&other.api_token, "/api/v1/stats/lines?from=2026-11-08&until=2026-11-14").await;
    assert_eq!(status, 200);
    let (status, _) = app.get_json("not-a-token", "/api/v1/stats/lines").await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_rebuild_from_raw_reports_gives_the_same_statistics_and_check_finds_nothing() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let before = stats(&app, &f, "from=2026-10-01&until=2026-11-30").await;
    let out = app.cli(&["rollups", "check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = app.cli(&["rollups", "rebuild"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["lines"], 1);
    assert_eq!(report["cells"], 6 * 4 - 1, "four cells per report; two on one day share the day total: {report}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("1/1"), "a progress bar on stderr");
    assert_eq!(stats(&app, &f, "from=2026-10-01&until=2026-11-30").await, before);
}

/// A report a day (two on the 1st of each month) and scans on every third day, over ten weeks
/// that cross two month ends; every line's comparison, read from blocks of days and the days at
/// their edges, equals a count of those days for windows starting and ending anywhere in a block.
#[tokio::test]
async fn the_comparison_of_every_line_counts_each_day_once_whatever_blocks_its_periods_cut() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let first = date!(2026 - 09 - 20);
    let days: Vec<time::Date> = (0..70).map(|n| first + time::Duration::days(n)).collect();
    let mut specs = Vec::new();
    for d in &days {
        let at = d.with_hms(12, 0, 0).unwrap().assume_utc();
        specs.push(spec(at, Kind::Defect, None, None, 2, None));
        if d.day() == 1 {
            specs.push(spec(at, Kind::Praise, None, None, 5, None));
        }
    }
    app.insert_reports(m.manufacturer_id, line, &specs).await;
    for (i, d) in days.iter().enumerate() {
        if i % 3 == 0 {
            app.state.scans.record(line, *d, None, false);
        }
    }
    app.flush_scans().await;
    let count = |from: time::Date, until: time::Date| {
        let inside = |d: &&time::Date| **d >= from && **d <= until;
        let reports = days.iter().filter(inside).map(|d| if d.day() == 1 { 2 } else { 1 }).sum::<i64>();
        let defects = days.iter().filter(inside).count() as i64;
        let scans = days.iter().enumerate().filter(|(i, d)| i % 3 == 0 && inside(d)).count() as i64;
        (reports, defects, scans)
    };
    for (from, len) in [
        (date!(2026 - 10 - 01), 7),
        (date!(2026 - 10 - 08), 28),
        (date!(2026 - 10 - 05), 28),
        (date!(2026 - 10 - 29), 3),
        (date!(2026 - 10 - 28), 9),
        (date!(2026 - 11 - 02), 26),
        (date!(2026 - 10 - 15), 1),
        (date!(2026 - 10 - 20), 40),
    ] {
        let until = from + time::Duration::days(len - 1);
        let previous_from = from - time::Duration::days(len);
        let (status, body) =
            app.get_json(&m.api_token, &format!("/api/v1/stats/lines?from={from}&until={until}")).await;
        assert_eq!(status, 200, "{body}");
        let l = &body["lines"][0];
        let got = |p: &str| {
            (l[p]["reports"].as_i64().unwrap(), l[p]["defects"].as_i64().unwrap(), l[p]["scans"].as_i64().unwrap())
        };
        assert_eq!(got("current"), count(from, until), "{from}..={until}: {body}");
        assert_eq!(
            got("previous"),
            count(previous_from, from - time::Duration::days(1)),
            "previous of {from}..={until}: {body}"
        );
    }
}
