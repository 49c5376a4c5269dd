//! The rollups always equal a recomputation from the raw reports: after random submissions,
//! duplicates and rebuilds, after a rebuild that races new reports, and `rollups check` says so or
//! names what differs.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use scanback::domain::Kind;
use sea_orm::ConnectionTrait;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::helpers::{ReportSpec, TestApp, spawn_app};

#[derive(Clone, Debug)]
enum Op {
    /// Reports written at once: they share group commits, and a duplicate among them fails alone.
    Burst(Vec<ReportSpec>),
    /// The same submission again (same fingerprint): stored once, counted once.
    Duplicate(usize),
    /// Page views on days around the month's end (human or bot, with or without a lot), flushed:
    /// they reach the lines' day totals through the scan counter, not the report writer.
    Scans(Vec<(i64, Option<&'static str>, bool)>),
    Rebuild,
}

fn report_spec() -> impl Strategy<Value = ReportSpec> {
    // Times cluster around a month's end and quarter-hour boundaries, where bucketing goes wrong.
    let base = datetime!(2026-10-31 23:00 UTC);
    (
        0i64..(3 * 3600),
        prop::sample::select(vec![0i64, 1, 999_999, 500_000]),
        prop::sample::select(Kind::ALL.to_vec()),
        prop::option::of(prop::sample::select(vec!["coating", "handle", "cleaning"])),
        prop::option::of(prop::sample::select(vec!["L1", "L2"])),
        1u8..=5,
        prop::option::of(0u8..=10),
        any::<u64>(),
    )
        .prop_map(move |(secs, micros, kind, category, lot, rating, recommend, fp)| ReportSpec {
            at: base + Duration::seconds(secs) + Duration::microseconds(micros),
            kind,
            category,
            lot,
            rating,
            recommend,
            fingerprint: Some(format!("{fp:016x}")),
        })
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        4 => prop::collection::vec(report_spec(), 1..12).prop_map(Op::Burst),
        2 => (0usize..64).prop_map(Op::Duplicate),
        2 => prop::collection::vec(
            (-1i64..=1, prop::option::of(prop::sample::select(vec!["L1", "L2"])), any::<bool>()),
            1..8
        )
        .prop_map(Op::Scans),
        1 => Just(Op::Rebuild),
    ];
    prop::collection::vec(op, 1..10)
}

async fn assert_rollups_match(app: &TestApp, context: &str) {
    let differences = scanback::store::rollups::check(&app.db, |_, _| {}).await.expect("check runs");
    assert!(
        differences.is_empty(),
        "{context}: {}",
        differences.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
    );
}

#[tokio::test]
async fn random_submissions_duplicates_and_rebuilds_leave_rollups_equal_to_a_recomputation() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let cases = if std::env::var("SCANBACK_TEST_POSTGRES_URL").is_ok() { 12 } else { 24 };
    let mut runner = TestRunner::new(Config { cases, ..Config::default() });
    let strategy = ops();
    let mut written: Vec<ReportSpec> = Vec::new();
    let mut stored = 0usize;
    for case in 0..cases {
        let ops = strategy.new_tree(&mut runner).expect("a case").current();
        for op in &ops {
            match op {
                Op::Burst(specs) => {
                    let results = futures_util::future::join_all(
                        specs.iter().map(|s| app.insert_report(m.manufacturer_id, line, s)),
                    )
                    .await;
                    for (s, r) in specs.iter().zip(results) {
                        assert!(r.is_ok(), "case {case}: a fresh report is stored: {r:?}");
                        written.push(s.clone());
                        stored += 1;
                    }
                }
                Op::Duplicate(i) if !written.is_empty() => {
                    let again = written[i % written.len()].clone();
                    let r = app.insert_report(m.manufacturer_id, line, &again).await;
                    assert!(
                        matches!(r, Err(scanback::store::StoreError::Conflict(_))),
                        "case {case}: a duplicate is refused: {r:?}"
                    );
                }
                Op::Duplicate(_) => {}
                Op::Scans(views) => {
                    for (offset, lot, bot) in views {
                        let day = datetime!(2026-11-01 00:00 UTC).date() + Duration::days(*offset);
                        app.state.scans.record(line, day, *lot, *bot);
                    }
                    app.flush_scans().await;
                }
                Op::Rebuild => {
                    scanback::store::rollups::rebuild(&app.db, |_, _| {}).await.expect("rebuild");
                }
            }
        }
        assert_rollups_match(&app, &format!("case {case}: {ops:?}")).await;
    }
    // And the numbers a manufacturer reads are the raw counts.
    let window =
        scanback::domain::rollup::Window::new(datetime!(2026-10-01 00:00 UTC), datetime!(2026-12-01 00:00 UTC))
            .unwrap();
    let s = scanback::store::stats::line(&app.db, line, window).await.unwrap();
    assert_eq!(s.totals.reports as usize, stored);
    assert_eq!(s.totals.defects as usize, written.iter().filter(|r| r.kind == Kind::Defect).count());
    let with_nps = written.iter().filter(|r| r.recommend.is_some()).count();
    assert_eq!(s.totals.nps().n as usize, with_nps);
}

