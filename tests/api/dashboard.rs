//! The dashboard's statistics pages over HTTP: the overview's numbers and intervals against fixtures
//! computed by hand, lines sorted by what got worse, the line page's charts and their text
//! alternatives, lots (PPM, the p-chart flag), production volumes through the API and the form, and
//! isolation between manufacturers. Members sign in through the stand-in session (a test header
//! with the manufacturer's API token) until the session module is merged.

use std::collections::HashMap;

use scanback::domain::Kind;
use serde_json::{Value, json};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::helpers::{ReportSpec, TestApp, spawn_app};

fn spec(
    at: OffsetDateTime,
    kind: Kind,
    category: Option<&'static str>,
    rating: u8,
    recommend: Option<u8>,
) -> ReportSpec {
    ReportSpec { category, recommend, ..ReportSpec::new(at, kind, rating) }
}

fn lot_spec(at: OffsetDateTime, kind: Kind, lot: &'static str) -> ReportSpec {
    ReportSpec { lot: Some(lot), ..ReportSpec::new(at, kind, 3) }
}

/// The attributes of the first tag that starts with `start`, after `from`.
fn attributes(html: &str, start: &str) -> Option<HashMap<String, String>> {
    let at = html.find(start)?;
    let tag = &html[at..at + html[at..].find('>')?];
    let mut out = HashMap::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].rsplit([' ', '<']).next().unwrap_or_default().to_owned();
        let value_start = eq + 2;
        let value_end = value_start + rest[value_start..].find('"')?;
        out.insert(name, rest[value_start..value_end].to_owned());
        rest = &rest[value_end + 1..];
    }
    Some(out)
}

/// Text as written, with the character references askama writes (`&#38;`, `&#39;`, …) decoded.
fn unescape(html: &str) -> String {
    html.replace("&#60;", "<").replace("&#62;", ">").replace("&#34;", "\"").replace("&#39;", "'").replace("&#38;", "&")
}

