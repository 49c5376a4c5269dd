#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The measuring half of benches/stats.sh: against a seeded database and a running `scanback serve`,
//! side by side in one run,
//!
//! - the statistics API (one line over 365 and 28 days; every line, 28 days against the previous 28),
//!   2 warm-ups then `--runs` timed requests each: median and p95;
//! - the plain SQL that answers the same questions from the raw `reports` and `scan_counts` tables
//!   through a direct connection (GROUP BY kind, category, lot and day; GROUP BY line), `--raw-runs`
//!   runs each: median;
//! - the CSV export of the flagship line: rows (must equal its report count) and rows/s;
//! - the server's resident memory, sampled every 100 ms, peak per phase (and VmHWM, reset per phase
//!   through /proc/PID/clear_refs where allowed).
//!
//! Every answer of the API is also checked against the raw GROUP BY (totals by kind, category, lot
//! and day; scans; ratings; every line's two periods). With `--quick` only those checks decide the
//! exit status; otherwise the budgets do too. Prints a table, then `RESULT name value` lines.
//!
//!   cargo bench --bench stats_measure -- --database-url URL --base-url http://127.0.0.1:PORT \
//!       --token TOKEN --manufacturer ID --flagship ID --median ID --server-pid PID [--quick]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use clap::Parser;
use scanback::store;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, QueryResult, Statement, Value};
use serde_json::Value as Json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Budgets from issue 7.
const STATS_MEDIAN_MS: f64 = 50.0;
const STATS_MIN_RATIO: f64 = 20.0;
const STATS_RSS_MB: f64 = 150.0;
const CSV_RSS_MB: f64 = 100.0;
const CSV_MIN_ROWS_PER_SEC: f64 = 100_000.0;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    database_url: String,
    #[arg(long)]
    base_url: String,
    #[arg(long)]
    token: String,
    #[arg(long)]
    manufacturer: Uuid,
    #[arg(long)]
    flagship: Uuid,
    #[arg(long)]
    median: Uuid,
    #[arg(long)]
    server_pid: u32,
    #[arg(long, default_value_t = 21)]
    runs: usize,
    #[arg(long, default_value_t = 5)]
    raw_runs: usize,
    /// Correctness only: fewer runs, budgets printed but not enforced.
    #[arg(long)]
    quick: bool,
}

fn main() -> anyhow::Result<()> {
    // reqwest is built without a crypto provider of its own (see jobs::webhooks): install ring's.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut args = Args::parse_from(std::env::args().filter(|a| a != "--bench"));
    if args.quick {
        args.runs = args.runs.min(3);
        args.raw_runs = args.raw_runs.min(1);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let failures = runtime.block_on(run(&args))?;
    if failures.is_empty() {
        println!("all checks{} passed", if args.quick { "" } else { " and budgets" });
        Ok(())
    } else {
        for f in &failures {
            println!("FAILED: {f}");
        }
        std::process::exit(1)
    }
}

/// The days a period covers, inclusive, and its bounds as instants.
#[derive(Clone, Copy)]
struct Period {
    from: Date,
    until: Date,
}

impl Period {
    fn ending(until: Date, days: i64) -> Period {
        Period { from: until - time::Duration::days(days - 1), until }
    }
    fn previous(self) -> Period {
        let len = (self.until - self.from).whole_days() + 1;
        Period::ending(self.from - time::Duration::days(1), len)
    }
    fn start(self) -> OffsetDateTime {
        self.from.midnight().assume_utc()
    }
    fn end(self) -> OffsetDateTime {
        (self.until + time::Duration::days(1)).midnight().assume_utc()
    }
    fn query(self) -> String {
        format!("from={}&until={}", self.from, self.until)
    }
}

struct Timing {
    name: String,
    api: Vec<f64>,
    raw: Vec<f64>,
    budgeted: bool,
}

fn median(v: &[f64]) -> f64 {
    percentile(v, 0.5)
}

/// Nearest-rank percentile.
fn percentile(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let rank = ((p * s.len() as f64).ceil() as usize).clamp(1, s.len());
    s[rank - 1]
}

/// Resident memory of the server, peak per phase.
struct Rss {
    pid: u32,
    phase: AtomicUsize,
    peaks_kb: [AtomicU64; 3],
    stop: AtomicBool,
}

const PHASE_IDLE: usize = 0;
const PHASE_STATS: usize = 1;
const PHASE_CSV: usize = 2;

impl Rss {
    fn status_kb(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).ok()?;
        let line = status.lines().find(|l| l.starts_with(field))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }
    fn sample(&self) {
        if let Some(kb) = self.status_kb("VmRSS:") {
            self.peaks_kb[self.phase.load(Relaxed)].fetch_max(kb, Relaxed);
        }
    }
    /// Starts a phase: resets the kernel's high-water mark (so VmHWM at the end is this phase's peak).
    fn enter(&self, phase: usize) {
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.pid), "5");
        self.phase.store(phase, Relaxed);
        self.sample();
    }
    /// Ends a phase; its peak in MB (the larger of the 100 ms samples and VmHWM).
    fn leave(&self, phase: usize) -> f64 {
        self.sample();
        let hwm = self.status_kb("VmHWM:").unwrap_or(0);
        self.phase.store(PHASE_IDLE, Relaxed);
        self.peaks_kb[phase].load(Relaxed).max(hwm) as f64 / 1024.0
    }
}

