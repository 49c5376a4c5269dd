#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Seeds a database with a year of realistic reports for the statistics benchmark (benches/stats.sh).
//!
//!   cargo bench --bench seed -- --database-url URL --reports N --lines L [--days 365] [--seed 1]
//!
//! Migrates, creates one manufacturer ("Bench Cookware") and L product lines through the store's own
//! functions, then writes N reports and the matching daily scan counts straight into the tables:
//! multi-row inserts of the entity ActiveModels on SQLite (so every value is stored exactly as the
//! service stores it), COPY on PostgreSQL. Line 1, the flagship, gets min(1,000,000, N/5) reports; the
//! rest fall Zipf-like (s = 1) over the other lines. Everything is drawn from a seeded generator, so a
//! rerun with the same arguments writes the same rows, only relative to a different "now".
//!
//! Progress goes to stderr; the last line on stdout is one JSON object: manufacturer_id, api_token,
//! flagship_line_id, median_line_id, reports, seconds.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

use clap::Parser;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use scanback::domain::{FormConfig, Kind, Locale, ProductName};
use scanback::store::entities::{report, scan_count};
use scanback::store::{self, product_lines::NewLine};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, TransactionTrait};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Rows per INSERT statement on SQLite (16 columns: 8,000 bound values, well under SQLite's limit).
const ROWS_PER_STATEMENT: usize = 500;
/// Rows per transaction on SQLite, and per COPY on PostgreSQL.
const ROWS_PER_CHUNK: usize = 20_000;
const FLAGSHIP_MAX: u64 = 1_000_000;
/// Scans per report, per line, day and lot; and the share of scans by bots.
const SCANS_PER_REPORT: f64 = 30.0;
const BOT_SHARE: f64 = 0.05;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    database_url: String,
    #[arg(long, default_value_t = 5_000_000)]
    reports: u64,
    #[arg(long, default_value_t = 500)]
    lines: u32,
    #[arg(long, default_value_t = 365)]
    days: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// One report, before it becomes an ActiveModel or a COPY line.
struct Row {
    id: Uuid,
    line: Uuid,
    kind: Kind,
    rating: i16,
    comment: &'static str,
    email: Option<String>,
    lot: Option<String>,
    locale: &'static str,
    created_at: OffsetDateTime,
    category: Option<&'static str>,
    nps: Option<i16>,
    usage: Option<&'static str>,
}

/// Reports per (line, UTC day, lot or ''), from which the scan counts are derived.
type Tally = HashMap<(u32, Date, String), u32>;

fn main() -> anyhow::Result<()> {
    let args = Args::parse_from(std::env::args().filter(|a| a != "--bench"));
    anyhow::ensure!(args.lines >= 1 && args.lines <= 60_000, "--lines must be 1 to 60000");
    anyhow::ensure!(args.days >= 1 && args.days <= 3660, "--days must be 1 to 3660");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let postgres = args.database_url.starts_with("postgres");
    let db = store::connect(&args.database_url).await?;
    store::migrate(&db).await?;
    anyhow::ensure!(
        store::manufacturers::is_empty(&db).await?,
        "the database already has manufacturers; seed an empty one"
    );

    let m = store::manufacturers::create(&db, "Bench Cookware", "bench@cookware.example", Locale::DEFAULT).await?;
    // The recommendation question is on, so the ~30 % of reports that answer it are valid input.
    let form = FormConfig { ask_recommend: true, ..FormConfig::default() };
    let mut lines = Vec::with_capacity(args.lines as usize);
    for i in 0..args.lines {
        let name =
            if i == 0 { "Flagship frying pan 28 cm".to_owned() } else { format!("{} {}", product_name(i), i + 1) };
        let line = store::product_lines::create(
            &db,
            m.manufacturer_id,
            NewLine { name: ProductName::parse(&name)?, sku: Some(format!("BC-{:05}", i + 1)), gtin: None },
        )
        .await?;
        store::product_lines::set_form(&db, m.manufacturer_id, line.id, &form).await?;
        lines.push(line.id);
    }
    eprintln!("seed: manufacturer and {} lines in {:.1} s", lines.len(), started.elapsed().as_secs_f64());

    let counts = per_line_counts(args.reports, args.lines);
    let flagship = lines[0];
    let median = {
        let mut by_count: Vec<(u64, usize)> = counts.iter().copied().zip(0..).collect();
        by_count.sort_unstable();
        lines[by_count[by_count.len() / 2].1]
    };

    let now = store::now();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Row>>(4);
    let generator = {
        let lines = lines.clone();
        let counts = counts.clone();
        let (seed, days) = (args.seed, args.days);
        std::thread::spawn(move || generate(seed, days, now, &lines, &counts, &tx))
    };
    let mut written = 0u64;
    let mut next_note = 250_000u64;
    let writing = Instant::now();
    while let Some(chunk) = rx.recv().await {
        if postgres {
            copy_reports(&db, m.manufacturer_id, &chunk).await?;
        } else {
            insert_reports(&db, m.manufacturer_id, chunk.iter()).await?;
        }
        written += chunk.len() as u64;
        if written >= next_note || written == args.reports {
            let secs = writing.elapsed().as_secs_f64();
            eprintln!("seed: {written} of {} reports, {:.0} rows/s", args.reports, written as f64 / secs.max(1e-9));
            next_note += 250_000;
        }
    }
    let tally = generator.join().map_err(|_| anyhow::anyhow!("the generator thread panicked"))??;
    anyhow::ensure!(written == args.reports, "wrote {written} reports, expected {}", args.reports);

    let scans = scan_rows(args.seed, &lines, tally);
    let scan_rows_n = scans.len();
    for chunk in scans.chunks(ROWS_PER_CHUNK) {
        if postgres {
            copy_scans(&db, chunk).await?;
        } else {
            insert_scans(&db, chunk).await?;
        }
    }
    eprintln!("seed: {scan_rows_n} scan count rows");
    if postgres {
        // A live database has been vacuumed and analysed by autovacuum long since; do it now, so the
        // planner statistics (and index-only scans) do not depend on when autovacuum wakes up.
        db.execute_unprepared("VACUUM (ANALYZE) reports").await?;
        db.execute_unprepared("VACUUM (ANALYZE) scan_counts").await?;
    } else {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!("seed: done in {seconds:.1} s ({:.0} reports/s overall)", args.reports as f64 / seconds);
    println!(
        "{}",
        serde_json::json!({
            "manufacturer_id": m.manufacturer_id,
            "api_token": m.api_token,
            "flagship_line_id": flagship,
            "median_line_id": median,
            "reports": written,
            "seconds": (seconds * 10.0).round() / 10.0,
        })
    );
    Ok(())
}

fn product_name(i: u32) -> &'static str {
    const NAMES: [&str; 8] =
        ["Saucepan", "Frying pan", "Wok", "Casserole", "Grill pan", "Stockpot", "Sauté pan", "Crêpe pan"];
    NAMES[i as usize % NAMES.len()]
}

/// The flagship's share, then the rest Zipf-like (weight 1/rank) over the other lines, exactly N in all.
fn per_line_counts(total: u64, lines: u32) -> Vec<u64> {
    if lines == 1 {
        return vec![total];
    }
    let flagship = FLAGSHIP_MAX.min(total / 5);
    let rest = total - flagship;
    let harmonic: f64 = (1..lines).map(|r| 1.0 / f64::from(r)).sum();
    let mut counts: Vec<u64> =
        (1..lines).map(|r| (rest as f64 * (1.0 / f64::from(r)) / harmonic).floor() as u64).collect();
    let mut missing = rest - counts.iter().sum::<u64>();
    for c in counts.iter_mut() {
        if missing == 0 {
            break;
        }
        *c += 1;
        missing -= 1;
    }
    let mut out = vec![flagship];
    out.extend(counts);
    out
}

/// Relative report rate by UTC weekday (Monday first): more on weekends, when people cook.
const WEEKDAY: [f64; 7] = [0.92, 0.88, 0.88, 0.92, 1.0, 1.3, 1.35];
/// Relative report rate by local hour (most customers at UTC+3): quiet at night, peak after dinner.
const HOUR: [f64; 24] = [
    0.25, 0.12, 0.07, 0.05, 0.05, 0.08, 0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.95, 0.95, 0.9, 0.9, 0.95, 1.05, 1.2, 1.35,
    1.4, 1.25, 0.9, 0.5,
];
const LOCAL_OFFSET_HOURS: i64 = 3;

/// Draws every report's time (weekly and daily pattern, slowly growing over the period), sorts them
/// so rows go in in time order as they would in production, builds each row and sends chunks of
/// [`ROWS_PER_CHUNK`]. Returns the reports per line, day and lot.
fn generate(
    seed: u64,
    days: u32,
    now: OffsetDateTime,
    lines: &[Uuid],
    counts: &[u64],
    tx: &tokio::sync::mpsc::Sender<Vec<Row>>,
) -> anyhow::Result<Tally> {
    let mut rng = StdRng::seed_from_u64(seed);
    let end_us = (now.unix_timestamp_nanos() / 1000) as i64;
    let span_us = i64::from(days) * 86_400_000_000;
    let start_us = end_us - span_us;
    let max_weight = WEEKDAY.iter().copied().fold(0.0, f64::max) * HOUR.iter().copied().fold(0.0, f64::max);
    let total: u64 = counts.iter().sum();
    let mut events: Vec<(i64, u32)> = Vec::with_capacity(total as usize);
    for (line, &n) in counts.iter().enumerate() {
        for _ in 0..n {
            loop {
                let t = start_us + rng.random_range(0..span_us);
                let secs = t.div_euclid(1_000_000);
                let weekday = ((secs.div_euclid(86_400) + 3).rem_euclid(7)) as usize; // 1970-01-01 was a Thursday
                let hour = ((secs.div_euclid(3600) + LOCAL_OFFSET_HOURS).rem_euclid(24)) as usize;
                let trend = 0.75 + 0.25 * (t - start_us) as f64 / span_us as f64;
                if rng.random::<f64>() * max_weight < WEEKDAY[weekday] * HOUR[hour] * trend {
                    events.push((t, line as u32));
                    break;
                }
            }
        }
    }
    events.sort_unstable();

    let kinds = WeightedIndex::new([45, 20, 25, 10])?;
    let form = FormConfig::default();
    let category_weights: Vec<WeightedIndex<f64>> = Kind::ALL
        .iter()
        .map(|k| WeightedIndex::new((0..form.categories.for_kind(*k).len()).map(|i| 1.0 / (i as f64 + 1.0))))
        .collect::<Result<_, _>>()?;
    let categories: Vec<Vec<&'static str>> = Kind::ALL
        .iter()
        .map(|k| form.categories.for_kind(*k).iter().map(|c| &*c.key.clone().leak()).collect())
        .collect();
    let ratings: Vec<WeightedIndex<u32>> = [
        [40, 30, 17, 9, 4],   // defect
        [10, 25, 35, 22, 8],  // usability
        [1, 2, 7, 30, 60],    // praise
        [10, 12, 30, 28, 20], // other
    ]
    .into_iter()
    .map(WeightedIndex::new)
    .collect::<Result<_, _>>()?;
    let usage = WeightedIndex::new([10, 30, 25, 25, 10])?;
    // Each line starts its two-week lots on its own day.
    let phases: Vec<i32> = (0..lines.len()).map(|_| rng.random_range(0..14)).collect();

    let mut tally = Tally::new();
    let mut chunk = Vec::with_capacity(ROWS_PER_CHUNK);
    for (i, (t, line)) in events.into_iter().enumerate() {
        let created_at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(t) * 1000)?;
        let kind_i = kinds.sample(&mut rng);
        let kind = Kind::ALL[kind_i];
        let category = (!rng.random_bool(0.15)).then(|| categories[kind_i][category_weights[kind_i].sample(&mut rng)]);
        let rating = ratings[kind_i].sample(&mut rng) as i16 + 1;
        let nps = rng.random_bool(0.30).then(|| (rating * 2 - 1 + rng.random_range(-2..=2)).clamp(0, 10));
        let ru = rng.random_bool(0.65);
        let comment = if rng.random_bool(0.15) { "" } else { pick_comment(&mut rng, kind, ru) };
        let lot = rng.random_bool(0.70).then(|| lot_for(created_at.date(), &mut rng, phases[line as usize]));
        let email = rng.random_bool(0.10).then(|| format!("buyer{i}@mail.example"));
        let usage = rng.random_bool(0.55).then(|| scanback::domain::form::USAGE_PERIODS[usage.sample(&mut rng)]);
        let mut bytes = [0u8; 10];
        rng.fill(&mut bytes);
        let id = uuid::Builder::from_unix_timestamp_millis((t / 1000) as u64, &bytes).into_uuid();
        *tally.entry((line, created_at.date(), lot.clone().unwrap_or_default())).or_default() += 1;
        chunk.push(Row {
            id,
            line: lines[line as usize],
            kind,
            rating,
            comment,
            email,
            lot,
            locale: if ru { "ru" } else { "en" },
            created_at,
            category,
            nps,
            usage,
        });
        if chunk.len() == ROWS_PER_CHUNK {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(ROWS_PER_CHUNK));
            tx.blocking_send(full).map_err(|_| anyhow::anyhow!("the writer stopped"))?;
        }
    }
    if !chunk.is_empty() {
        tx.blocking_send(chunk).map_err(|_| anyhow::anyhow!("the writer stopped"))?;
    }
    Ok(tally)
}