/// The part of `html` from `start` to the next `end`.
fn section<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let at = html.find(start).unwrap_or_else(|| panic!("no {start} in the page"));
    let rest = &html[at..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// A key-number cell: `data-value`, `data-low`, `data-high`, `data-n`, `data-too-few`.
fn key_number(html: &str, metric: &str, period: &str) -> HashMap<String, String> {
    let row = section(html, &format!("<tr data-metric=\"{metric}\">"), "</tr>");
    attributes(row, &format!("<td data-period=\"{period}\"")).unwrap_or_else(|| panic!("no {metric} {period} cell"))
}

fn number(cell: &HashMap<String, String>, key: &str) -> f64 {
    cell.get(key).and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{key} missing in {cell:?}"))
}

fn assert_close(cell: &HashMap<String, String>, key: &str, expected: f64, eps: f64) {
    let got = number(cell, key);
    assert!((got - expected).abs() < eps, "{key}: {got} is not {expected} ± {eps} in {cell:?}");
}

struct Member {
    token: String,
    manufacturer: uuid::Uuid,
    line: uuid::Uuid,
}

async fn member_with_line(app: &TestApp, name: &str) -> Member {
    let (m, line) = app.manufacturer_with_line(name).await;
    Member { token: m.api_token, manufacturer: m.manufacturer_id, line: line["id"].as_str().unwrap().parse().unwrap() }
}

async fn add_line(app: &TestApp, token: &str, name: &str) -> uuid::Uuid {
    let res = app.post_line(token, &json!({ "name": name })).await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().parse().unwrap()
}

fn human_scans(app: &TestApp, line: uuid::Uuid, day: time::Date, n: usize) {
    for _ in 0..n {
        app.state.scans.record(line, day, None, false);
    }
}

const WEEK: &str = "/dashboard?period=dates&from=2026-11-08&until=2026-11-14";

/// Current week 2026-11-08..=14: 10 reports (4 defects, 6 praise; 8 ratings of 5 and 2 of 2; NPS
/// answers 5 × 10, 3 × 8, 2 × 3) and 1,500 human scans. Previous week 2026-11-01..=07: 3 reports
/// (1 defect; ratings 4, 4, 1; no NPS) and 500 scans. One report and some scans just outside both.
async fn overview_fixture(app: &TestApp) -> Member {
    let m = member_with_line(app, "Frying pan 28 cm").await;
    let at = |d: u8, minute: i64| datetime!(2026-11-01 12:00 UTC).replace_day(d).unwrap() + Duration::minutes(minute);
    let recommend = [Some(10), Some(10), Some(10), Some(10), Some(10), Some(8), Some(8), Some(8), Some(3), Some(3)];
    let mut specs = Vec::new();
    for (i, nps) in recommend.into_iter().enumerate() {
        let kind = if i < 4 { Kind::Defect } else { Kind::Praise };
        let rating = if i % 5 == 0 { 2 } else { 5 };
        specs.push(spec(at(8 + (i % 7) as u8, i as i64), kind, Some("coating"), rating, nps));
    }
    specs.push(spec(at(2, 0), Kind::Defect, Some("handle"), 4, None));
    specs.push(spec(at(3, 0), Kind::Other, None, 4, None));
    specs.push(spec(at(7, 0), Kind::Other, None, 1, None));
    // Outside both weeks.
    specs.push(spec(datetime!(2026-11-15 00:00 UTC), Kind::Defect, None, 1, Some(0)));
    specs.push(spec(datetime!(2026-10-31 23:59:59 UTC), Kind::Defect, None, 1, Some(0)));
    app.insert_reports(m.manufacturer, m.line, &specs).await;
    human_scans(app, m.line, time::macros::date!(2026 - 11 - 10), 1500);
    human_scans(app, m.line, time::macros::date!(2026 - 11 - 03), 500);
    human_scans(app, m.line, time::macros::date!(2026 - 11 - 15), 77);
    app.state.scans.record(m.line, time::macros::date!(2026 - 11 - 10), None, true);
    app.flush_scans().await;
    m
}

#[tokio::test]
async fn the_overview_shows_each_number_with_its_interval_and_sample_size_as_computed_by_hand() {
    let app = spawn_app().await;
    let m = overview_fixture(&app).await;
    let (status, html) = app.dashboard(&m.token, WEEK, "en").await;
    assert_eq!(status, 200, "{html}");

    assert_eq!(key_number(&html, "scans", "current")["data-value"], "1500");
    assert_eq!(key_number(&html, "scans", "previous")["data-value"], "500");
    assert_eq!(key_number(&html, "reports", "current")["data-value"], "10");
    assert_eq!(key_number(&html, "reports", "previous")["data-value"], "3");

    // Defect share 4 of 10, Wilson: centre (0.4 + 1.9207/10) / 1.38415 = 0.42778, margin
    // 1.96 · sqrt(0.024 + 0.0096) / 1.38415 = 0.25960, so [0.168, 0.687].
    let share = key_number(&html, "defect_share", "current");
    assert_close(&share, "data-value", 0.4, 1e-9);
    assert_close(&share, "data-low", 0.168, 0.0005);
    assert_close(&share, "data-high", 0.687, 0.0005);
    assert_eq!(share["data-n"], "10");
    assert_eq!(share.get("data-too-few").map(String::as_str), Some("true"), "n = 10 is below 30");
    // CSAT 8 of 10: [0.490, 0.943].
    let csat = key_number(&html, "csat", "current");
    assert_close(&csat, "data-value", 0.8, 1e-9);
    assert_close(&csat, "data-low", 0.490, 0.0005);
    assert_close(&csat, "data-high", 0.943, 0.0005);
    // Previous week: CSAT 2 of 3 and a defect share of 1 of 3.
    assert_close(&key_number(&html, "csat", "previous"), "data-value", 2.0 / 3.0, 1e-6);
    assert_close(&key_number(&html, "defect_share", "previous"), "data-low", 0.0615, 0.0005);
    // Reports per 1,000 scans: 10 over 1,500 = 6.667; Poisson score
    // (10 + 1.9207 ± 1.96 · sqrt(10 + 0.9604)) / 1.5 = [3.621, 12.273]; n is the scans.
    let rate = key_number(&html, "per_thousand", "current");
    assert_close(&rate, "data-value", 6.6667, 0.0005);
    assert_close(&rate, "data-low", 3.621, 0.001);
    assert_close(&rate, "data-high", 12.273, 0.001);
    assert_eq!(rate["data-n"], "1500");
    assert!(!rate.contains_key("data-too-few"));
    // NPS: 5 promoters, 3 passives, 2 detractors = 30; var (0.7 - 0.09) / 10 = 0.061, so
    // 30 ± 196 · sqrt(0.061) = [-18.41, 78.41].
    let nps = key_number(&html, "nps", "current");
    assert_close(&nps, "data-value", 30.0, 1e-9);
    assert_close(&nps, "data-low", -18.41, 0.01);
    assert_close(&nps, "data-high", 78.41, 0.01);
    assert_eq!(nps["data-n"], "10");
    assert_eq!(key_number(&html, "nps", "previous")["data-n"], "0");

    // What a person reads, and how it was computed.
    let row = section(&html, "<tr data-metric=\"defect_share\">", "</tr>");
    for text in ["40.0%", "95 % interval: 16.8% to 68.7%", "n = 10", "too few answers to judge", "33.3%"] {
        assert!(row.contains(text), "`{text}` missing in {row}");
    }
    for text in ["Wilson score interval", "Poisson score interval", "(p + d − (p − d)²) / n", "Below n = 30"] {
        assert!(html.contains(text), "the page does not state `{text}`");
    }
    assert!(html.contains("2026-11-08 – 2026-11-14 UTC") && html.contains("2026-11-01 – 2026-11-07 UTC"));

    // The same page in Russian writes numbers the Russian way.
    let (status, ru) = app.dashboard(&m.token, WEEK, "ru").await;
    assert_eq!(status, 200);
    let row = section(&ru, "<tr data-metric=\"defect_share\">", "</tr>");
    assert!(row.contains("40,0\u{a0}%") && row.contains("от 16,8\u{a0}% до 68,7\u{a0}%"), "{row}");
    assert!(ru.contains("<html lang=\"ru\">") && ru.contains("Доля дефектов"));
}

#[tokio::test]
async fn the_default_period_is_the_last_28_days_ending_now_against_the_28_days_before() {
    let app = spawn_app().await;
    let m = member_with_line(&app, "Saucepan").await;
    let now = OffsetDateTime::now_utc();
    let end = scanback::domain::rollup::quarter_start(now) + Duration::minutes(15);
    let start = end - Duration::days(28);
    // 20 minutes from the edges: still on the right side if a quarter-hour passes during the test.
    let specs = [
        spec(now - Duration::hours(1), Kind::Defect, None, 2, None),
        spec(start + Duration::minutes(20), Kind::Praise, None, 5, None),
        spec(start - Duration::minutes(20), Kind::Defect, None, 1, None),
        spec(start - Duration::days(27), Kind::Praise, None, 5, None),
        spec(start - Duration::days(29), Kind::Praise, None, 5, None),
    ];
    app.insert_reports(m.manufacturer, m.line, &specs).await;
    let (status, html) = app.dashboard(&m.token, "/dashboard", "en").await;
    assert_eq!(status, 200);
    assert_eq!(key_number(&html, "reports", "current")["data-value"], "2");
    assert_eq!(key_number(&html, "reports", "previous")["data-value"], "2");
    assert_eq!(key_number(&html, "defect_share", "current")["data-value"], "0.500000");
    // The 28-day button is the current one.
    assert!(html.contains("value=\"28d\" aria-current=\"true\""), "28 days is marked as shown");
}

#[tokio::test]
async fn lines_are_sorted_by_what_got_worse_and_only_non_overlapping_intervals_are_flagged() {
    let app = spawn_app().await;
    let m = member_with_line(&app, "Steady pan").await;
    let worse = add_line(&app, &m.token, "Worse pot").await;
    let small = add_line(&app, &m.token, "Small lid").await;
    let empty = add_line(&app, &m.token, "Empty kettle").await;
    let before = datetime!(2026-11-03 10:00 UTC);
    let now = datetime!(2026-11-10 10:00 UTC);
    let reports = |at: OffsetDateTime, n: usize, defects: usize| -> Vec<ReportSpec> {
        (0..n)
            .map(|i| {
                let kind = if i < defects { Kind::Defect } else { Kind::Praise };
                spec(at + Duration::minutes(i as i64), kind, None, 4, None)
            })
            .collect()
    };
    // Steady: 4 of 40 defects in both weeks. Worse pot: 2 of 40 ([0.014, 0.165]) to 20 of 40
    // ([0.352, 0.648]): the intervals are apart. Small lid: 0 of 5 to 4 of 5, the largest rise, but
    // n = 5 is too few to judge.
    app.insert_reports(m.manufacturer, m.line, &[reports(before, 40, 4), reports(now, 40, 4)].concat()).await;
    app.insert_reports(m.manufacturer, worse, &[reports(before, 40, 2), reports(now, 40, 20)].concat()).await;
    app.insert_reports(m.manufacturer, small, &[reports(before, 5, 0), reports(now, 5, 4)].concat()).await;

    let (status, html) = app.dashboard(&m.token, WEEK, "en").await;
    assert_eq!(status, 200);
    let table = section(&html, "<table class=\"lines\">", "</table>");
    let order: Vec<uuid::Uuid> =
        table.split("<tr data-line=\"").skip(1).map(|rest| rest[..36].parse().unwrap()).collect();
    assert_eq!(order, [worse, small, m.line, empty], "worse pot, small lid, steady pan, empty kettle");

    let row = |id: uuid::Uuid| section(table, &format!("<tr data-line=\"{id}\""), "</tr>").to_owned();
    let worse_row = row(worse);
    assert!(worse_row.contains("data-worse=\"true\""));
    let share = attributes(&worse_row, "<td data-metric=\"defect_share\"").unwrap();
    assert_eq!(share["data-change"], "worse");
    assert_close(&share, "data-value", 0.5, 1e-9);
    assert_close(&share, "data-previous", 0.05, 1e-9);
    assert!(worse_row.contains("clearly worse"));
    let small_row = row(small);
    assert!(!small_row.contains("data-worse"), "a rise on n = 5 is not flagged");
    assert_eq!(attributes(&small_row, "<td data-metric=\"defect_share\"").unwrap()["data-change"], "too-few");
    assert!(small_row.contains("too few answers to judge"));
    let steady = attributes(&row(m.line), "<td data-metric=\"defect_share\"").unwrap();
    assert_eq!(steady["data-change"], "unclear");
    // The period travels with the links.
    let link = format!("href=\"/dashboard/lines/{worse}?period=dates&from=2026-11-08&until=2026-11-14\"");
    assert!(unescape(&worse_row).contains(&link), "{worse_row}");
    assert!(html.contains("Sorted by what got worse"));
}

#[tokio::test]
async fn the_period_picker_offers_presets_and_dates_and_says_what_was_wrong() {
    let app = spawn_app().await;
    let m = member_with_line(&app, "Wok").await;
    let (status, html) = app.dashboard(&m.token, "/dashboard?period=7d", "en").await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"7d\" aria-current=\"true\""));
    assert!(html.contains(&format!("href=\"/dashboard/lines/{}?period=7d\"", m.line)));
    assert!(html.contains("<form method=\"get\" action=\"/dashboard\""));
    for field in ["name=\"from\"", "name=\"until\"", "<label for=\"period-from\">", "value=\"90d\""] {
        assert!(html.contains(field), "{field}");
    }
    let (status, html) =
        app.dashboard(&m.token, "/dashboard?period=dates&from=2026-11-09&until=2026-11-01", "en").await;
    assert_eq!(status, 200);
    assert!(html.contains("role=\"alert\">The first day is after the last day"), "the refusal is stated");
    assert!(html.contains("value=\"2026-11-09\""), "what was typed is kept");
    assert!(html.contains("value=\"28d\" aria-current=\"true\""), "the default period is shown instead");
}