#[tokio::test]
async fn a_rebuild_while_reports_keep_arriving_loses_and_doubles_nothing() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let start = OffsetDateTime::now_utc() - Duration::days(62);
    // History over three months, so the rebuild works through several units.
    for i in 0..150 {
        let s = ReportSpec::new(start + Duration::hours(10 * i), Kind::Defect, 2);
        app.insert_report(m.manufacturer_id, line, &s).await.unwrap();
    }
    let writer = {
        let app_state = app.state.clone();
        tokio::spawn(async move {
            let mut n = 0;
            for i in 0..300i64 {
                let at = start + Duration::hours(5 * i) + Duration::minutes(7);
                let kind = if i % 3 == 0 { Kind::Praise } else { Kind::Usability };
                let feedback = scanback::domain::NewFeedback {
                    kind,
                    rating: scanback::domain::Rating::new(4).unwrap(),
                    comment: String::new(),
                    email: None,
                    lot: None,
                    category: None,
                    recommend: Some(9),
                    usage: None,
                    serial: None,
                };
                let mut new = scanback::store::reports::build(
                    uuid::Uuid::now_v7(),
                    m.manufacturer_id,
                    line,
                    &feedback,
                    scanback::domain::Locale::DEFAULT,
                    None,
                    Vec::new(),
                );
                new.report.created_at = sea_orm::ActiveValue::Set(at);
                new.fact.created_at = at;
                app_state.app.reports.write(new).await.unwrap();
                n += 1;
            }
            n
        })
    };
    for _ in 0..3 {
        scanback::store::rollups::rebuild(&app.db, |_, _| {}).await.unwrap();
    }
    let written = writer.await.unwrap();
    assert_eq!(written, 300);
    assert_rollups_match(&app, "after rebuilds racing 300 new reports").await;
    let window = scanback::domain::rollup::Window::new(
        scanback::domain::rollup::day_start(start),
        // The racing writer's last report is 7 hours after now (5 h x 300 from 62 days ago): the window
        // must reach past tomorrow's start, or the test fails in the evening (UTC).
        scanback::domain::rollup::day_start(OffsetDateTime::now_utc()) + Duration::days(2),
    )
    .unwrap();
    assert_eq!(scanback::store::stats::line(&app.db, line, window).await.unwrap().totals.reports, 450);
}