/// The raw queries' connection. On PostgreSQL it keeps the server's parallel query (a plain GROUP BY
/// over a million rows gains from it) and only turns JIT off, as the service does; the service itself
/// runs without parallel workers (`store::connect`), which only slow its short queries.
async fn raw_connection(url: &str) -> anyhow::Result<DatabaseConnection> {
    if !url.starts_with("postgres") {
        return Ok(store::connect(url).await?);
    }
    let mut options = sea_orm::ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false).map_sqlx_postgres_opts(|o| o.options([("jit", "off")]));
    Ok(sea_orm::Database::connect(options).await?)
}

async fn run(args: &Args) -> anyhow::Result<Vec<String>> {
    let mut failures = Vec::new();
    let db = raw_connection(&args.database_url).await?;
    let backend = db.get_database_backend();
    let http = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(300)).build()?;
    let today = OffsetDateTime::now_utc().date();
    let year = Period::ending(today, 365);
    let month = Period::ending(today, 28);

    let rss = Arc::new(Rss {
        pid: args.server_pid,
        phase: AtomicUsize::new(PHASE_IDLE),
        peaks_kb: Default::default(),
        stop: AtomicBool::new(false),
    });
    let sampler = {
        let rss = rss.clone();
        std::thread::spawn(move || {
            while !rss.stop.load(Relaxed) {
                rss.sample();
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    let idle_mb = rss.status_kb("VmRSS:").unwrap_or(0) as f64 / 1024.0;

    // ---- statistics, side by side ----
    rss.enter(PHASE_STATS);
    let mut timings = Vec::new();
    for (label, line, budgeted) in [("flagship", args.flagship, true), ("median line", args.median, false)] {
        for (period, days) in [(year, 365), (month, 28)] {
            let url = format!("{}/api/v1/product-lines/{line}/stats?{}", args.base_url, period.query());
            let raw = || raw_line(&db, backend, line, period);
            let name = format!("{label}, {days} days");
            match measure(&http, &args.token, &url, raw, name.clone(), budgeted, args).await {
                Ok((timing, body, rows)) => {
                    let expected = Expected::from_rows(rows);
                    failures.extend(expected.compare(&body).into_iter().map(|e| format!("{name}: {e}")));
                    timings.push(timing);
                }
                Err(e) => failures.push(format!("{name}: {e:#}")),
            }
        }
    }
    let url = format!("{}/api/v1/stats/lines?{}", args.base_url, month.query());
    let raw = || raw_lines(&db, backend, args.manufacturer, month);
    let name = "every line, 28 days vs previous 28".to_owned();
    match measure(&http, &args.token, &url, raw, name.clone(), true, args).await {
        Ok((timing, body, rows)) => {
            failures.extend(compare_lines(&rows, &body).into_iter().map(|e| format!("{name}: {e}")));
            timings.push(timing);
        }
        Err(e) => failures.push(format!("{name}: {e:#}")),
    }
    let stats_mb = rss.leave(PHASE_STATS);

    // ---- CSV export ----
    let expected_rows = count(&db, backend, args.flagship).await?;
    rss.enter(PHASE_CSV);
    let url = format!("{}/api/v1/reports?product_line={}&format=csv", args.base_url, args.flagship);
    let started = Instant::now();
    let mut response = http.get(&url).bearer_auth(&args.token).send().await?.error_for_status()?;
    let mut counter = CsvRows::default();
    let mut bytes = 0usize;
    while let Some(piece) = response.chunk().await? {
        bytes += piece.len();
        counter.feed(&piece);
    }
    let csv_secs = started.elapsed().as_secs_f64();
    let csv_mb = rss.leave(PHASE_CSV);
    rss.stop.store(true, Relaxed);
    let _ = sampler.join();
    let csv_rows = counter.records.saturating_sub(1); // the header
    let csv_rate = csv_rows as f64 / csv_secs;

    // ---- report ----
    println!();
    println!(
        "{:<38} {:>10} {:>9} {:>11} {:>8}  budget (median < 50 ms, >= 20x)",
        "query", "api median", "api p95", "raw median", "ratio"
    );
    let mut results = Vec::new();
    for t in &timings {
        let (m, p95, raw) = (median(&t.api), percentile(&t.api, 0.95), median(&t.raw));
        let ratio = raw / m;
        let pass = m < STATS_MEDIAN_MS && ratio >= STATS_MIN_RATIO;
        let verdict = match (t.budgeted, pass) {
            (false, _) => "informational",
            (true, _) if args.quick => "not enforced (quick)",
            (true, true) => "pass",
            (true, false) => "FAIL",
        };
        println!("{:<38} {:>7.2} ms {:>6.2} ms {:>8.1} ms {:>7.1}x  {verdict}", t.name, m, p95, raw, ratio);
        let key = slug(&t.name);
        results.push((format!("{key}_api_median_ms"), m));
        results.push((format!("{key}_api_p95_ms"), p95));
        results.push((format!("{key}_raw_median_ms"), raw));
        results.push((format!("{key}_ratio"), ratio));
        if t.budgeted && !pass && !args.quick {
            failures.push(format!(
                "{}: median {m:.2} ms, {ratio:.1}x the raw GROUP BY (budget < 50 ms and >= 20x)",
                t.name
            ));
        }
    }
    println!();
    println!(
        "CSV export of the flagship: {csv_rows} rows ({expected_rows} expected), {:.1} MB in {csv_secs:.2} s = {csv_rate:.0} rows/s (budget >= 100,000)",
        bytes as f64 / 1e6
    );
    println!(
        "server resident memory: {idle_mb:.1} MB idle; peak {stats_mb:.1} MB during statistics (budget < 150), {csv_mb:.1} MB during CSV (budget < 100)"
    );
    if csv_rows != expected_rows {
        failures.push(format!("CSV export has {csv_rows} data rows, the flagship has {expected_rows} reports"));
    }
    if !args.quick {
        if csv_rate < CSV_MIN_ROWS_PER_SEC {
            failures.push(format!("CSV export {csv_rate:.0} rows/s (budget >= 100,000)"));
        }
        if stats_mb >= STATS_RSS_MB {
            failures.push(format!("server peak RSS {stats_mb:.1} MB during statistics (budget < 150)"));
        }
        if csv_mb >= CSV_RSS_MB {
            failures.push(format!("server peak RSS {csv_mb:.1} MB during CSV export (budget < 100)"));
        }
    }
    results.push(("csv_rows".into(), csv_rows as f64));
    results.push(("csv_rows_per_sec".into(), csv_rate));
    results.push(("rss_idle_mb".into(), idle_mb));
    results.push(("rss_stats_peak_mb".into(), stats_mb));
    results.push(("rss_csv_peak_mb".into(), csv_mb));
    println!();
    for (name, value) in results {
        println!("RESULT {name} {value:.2}");
    }
    Ok(failures)
}

fn slug(name: &str) -> String {
    let mut s: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    s.trim_matches('_').to_owned()
}

/// Warm-ups, then API and raw runs interleaved (so a slow moment on the shared machine hits both).
/// Returns the timings, the API's last answer and the raw query's rows.
async fn measure<F, Fut>(
    http: &reqwest::Client,
    token: &str,
    url: &str,
    raw: F,
    name: String,
    budgeted: bool,
    args: &Args,
) -> anyhow::Result<(Timing, Json, Vec<QueryResult>)>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Vec<QueryResult>>>,
{
    eprintln!("measure: {name}");
    let get = || async {
        let started = Instant::now();
        let response = http.get(url).bearer_auth(token).send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        anyhow::ensure!(status.is_success(), "GET {url}: {status}: {}", String::from_utf8_lossy(&body));
        anyhow::Ok((ms, body))
    };
    for _ in 0..2 {
        get().await?;
    }
    let mut rows = raw().await?;
    let (mut api, mut raws) = (Vec::new(), Vec::new());
    let mut last = bytes::Bytes::new();
    for i in 0..args.runs.max(args.raw_runs) {
        if i < args.runs {
            let (ms, body) = get().await?;
            api.push(ms);
            last = body;
        }
        if i < args.raw_runs {
            let started = Instant::now();
            rows = raw().await?;
            raws.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let body: Json = serde_json::from_slice(&last)?;
    Ok((Timing { name, api, raw: raws, budgeted }, body, rows))
}

fn stmt(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(backend, sql, values)
}

/// Bounds of a period as bound values. SQLite keeps timestamps as RFC 3339 text (`2026-12-03T14:04:13.714033Z`,
/// trailing zeros of the fraction dropped): a bare `YYYY-MM-DD` sorts before every instant of that day,
/// so it is an exact, index-friendly bound. PostgreSQL gets real instants.
fn bounds(backend: DatabaseBackend, p: Period) -> (Value, Value) {
    match backend {
        DatabaseBackend::Sqlite => (p.from.to_string().into(), (p.until + time::Duration::days(1)).to_string().into()),
        _ => (p.start().into(), p.end().into()),
    }
}

/// Scan-count days as bound values: a DATE (on SQLite, `YYYY-MM-DD` text, as the entity writes it).
fn day_value(d: Date) -> Value {
    d.into()
}

fn day_of(row: &QueryResult, col: &str) -> anyhow::Result<String> {
    if let Ok(d) = row.try_get::<Date>("", col) {
        return Ok(d.to_string());
    }
    if let Ok(t) = row.try_get::<time::PrimitiveDateTime>("", col) {
        return Ok(t.date().to_string());
    }
    Ok(row.try_get::<String>("", col)?.chars().take(10).collect())
}

/// `count of rows where COND` in the backend's dialect.
fn counter(backend: DatabaseBackend) -> fn(&str) -> String {
    match backend {
        DatabaseBackend::Sqlite => |c| format!("sum({c})"),
        _ => |c| format!("count(*) FILTER (WHERE {c})"),
    }
}

/// The raw answer for one line: reports GROUP BY kind, category, lot and UTC day with the rating and
/// recommendation measures, and scans GROUP BY day and lot.
async fn raw_line(
    db: &DatabaseConnection,
    backend: DatabaseBackend,
    line: Uuid,
    p: Period,
) -> anyhow::Result<Vec<QueryResult>> {
    let (start, end) = bounds(backend, p);
    let day = match backend {
        DatabaseBackend::Sqlite => "substr(created_at, 1, 10)",
        _ => "date_trunc('day', created_at AT TIME ZONE 'UTC')",
    };
    let count_if = counter(backend);
    let sql = format!(
        "SELECT 'r' AS src, kind, category, lot, {day} AS day, count(*) AS reports, {r1} AS r1, {r2} AS r2, {r3} AS r3, \
         {r4} AS r4, {r5} AS r5, {pro} AS promoters, {pas} AS passives, {det} AS detractors \
         FROM reports WHERE product_line_id = $1 AND created_at >= $2 AND created_at < $3 \
         GROUP BY kind, category, lot, {day}",
        r1 = count_if("rating = 1"),
        r2 = count_if("rating = 2"),
        r3 = count_if("rating = 3"),
        r4 = count_if("rating = 4"),
        r5 = count_if("rating = 5"),
        pro = count_if("nps >= 9"),
        pas = count_if("nps BETWEEN 7 AND 8"),
        det = count_if("nps <= 6"),
    );
    let mut rows = db.query_all_raw(stmt(backend, &sql, vec![line.into(), start, end])).await?;
    let scans = "SELECT 's' AS src, day, lot, CAST(sum(human) AS BIGINT) AS human, CAST(sum(bot) AS BIGINT) AS bot FROM scan_counts \
                 WHERE product_line_id = $1 AND day >= $2 AND day <= $3 GROUP BY day, lot";
    rows.extend(
        db.query_all_raw(stmt(backend, scans, vec![line.into(), day_value(p.from), day_value(p.until)])).await?,
    );
    Ok(rows)
}

/// The raw answer for every line: reports of this and the previous period GROUP BY line, and scans.
async fn raw_lines(
    db: &DatabaseConnection,
    backend: DatabaseBackend,
    manufacturer: Uuid,
    p: Period,
) -> anyhow::Result<Vec<QueryResult>> {
    let prev = p.previous();
    let (start, end) = bounds(backend, Period { from: prev.from, until: p.until });
    let (split, _) = bounds(backend, p);
    let count_if = counter(backend);
    let sql = format!(
        "SELECT 'r' AS src, product_line_id, {cur} AS cur, {prev} AS prev, {cur_d} AS cur_defects, \
         {prev_d} AS prev_defects FROM reports \
         WHERE manufacturer_id = $1 AND created_at >= $2 AND created_at < $4 GROUP BY product_line_id",
        cur = count_if("created_at >= $3"),
        prev = count_if("created_at < $3"),
        cur_d = count_if("created_at >= $3 AND kind = 'defect'"),
        prev_d = count_if("created_at < $3 AND kind = 'defect'"),
    );
    let mut rows = db.query_all_raw(stmt(backend, &sql, vec![manufacturer.into(), start, split, end])).await?;
    let scans = "SELECT 's' AS src, s.product_line_id, \
                 CAST(sum(CASE WHEN s.day >= $2 THEN s.human ELSE 0 END) AS BIGINT) AS cur, \
                 CAST(sum(CASE WHEN s.day < $2 THEN s.human ELSE 0 END) AS BIGINT) AS prev \
                 FROM scan_counts s JOIN product_lines l ON l.id = s.product_line_id \
                 WHERE l.manufacturer_id = $1 AND s.day >= $3 AND s.day <= $4 GROUP BY s.product_line_id";
    rows.extend(
        db.query_all_raw(stmt(
            backend,
            scans,
            vec![manufacturer.into(), day_value(p.from), day_value(prev.from), day_value(p.until)],
        ))
        .await?,
    );
    Ok(rows)
}

async fn count(db: &DatabaseConnection, backend: DatabaseBackend, line: Uuid) -> anyhow::Result<u64> {
    let row = db
        .query_one_raw(stmt(backend, "SELECT count(*) AS n FROM reports WHERE product_line_id = $1", vec![line.into()]))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no count"))?;
    Ok(row.try_get::<i64>("", "n")? as u64)
}

fn int(row: &QueryResult, col: &str) -> u64 {
    row.try_get::<i64>("", col).map(|n| n as u64).unwrap_or(0)
}

/// What the one-line statistics must say, folded from the raw rows.
#[derive(Default, Debug)]
struct Expected {
    reports: u64,
    by_kind: BTreeMap<String, u64>,
    by_category: BTreeMap<String, u64>,
    /// lot -> (reports, defects, scans)
    by_lot: BTreeMap<String, (u64, u64, u64)>,
    /// day -> (reports, scans, bot scans)
    by_day: BTreeMap<String, (u64, u64, u64)>,
    scans: u64,
    bot_scans: u64,
    ratings: [u64; 5],
    nps: [u64; 3],
}

impl Expected {
    fn from_rows(rows: Vec<QueryResult>) -> Expected {
        let mut e = Expected::default();
        for row in &rows {
            let src: String = row.try_get("", "src").unwrap_or_default();
            let day = day_of(row, "day").unwrap_or_default();
            let lot: Option<String> = row.try_get("", "lot").ok().flatten();
            if src == "s" {
                let (h, b) = (int(row, "human"), int(row, "bot"));
                e.scans += h;
                e.bot_scans += b;
                let d = e.by_day.entry(day).or_default();
                d.1 += h;
                d.2 += b;
                if let Some(lot) = lot.filter(|l| !l.is_empty()) {
                    e.by_lot.entry(lot).or_default().2 += h;
                }
                continue;
            }
            let n = int(row, "reports");
            let kind: String = row.try_get("", "kind").unwrap_or_default();
            let category: Option<String> = row.try_get("", "category").ok().flatten();
            e.reports += n;
            *e.by_kind.entry(kind.clone()).or_default() += n;
            if let Some(c) = category {
                *e.by_category.entry(format!("{kind}/{c}")).or_default() += n;
            }
            if let Some(lot) = lot {
                let l = e.by_lot.entry(lot).or_default();
                l.0 += n;
                if kind == "defect" {
                    l.1 += n;
                }
            }
            e.by_day.entry(day).or_default().0 += n;
            for (i, col) in ["r1", "r2", "r3", "r4", "r5"].iter().enumerate() {
                e.ratings[i] += int(row, col);
            }
            for (i, col) in ["promoters", "passives", "detractors"].iter().enumerate() {
                e.nps[i] += int(row, col);
            }
        }
        e
    }

    /// Differences between this and the API's answer.
    fn compare(&self, body: &Json) -> Vec<String> {
        let mut errors = Vec::new();
        let check = |errors: &mut Vec<String>, what: &str, api: Option<u64>, raw: u64| {
            if api != Some(raw) {
                errors.push(format!("{what}: API {api:?}, raw {raw}"));
            }
        };
        check(&mut errors, "reports", body["reports"].as_u64(), self.reports);
        check(&mut errors, "scans", body["scans"].as_i64().map(|n| n as u64), self.scans);
        check(&mut errors, "bot_scans", body["bot_scans"].as_i64().map(|n| n as u64), self.bot_scans);
        for kind in ["defect", "usability", "praise", "other"] {
            check(
                &mut errors,
                &format!("by_kind.{kind}"),
                Some(body["by_kind"][kind].as_u64().unwrap_or(0)),
                *self.by_kind.get(kind).unwrap_or(&0),
            );
        }
        let api_categories: BTreeMap<String, u64> = body["by_category"]
            .as_object()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0))).filter(|(_, v)| *v > 0).collect())
            .unwrap_or_default();
        if api_categories != self.by_category {
            errors.push(format!("by_category: API {api_categories:?}, raw {:?}", self.by_category));
        }
        let api_lots: BTreeMap<String, (u64, u64, u64)> = body["by_lot"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|l| {
                        let n = |f: &str| l[f].as_u64().unwrap_or(0);
                        (l["lot"].as_str().unwrap_or("").to_owned(), (n("reports"), n("defects"), n("scans")))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if api_lots != self.by_lot {
            errors.push(diff("by_lot", &api_lots, &self.by_lot));
        }
        let api_days: BTreeMap<String, (u64, u64, u64)> = body["by_day"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|d| {
                        let n = |f: &str| d[f].as_u64().unwrap_or(0);
                        (d["day"].as_str().unwrap_or("").to_owned(), (n("reports"), n("scans"), n("bot_scans")))
                    })
                    .filter(|(_, v)| *v != (0, 0, 0))
                    .collect()
            })
            .unwrap_or_default();
        if api_days != self.by_day {
            errors.push(diff("by_day", &api_days, &self.by_day));
        }
        let rated: u64 = self.ratings.iter().sum();
        if rated > 0 {
            let sum: u64 = self.ratings.iter().enumerate().map(|(i, n)| (i as u64 + 1) * n).sum();
            let mean = (sum as f64 / rated as f64 * 1000.0).round() / 1000.0;
            if body["average_rating"].as_f64().is_none_or(|a| (a - mean).abs() > 0.0011) {
                errors.push(format!("average_rating: API {}, raw {mean}", body["average_rating"]));
            }
            check(&mut errors, "csat.n", body["csat"]["n"].as_u64(), rated);
        }
        check(&mut errors, "nps.n", body["nps"]["n"].as_u64(), self.nps.iter().sum());
        errors
    }
}

/// The first few keys on which two maps differ.
fn diff<V: PartialEq + std::fmt::Debug>(what: &str, api: &BTreeMap<String, V>, raw: &BTreeMap<String, V>) -> String {
    let keys: std::collections::BTreeSet<&String> = api.keys().chain(raw.keys()).collect();
    let shown: Vec<String> = keys
        .into_iter()
        .filter(|k| api.get(*k) != raw.get(*k))
        .take(5)
        .map(|k| format!("{k}: API {:?}, raw {:?}", api.get(k), raw.get(k)))
        .collect();
    format!("{what} differs ({})", shown.join("; "))
}

/// Every line's totals from the raw rows against the API's all-lines answer.
fn compare_lines(rows: &[QueryResult], body: &Json) -> Vec<String> {
    // line -> (reports now, reports before, defects now, defects before, scans now, scans before)
    let mut raw: BTreeMap<String, [u64; 6]> = BTreeMap::new();
    for row in rows {
        let src: String = row.try_get("", "src").unwrap_or_default();
        let Ok(line) = row.try_get::<Uuid>("", "product_line_id") else { continue };
        let e = raw.entry(line.to_string()).or_default();
        if src == "s" {
            e[4] += int(row, "cur");
            e[5] += int(row, "prev");
        } else {
            e[0] += int(row, "cur");
            e[1] += int(row, "prev");
            e[2] += int(row, "cur_defects");
            e[3] += int(row, "prev_defects");
        }
    }
    let mut api: BTreeMap<String, [u64; 6]> = BTreeMap::new();
    let lines = body["lines"].as_array().or_else(|| body.as_array());
    for l in lines.into_iter().flatten() {
        let id = l["product_line_id"].as_str().or_else(|| l["id"].as_str()).unwrap_or("").to_owned();
        let n = |period: &str, f: &str| l[period][f].as_u64().unwrap_or(0);
        let v = [
            n("current", "reports"),
            n("previous", "reports"),
            n("current", "defects"),
            n("previous", "defects"),
            n("current", "scans"),
            n("previous", "scans"),
        ];
        if v != [0; 6] {
            api.insert(id, v);
        }
    }
    raw.retain(|_, v| *v != [0; 6]);
    if api == raw { Vec::new() } else { vec![diff("lines", &api, &raw)] }
}

/// Counts CSV records (RFC 4180: a line break inside quotes is data).
#[derive(Default)]
struct CsvRows {
    in_quotes: bool,
    records: u64,
}

impl CsvRows {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match b {
                b'"' => self.in_quotes = !self.in_quotes,
                b'\n' if !self.in_quotes => self.records += 1,
                _ => {}
            }
        }
    }
}