/// Three ISO weeks, 2026-W45 to W47 (Monday 2 November to Sunday 22 November).
const WEEKS: &str = "period=dates&from=2026-11-02&until=2026-11-22";

#[tokio::test]
async fn the_line_page_draws_weekly_and_pareto_charts_with_text_alternatives() {
    let app = spawn_app().await;
    let m = member_with_line(&app, "Frying pan 24 cm").await;
    let day = |d: u8| datetime!(2026-11-01 09:00 UTC).replace_day(d).unwrap();
    let specs = [
        spec(day(3), Kind::Defect, Some("coating"), 2, None),
        spec(day(4), Kind::Defect, Some("coating"), 2, None),
        spec(day(5), Kind::Praise, Some("cooking"), 5, None),
        spec(day(10), Kind::Defect, Some("coating"), 1, None),
        spec(day(11), Kind::Defect, Some("coating"), 1, None),
        spec(day(12), Kind::Defect, Some("coating"), 1, None),
        spec(day(13), Kind::Defect, Some("handle"), 2, None),
        spec(day(15), Kind::Defect, Some("handle"), 2, None),
        spec(day(17), Kind::Defect, Some("handle"), 2, None),
        spec(day(18), Kind::Defect, Some("lid"), 3, None),
        // Outside the period.
        spec(day(23), Kind::Defect, Some("lid"), 3, None),
    ];
    app.insert_reports(m.manufacturer, m.line, &specs).await;
    let res = app
        .client
        .get(app.url(&format!("/dashboard/lines/{}?{WEEKS}", m.line)))
        .header("Cookie", app.session_for(&m.token, "owner", "en").await.0)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.split(';').any(|d| d.trim().starts_with("script-src") && d.contains("unsafe")), "{csp}");
    let html = res.text().await.unwrap();
    assert!(!html.contains("<script"), "no script at all");
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "nothing from elsewhere");
    assert!(html.contains("ISO weeks (Monday to Sunday) in UTC"), "the page says how weeks are cut");

    // Weekly: one stacked bar per week, a title, a description and the numbers as a table.
    let weekly = section(&html, "<section id=\"weekly\"", "</section>");
    assert!(weekly.contains("role=\"img\" aria-labelledby=\"weekly-title weekly-desc\""));
    assert!(weekly.contains("<title id=\"weekly-title\">Reports by category by week</title>"));
    let desc = section(weekly, "<desc id=\"weekly-desc\">", "</desc>");
    assert!(desc.contains("from 2026-W45 to 2026-W47") && desc.contains("2026-W46 with 5 reports"), "{desc}");
    assert_eq!(section(weekly, "<svg", "</svg>").matches("<rect ").count(), 6, "2 + 2 + 2 segments");
    let legend = section(weekly, "<ul class=\"legend\"", "</ul>");
    assert!(legend.contains("Defect: Coating (peeling, scratches, sticking)") && legend.contains("Praise: Cooks well"));
    let n = |v: &str| format!("<td class=\"num\">{v}</td>");
    // Columns: coating 5, handle 3, lid 1, cooking 1 (ties by kind), total.
    for (week, cells) in [
        ("2026-W45 (from 2026-11-02)", ["2", "0", "0", "1", "3"]),
        ("2026-W46 (from 2026-11-09)", ["3", "2", "0", "0", "5"]),
        ("2026-W47 (from 2026-11-16)", ["0", "1", "1", "0", "2"]),
    ] {
        let row = format!("<tr><th scope=\"row\">{week}</th>{}</tr>", cells.map(n).concat());
        assert!(weekly.contains(&row), "{row} not in {weekly}");
    }

    // Pareto: coating 5, handle 3, lid 1 of 9 defects, bars largest first, cumulative line.
    let pareto = section(&html, "<section id=\"pareto\"", "</section>");
    assert!(
        pareto.contains("aria-labelledby=\"pareto-title pareto-desc\"") && pareto.contains("<desc id=\"pareto-desc\">")
    );
    assert!(pareto.contains("<polyline points=\""), "the cumulative line");
    let body = section(pareto, "<tbody>", "</tbody>");
    let rows: Vec<&str> = body.split("<tr><th scope=\"row\">").skip(1).collect();
    assert_eq!(rows.len(), 3);
    for (row, (label, count, cumulative)) in rows.iter().zip([
        ("Coating (peeling, scratches, sticking)", "5", "55.6%"),
        ("Handle (loose, broken, gets hot)", "3", "88.9%"),
        ("Lid", "1", "100.0%"),
    ]) {
        assert!(row.starts_with(label) && row.contains(&n(count)) && row.contains(&n(cumulative)), "{row}");
    }
    // No volumes: no p-chart, and the page says why.
    assert!(html.contains("No lot has a production volume yet, so there is no p-chart"));
    assert!(!html.contains("pchart-title"));
}