/// The lot of a product bought some weeks before the report: lots change every 14 days per line and
/// are named `L` + two-digit year + two-week number in that year (`L2601` ... `L2627`).
fn lot_for(day: Date, rng: &mut StdRng, phase: i32) -> String {
    let lag = ((-rng.random::<f64>().max(1e-12).ln()) * 20.0).min(120.0) as i32;
    let made = day.to_julian_day() - lag;
    let start = Date::from_julian_day((made + phase).div_euclid(14) * 14 - phase).unwrap_or(day);
    format!("L{:02}{:02}", start.year() % 100, (start.ordinal() - 1) / 14 + 1)
}

fn pick_comment(rng: &mut StdRng, kind: Kind, ru: bool) -> &'static str {
    const DEFECT_RU: &[&str] = &[
        "Покрытие начало отслаиваться через месяц",
        "Ручка шатается, подтягивал винт — не помогает",
        "Дно повело после первого нагрева",
        "Пригорает в центре",
        "Царапина на покрытии из коробки",
        "Крышка не подходит по размеру",
    ];
    const DEFECT_EN: &[&str] = &[
        "Coating started peeling after a month",
        "Handle is loose again",
        "Base warped on the first use",
        "Food sticks in the middle",
        "Scratched straight out of the box",
    ];
    const USABILITY_RU: &[&str] =
        &["Тяжеловата для одной руки", "Трудно отмыть края", "Ручка сильно нагревается", "Не влезает в посудомойку"];
    const USABILITY_EN: &[&str] =
        &["A bit heavy to lift with one hand", "Hard to clean the rim", "Does not fit my dishwasher"];
    const PRAISE_RU: &[&str] = &[
        "Отличная сковорода, всё жарится ровно",
        "Пользуюсь каждый день, спасибо!",
        "Блины не прилипают",
        "Красивая и удобная",
        "Лучше, чем ожидала за эти деньги",
    ];
    const PRAISE_EN: &[&str] =
        &["Great pan, heats evenly", "Use it every day, thank you!", "Pancakes slide right off", "Looks great"];
    const OTHER_RU: &[&str] = &["Можно ли в духовку?", "Где купить крышку отдельно?", "Подходит для индукции?"];
    const OTHER_EN: &[&str] = &["Is it oven safe?", "Where can I buy a spare lid?", "Does it work on induction?"];
    let pool = match (kind, ru) {
        (Kind::Defect, true) => DEFECT_RU,
        (Kind::Defect, false) => DEFECT_EN,
        (Kind::Usability, true) => USABILITY_RU,
        (Kind::Usability, false) => USABILITY_EN,
        (Kind::Praise, true) => PRAISE_RU,
        (Kind::Praise, false) => PRAISE_EN,
        (Kind::Other, true) => OTHER_RU,
        (Kind::Other, false) => OTHER_EN,
    };
    pool[rng.random_range(0..pool.len())]
}