#[tokio::test]
async fn check_names_a_damaged_cell_and_exits_non_zero_until_a_rebuild_repairs_it() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    for kind in [Kind::Defect, Kind::Praise] {
        let s = ReportSpec { lot: Some("L7"), ..ReportSpec::new(datetime!(2026-11-20 08:00 UTC), kind, 3) };
        app.insert_report(m.manufacturer_id, line, &s).await.unwrap();
    }
    for lot in [Some("L7"), None, None] {
        app.state.scans.record(line, datetime!(2026-11-20 00:00 UTC).date(), lot, false);
    }
    app.flush_scans().await;
    let ok = app.cli(&["rollups", "check"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));

    app.db.execute_unprepared("UPDATE report_rollups SET reports = reports + 1 WHERE grain = 2").await.unwrap();
    app.db.execute_unprepared("DELETE FROM report_rollups WHERE grain = 0 AND kind = 'praise'").await.unwrap();
    app.db.execute_unprepared("UPDATE line_days SET human = human + 1").await.unwrap();
    let bad = app.cli(&["rollups", "check"]);
    assert!(!bad.status.success(), "a damaged rollup makes check fail");
    let printed = String::from_utf8_lossy(&bad.stdout);
    assert!(printed.contains("DayLot") && printed.contains("lot=\"L7\"") && printed.contains("stored 3"), "{printed}");
    assert!(
        printed.contains("Quarter") && printed.contains("kind=\"praise\"") && printed.contains("stored 0"),
        "{printed}"
    );
    assert!(
        printed.contains("day total 2026-11-20: stored 2 reports and 4/0 human/bot scans, raw rows give 2 and 3/0"),
        "{printed}"
    );
    // The block of days that holds the 20th (the 15th to the 21st) has the same damage.
    assert!(
        printed
            .contains("block total from 2026-11-15: stored 2 reports and 4/0 human/bot scans, raw rows give 2 and 3/0"),
        "{printed}"
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("4 rollup cell(s) differ"));

    let rebuilt = app.cli(&["rollups", "rebuild"]);
    assert!(rebuilt.status.success(), "{}", String::from_utf8_lossy(&rebuilt.stderr));
    let again = app.cli(&["rollups", "rebuild"]);
    assert_eq!(rebuilt.stdout, again.stdout, "a second rebuild does the same and changes nothing");
    assert!(app.cli(&["rollups", "check"]).status.success());
}

#[tokio::test]
async fn a_database_from_before_rollups_gets_them_computed_when_it_is_opened() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line_id: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let s = ReportSpec::new(datetime!(2026-11-20 08:00 UTC), Kind::Defect, 1);
    app.insert_report(m.manufacturer_id, line_id, &s).await.unwrap();
    app.db.execute_unprepared("DELETE FROM report_rollups").await.unwrap();
    let out = app.cli(&["migrate"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("computing statistics rollups"));
    let (_, stats) = app
        .get_json(&m.api_token, &format!("/api/v1/product-lines/{line_id}/stats?from=2026-11-20&until=2026-11-20"))
        .await;
    assert_eq!(stats["reports"], 1, "{stats}");
}

/// The migration that added blocks of days to `line_days` sums them from the day rows a database
/// already holds: taken back and applied again, `rollups check` finds every block equal to a
/// recomputation, and the comparison of every line reads the same totals.
#[tokio::test]
async fn the_blocks_of_days_are_filled_from_the_stored_days_when_the_migration_runs() {
    use migration::{Migrator, MigratorTrait};
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let specs: Vec<ReportSpec> = (0..40)
        .map(|n| ReportSpec::new(datetime!(2026-10-20 10:00 UTC) + Duration::days(n), Kind::Defect, 2))
        .collect();
    app.insert_reports(m.manufacturer_id, line, &specs).await;
    app.state.scans.record(line, time::macros::date!(2026 - 11 - 09), None, false);
    app.flush_scans().await;
    let url = "/api/v1/stats/lines?from=2026-11-02&until=2026-11-29";
    let (_, before) = app.get_json(&m.api_token, url).await;
    assert_eq!(before["lines"][0]["current"]["reports"], 27, "{before}");

    // Back to before the blocks migration, whatever came after it.
    let names: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
    let blocks = names.iter().position(|n| n == "m20261208_000100_line_day_blocks").expect("the blocks migration");
    let steps = u32::try_from(names.len() - blocks).unwrap();
    Migrator::down(&app.db, Some(steps)).await.expect("take the blocks migration back");
    Migrator::up(&app.db, None).await.expect("apply it again");
    let check = app.cli(&["rollups", "check"]);
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let (_, after) = app.get_json(&m.api_token, url).await;
    assert_eq!(before, after);
}