/// Lots with volumes L1 10,000, L2 5,000, L3 10,000, L4 5,000 units and 10, 15, 40, 3 defects: p̄ =
/// 68 / 30,000 = 0.0022667. L3's rate 0.004 is above its limit 0.0022667 + 3·sqrt(0.0022667·0.9977/10,000)
/// = 0.0036933 (3,693.3 PPM). L2's 0.003 is above p̄ but under its own limit (4,284.3 PPM with 5,000
/// units): not flagged.
async fn lots_fixture(app: &TestApp) -> Member {
    let m = member_with_line(app, "Stock pot").await;
    let at = datetime!(2026-11-20 08:00 UTC);
    let mut specs = Vec::new();
    for (lot, defects, others) in [("L1", 10, 2), ("L2", 15, 1), ("L3", 40, 5), ("L4", 3, 0), ("NOVOL", 5, 0)] {
        for i in 0..defects + others {
            let kind = if i < defects { Kind::Defect } else { Kind::Praise };
            specs.push(lot_spec(at + Duration::minutes(i64::from(i)), kind, lot));
        }
    }
    specs.push(spec(at, Kind::Defect, None, 1, None));
    specs.push(spec(at, Kind::Usability, None, 3, None));
    app.insert_reports(m.manufacturer, m.line, &specs).await;
    for (lot, units) in [("l1", 10_000), ("L2", 5_000), ("L3", 10_000), ("L4", 5_000)] {
        let res = put_volume(app, &m.token, m.line, lot, json!({ "units_produced": units })).await;
        assert_eq!(res.status(), 200);
    }
    m
}