fn active(m: Uuid, r: &Row) -> report::ActiveModel {
    report::ActiveModel {
        id: Set(r.id),
        product_line_id: Set(r.line),
        manufacturer_id: Set(m),
        kind: Set(r.kind.as_str().to_owned()),
        rating: Set(r.rating),
        comment: Set(r.comment.to_owned()),
        email: Set(r.email.clone()),
        lot: Set(r.lot.clone()),
        locale: Set(r.locale.to_owned()),
        status: Set("new".to_owned()),
        created_at: Set(r.created_at),
        category: Set(r.category.map(str::to_owned)),
        nps: Set(r.nps),
        usage_period: Set(r.usage.map(str::to_owned)),
        serial: Set(None),
        fingerprint: Set(None),
        assignee_id: Set(None),
        comment_folded: Set(scanback::store::reports::fold(r.comment)),
        consent_text: Set(None),
        consent_locale: Set(None),
    }
}

async fn insert_reports<'a>(
    db: &DatabaseConnection,
    m: Uuid,
    rows: impl ExactSizeIterator<Item = &'a Row>,
) -> anyhow::Result<()> {
    let rows: Vec<&Row> = rows.collect();
    let txn = db.begin().await?;
    for part in rows.chunks(ROWS_PER_STATEMENT) {
        report::Entity::insert_many(part.iter().map(|r| active(m, r))).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// COPY text format: backslash, tab, newline and carriage return escaped; `\N` is NULL.
fn copy_text(out: &mut String, value: Option<&str>) {
    let Some(v) = value else {
        out.push_str("\\N");
        return;
    };
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

fn pg_timestamp(t: OffsetDateTime) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:6]+00");
    t.to_offset(time::UtcOffset::UTC).format(&f).unwrap_or_default()
}

async fn copy_reports(db: &DatabaseConnection, m: Uuid, rows: &[Row]) -> anyhow::Result<()> {
    let mut buf = String::with_capacity(rows.len() * 220);
    for r in rows {
        let _ = write!(buf, "{}\t{}\t{m}\t{}\t{}\t", r.id, r.line, r.kind.as_str(), r.rating);
        copy_text(&mut buf, Some(r.comment));
        buf.push('\t');
        copy_text(&mut buf, r.email.as_deref());
        buf.push('\t');
        copy_text(&mut buf, r.lot.as_deref());
        let _ = write!(buf, "\t{}\tnew\t{}\t", r.locale, pg_timestamp(r.created_at));
        copy_text(&mut buf, r.category);
        buf.push('\t');
        copy_text(&mut buf, r.nps.map(|n| n.to_string()).as_deref());
        buf.push('\t');
        copy_text(&mut buf, r.usage);
        // serial, fingerprint, then the folded comment the inbox searches
        buf.push_str("\t\\N\t\\N\t");
        copy_text(&mut buf, Some(&scanback::store::reports::fold(r.comment)));
        buf.push('\n');
    }
    copy(
        db,
        "COPY reports (id, product_line_id, manufacturer_id, kind, rating, comment, email, lot, locale, status, \
         created_at, category, nps, usage_period, serial, fingerprint, comment_folded) FROM STDIN",
        buf,
    )
    .await
}

async fn copy(db: &DatabaseConnection, statement: &str, data: String) -> anyhow::Result<()> {
    let mut conn = db.get_postgres_connection_pool().acquire().await?;
    let mut copy = conn.copy_in_raw(statement).await?;
    for piece in data.as_bytes().chunks(1 << 20) {
        copy.send(piece).await?;
    }
    copy.finish().await?;
    Ok(())
}

struct ScanRow {
    line: Uuid,
    day: Date,
    lot: String,
    human: i64,
    bot: i64,
}

/// About [`SCANS_PER_REPORT`] scans per report of each line, day and lot, [`BOT_SHARE`] of them bots.
fn scan_rows(seed: u64, lines: &[Uuid], tally: Tally) -> Vec<ScanRow> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5CA7);
    let mut keys: Vec<_> = tally.into_iter().collect();
    keys.sort_unstable();
    keys.into_iter()
        .map(|((line, day, lot), reports)| {
            let total = (f64::from(reports) * SCANS_PER_REPORT * rng.random_range(0.6..1.4)).round().max(1.0);
            let bot = (total * BOT_SHARE * rng.random_range(0.5..1.5)).round();
            ScanRow { line: lines[line as usize], day, lot, human: (total - bot) as i64, bot: bot as i64 }
        })
        .collect()
}

async fn insert_scans(db: &DatabaseConnection, rows: &[ScanRow]) -> anyhow::Result<()> {
    let txn = db.begin().await?;
    for part in rows.chunks(ROWS_PER_STATEMENT) {
        scan_count::Entity::insert_many(part.iter().map(|s| scan_count::ActiveModel {
            product_line_id: Set(s.line),
            day: Set(s.day),
            lot: Set(s.lot.clone()),
            human: Set(s.human),
            bot: Set(s.bot),
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn copy_scans(db: &DatabaseConnection, rows: &[ScanRow]) -> anyhow::Result<()> {
    let mut buf = String::with_capacity(rows.len() * 64);
    for s in rows {
        let _ = write!(buf, "{}\t{}\t", s.line, s.day);
        copy_text(&mut buf, Some(&s.lot));
        let _ = writeln!(buf, "\t{}\t{}", s.human, s.bot);
    }
    copy(db, "COPY scan_counts (product_line_id, day, lot, human, bot) FROM STDIN", buf).await
}