async fn put_volume(app: &TestApp, token: &str, line: uuid::Uuid, lot: &str, body: Value) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/api/v1/product-lines/{line}/lots/{lot}")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn lots_have_ppm_and_a_lot_above_its_p_chart_limit_is_flagged_with_its_numbers() {
    let app = spawn_app().await;
    let m = lots_fixture(&app).await;
    let (status, body) = app.get_json(&m.token, &format!("/api/v1/product-lines/{}/lots", m.line)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["chart"], "ok");
    assert_eq!(body["centre_ppm"], 2266.667);
    assert_eq!((body["reports_without_lot"].clone(), body["defects_without_lot"].clone()), (json!(2), json!(1)));
    let lots = body["lots"].as_array().unwrap();
    let names: Vec<&str> = lots.iter().map(|l| l["lot"].as_str().unwrap()).collect();
    assert_eq!(names, ["L3", "L2", "L1", "L4", "NOVOL"], "flagged first, then by PPM");
    let l3 = &lots[0];
    assert_eq!(
        (l3["reports"].clone(), l3["defects"].clone(), l3["units_produced"].clone()),
        (json!(45), json!(40), json!(10_000))
    );
    assert_eq!(l3["ppm"], 4000.0);
    assert_eq!(l3["above_upper_limit"], true);
    assert!((l3["upper_limit_ppm"].as_f64().unwrap() - 3693.333).abs() < 0.01, "{l3}");
    assert!(lots[1..].iter().all(|l| l["above_upper_limit"] == false));
    assert_eq!((lots[1]["lot"].clone(), lots[1]["ppm"].clone()), (json!("L2"), json!(3000.0)));
    assert!((lots[1]["upper_limit_ppm"].as_f64().unwrap() - 4284.277).abs() < 0.01, "{}", lots[1]);
    assert_eq!((lots[4]["ppm"].clone(), lots[4]["units_produced"].clone()), (Value::Null, Value::Null));

    let (status, html) = app.dashboard(&m.token, &format!("/dashboard/lines/{}", m.line), "en").await;
    assert_eq!(status, 200);
    let lots = section(&html, "<section id=\"lots\"", "</section>");
    assert!(lots.contains(
        "Lot L3 is above its upper control limit: 40 defect reports in 10,000 units is 4,000 PPM, above the limit of 3,693 PPM."
    ), "{lots}");
    let l3 = attributes(lots, "<tr data-lot=\"L3\"").unwrap();
    assert_eq!(l3.get("data-above").map(String::as_str), Some("true"));
    assert_close(&l3, "data-ppm", 4000.0, 1e-6);
    assert_close(&l3, "data-ucl", 3693.333, 0.001);
    for lot in ["L1", "L2", "L4", "NOVOL"] {
        assert!(!attributes(lots, &format!("<tr data-lot=\"{lot}\"")).unwrap().contains_key("data-above"), "{lot}");
    }
    // The p-chart: a title, a description, the flagged lot drawn as a triangle, and its method.
    assert!(lots.contains("aria-labelledby=\"pchart-title pchart-desc\""));
    let desc = section(lots, "<desc id=\"pchart-desc\">", "</desc>");
    assert!(desc.contains("1 of 4 lots are above their limit") && desc.contains("2,267 PPM"), "{desc}");
    assert_eq!(section(lots, "<svg", "</svg>").matches("<polygon ").count(), 1);
    assert!(unescape(lots).contains("p̄ + 3·√(p̄(1−p̄)/n), where n is the lot's units produced"));
    assert!(lots.contains("over all their reports so far"));
    assert!(lots.contains("2 reports (one defect) name no lot"));
}

#[tokio::test]
async fn with_one_lot_volume_there_is_no_p_chart_and_the_page_says_why() {
    let app = spawn_app().await;
    let m = member_with_line(&app, "Kettle").await;
    app.insert_reports(m.manufacturer, m.line, &[lot_spec(datetime!(2026-11-20 08:00 UTC), Kind::Defect, "K1")]).await;
    assert_eq!(put_volume(&app, &m.token, m.line, "K1", json!({ "units_produced": 400 })).await.status(), 200);
    let (_, body) = app.get_json(&m.token, &format!("/api/v1/product-lines/{}/lots", m.line)).await;
    assert_eq!(body["chart"], "one_lot");
    assert_eq!(body["lots"][0]["ppm"], 2500.0);
    assert_eq!(body["lots"][0]["above_upper_limit"], false);
    let (_, html) = app.dashboard(&m.token, &format!("/dashboard/lines/{}", m.line), "en").await;
    assert!(html.contains("Only one lot has a production volume"));
    assert!(!html.contains("pchart-title"));
}

#[tokio::test]
async fn volumes_are_validated_and_stored_through_the_api() {
    let app = spawn_app().await;
    let m = member_with_line(&app, "Roasting tin").await;
    let res = put_volume(&app, &m.token, m.line, "l2603", json!({ "units_produced": 12_000 })).await;
    assert_eq!(res.status(), 200);
    let saved: Value = res.json().await.unwrap();
    assert_eq!((saved["lot"].clone(), saved["units_produced"].clone()), (json!("L2603"), json!(12_000)));
    // Replacing keeps one row.
    assert_eq!(put_volume(&app, &m.token, m.line, "L2603", json!({ "units_produced": 13_000 })).await.status(), 200);
    // A slash travels as %2F.
    let res = put_volume(&app, &m.token, m.line, "2026%2F11", json!({ "units_produced": 5 })).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["lot"], "2026/11");
    let (_, body) = app.get_json(&m.token, &format!("/api/v1/product-lines/{}/lots", m.line)).await;
    let lots: Vec<(String, Value)> = body["lots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["lot"].as_str().unwrap().to_owned(), l["units_produced"].clone()))
        .collect();
    assert_eq!(lots, [("2026/11".to_owned(), json!(5)), ("L2603".to_owned(), json!(13_000))]);
    assert_eq!(body["chart"], "ok");

    for (lot, body, status, field) in [
        ("L%20X", json!({ "units_produced": 5 }), 422, Some("lot")),
        ("L1", json!({ "units_produced": 0 }), 422, Some("units_produced")),
        ("L1", json!({ "units_produced": -4 }), 422, Some("units_produced")),
        ("L1", json!({ "units_produced": 1.5 }), 400, None),
        ("L1", json!({ "units": 5 }), 400, None),
    ] {
        let res = put_volume(&app, &m.token, m.line, lot, body.clone()).await;
        assert_eq!(res.status(), status, "{lot} {body}");
        let err: Value = res.json().await.unwrap();
        if let Some(field) = field {
            assert_eq!(err["error"]["field"], field, "{err}");
        }
    }
    let other = app.create_manufacturer("Someone Else").await;
    assert_eq!(put_volume(&app, &other.api_token, m.line, "L1", json!({ "units_produced": 5 })).await.status(), 404);
    let (status, _) = app.get_json(&other.api_token, &format!("/api/v1/product-lines/{}/lots", m.line)).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn volumes_are_entered_on_the_line_page_by_editors_and_refused_to_viewers() {
    let app = spawn_app().await;
    let m = member_with_line(&app, "Grill pan").await;
    let path = format!("/dashboard/lines/{}", m.line);
    let (_, html) = app.dashboard(&m.token, &format!("{path}?period=7d"), "en").await;
    let form = section(&html, "<form method=\"post\" action=\"/dashboard/lines/", "</form>");
    assert!(form.contains(&format!("action=\"{path}/lots?period=7d\"")));
    assert!(form.contains("<input type=\"hidden\" name=\"csrf_token\" value=\""));
    assert!(form.contains("<label for=\"volume-lot\">") && form.contains("<label for=\"volume-units\">"));

    let post = |role: &'static str, lot: &'static str, units: &'static str| {
        let action = format!("{path}/lots?period=7d");
        let token = m.token.clone();
        let app = &app;
        async move {
            app.dashboard_post(&token, role, &action, &[("csrf_token", "x"), ("lot", lot), ("units_produced", units)])
                .await
        }
    };
    let res = post("editor", "g7", "12 000").await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("{path}?period=7d&saved=G7#lots"));
    let (_, html) = app.dashboard(&m.token, location.trim_end_matches("#lots"), "en").await;
    assert!(html.contains("Saved the volume of lot G7."));
    let g7 = section(&html, "<tr data-lot=\"G7\"", "</tr>");
    assert!(g7.contains("<td class=\"num\">12,000</td>"), "{g7}");
    let (_, body) = app.get_json(&m.token, &format!("/api/v1/product-lines/{}/lots", m.line)).await;
    assert_eq!(body["lots"][0]["units_produced"], 12_000);

    // Mistakes re-render the form with what was typed and both errors named.
    let res = post("owner", "G 7", "lots").await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    let form = section(&html, "<form method=\"post\" action=\"/dashboard/lines/", "</form>");
    assert!(form.contains("value=\"G 7\"") && form.contains("value=\"lots\""));
    assert!(form.contains("id=\"volume-lot-error\"") && form.contains("id=\"volume-units-error\""));
    assert!(form.contains("aria-invalid=\"true\""));

    // Viewers read; they cannot change volumes, and the page does not offer the form.
    assert_eq!(post("viewer", "G8", "5").await.status(), 403);
    let res = app
        .client
        .get(app.url(&path))
        .header("Cookie", app.session_for(&m.token, "viewer", "en").await.0)
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(
        !html.contains("<form method=\"post\" action=\"/dashboard/lines/")
            && html.contains("Viewers cannot enter production volumes")
    );
    let (_, body) = app.get_json(&m.token, &format!("/api/v1/product-lines/{}/lots", m.line)).await;
    assert_eq!(body["lots"].as_array().unwrap().len(), 1, "nothing else was stored");
}

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, _| image::Rgb([if x < 32 { 200 } else { 30 }, 30, 30]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    out
}

#[tokio::test]
async fn the_newest_reports_show_photo_thumbnails_served_to_the_signed_in_manufacturer_only() {
    let app = spawn_app().await;
    let (owner, line) = app.manufacturer_with_line("Casserole").await;
    let form = reqwest::multipart::Form::new()
        .text("kind", "defect")
        .text("rating", "2")
        .text("comment", "The enamel chipped on the rim")
        .part("photo", reqwest::multipart::Part::bytes(jpeg()).file_name("rim.jpg").mime_str("image/jpeg").unwrap());
    let res = app.post_multipart(line["code"].as_str().unwrap(), form, "en").await;
    assert_eq!(res.status(), 303);
    let line_id = line["id"].as_str().unwrap();
    let report = &app.reports(&owner.api_token, line_id).await[0];
    let report_id = report["id"].as_str().unwrap();

    let (status, html) = app.dashboard(&owner.api_token, &format!("/dashboard/lines/{line_id}"), "en").await;
    assert_eq!(status, 200);
    let newest = section(&html, "<section id=\"newest\"", "</section>");
    assert!(newest.contains("The enamel chipped on the rim"));
    assert!(newest.contains(&format!("href=\"/dashboard/reports/{report_id}\"")));
    let thumb = format!("/dashboard/reports/{report_id}/photos/0?size=thumbnail");
    assert!(newest.contains(&format!("<img src=\"{thumb}\" alt=\"Photo 1 of this report\"")), "{newest}");

    let bytes = |token: String, path: String, header: &'static str| {
        let req = app.client.get(app.url(&path)).header(header, token);
        async move {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.bytes().await.unwrap().to_vec())
        }
    };
    let (status, dashboard) =
        bytes(app.session_for(&owner.api_token, "owner", "en").await.0, thumb.clone(), "Cookie").await;
    assert_eq!(status, 200);
    let api = format!("/api/v1/reports/{report_id}/photos/0?size=thumbnail");
    let (_, from_api) = bytes(format!("Bearer {}", owner.api_token), api, "Authorization").await;
    assert_eq!(dashboard, from_api, "the same bytes as the API");
    assert!(dashboard.starts_with(&[0xff, 0xd8]), "a JPEG");
    let huge = format!("/api/v1/reports/{report_id}/photos/0?size=huge");
    let (status, body) = bytes(format!("Bearer {}", owner.api_token), huge, "Authorization").await;
    assert_eq!(status, 422, "an unknown size is refused, not answered with the full photo");
    assert!(String::from_utf8_lossy(&body).contains("size=thumbnail"));

    let other = app.create_manufacturer("Someone Else").await;
    assert_eq!(bytes(app.session_for(&other.api_token, "owner", "en").await.0, thumb, "Cookie").await.0, 404);
    assert_eq!(
        bytes(
            app.session_for(&owner.api_token, "owner", "en").await.0,
            format!("/dashboard/reports/{report_id}/photos/7"),
            "Cookie",
        )
        .await
        .0,
        404
    );
}

#[tokio::test]
async fn another_manufacturers_line_answers_404_and_no_member_is_sent_to_sign_in() {
    let app = spawn_app().await;
    let m = lots_fixture(&app).await;
    let other = app.create_manufacturer("Someone Else").await;
    let path = format!("/dashboard/lines/{}", m.line);
    let (status, html) = app.dashboard(&other.api_token, &path, "en").await;
    assert_eq!(status, 404);
    assert!(html.contains("Not found") && !html.contains("Stock pot"), "nothing of the line is shown");
    let res = app
        .dashboard_post(&other.api_token, "owner", &format!("{path}/lots"), &[("lot", "X1"), ("units_produced", "5")])
        .await;
    assert_eq!(res.status(), 404);
    let (_, body) = app.get_json(&m.token, &format!("/api/v1/product-lines/{}/lots", m.line)).await;
    assert!(body["lots"].as_array().unwrap().iter().all(|l| l["lot"] != "X1"), "nothing was stored");
    // The other manufacturer's overview does not list the line.
    let (status, overview) = app.dashboard(&other.api_token, "/dashboard", "en").await;
    assert_eq!(status, 200);
    assert!(!overview.contains(&m.line.to_string()) && overview.contains("There are no product lines yet."));
    for bad in ["/dashboard/lines/not-a-uuid", "/dashboard/lines/00000000-0000-0000-0000-000000000000"] {
        assert_eq!(app.dashboard(&m.token, bad, "en").await.0, 404, "{bad}");
    }
    // Without a member: to sign in.
    let res = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("/login?next={}", path.replace('/', "%2F")));
    let res =
        app.client.get(app.url("/dashboard")).header("Cookie", "scanback_session=not-a-session").send().await.unwrap();
    assert_eq!(res.status(), 303);
}
