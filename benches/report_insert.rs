#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Reference for the submission benchmark (benches/submit.sh): the same report rows inserted by a
//! plain loop, one transaction per row, on a SQLite file opened with the service's own durability
//! settings (WAL, synchronous=FULL). Prints rows per second.
//!
//!   cargo bench --bench report_insert -- DB_PATH SECONDS

use std::time::{Duration, Instant};

use scanback::domain::{FeedbackInput, FormConfig, Gtin, Locale, ProductName};
use scanback::store::{self, product_lines::NewLine};
use sea_orm::{EntityTrait, TransactionTrait};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().filter(|a| a != "--bench").collect();
    let path = args.get(1).cloned().unwrap_or_else(|| "/tmp/scanback-bench-loop.db".into());
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let _ = std::fs::remove_file(&path);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let db = store::connect(&format!("sqlite://{path}?mode=rwc")).await?;
        store::migrate(&db).await?;
        let m = store::manufacturers::create(&db, "Bench", "bench@example.com", Locale::DEFAULT).await?;
        let line = store::product_lines::create(
            &db,
            m.manufacturer_id,
            NewLine { name: ProductName::parse("Pan")?, sku: None, gtin: Some(Gtin::parse("4006381333931")?) },
        )
        .await?;
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let mut rows = 0u64;
        while Instant::now() < deadline {
            let input = FeedbackInput {
                kind: "defect".into(),
                rating: "2".into(),
                comment: format!("bench {rows}"),
                ..Default::default()
            };
            let feedback = input.validate(&FormConfig::default()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let new = store::reports::build(
                uuid::Uuid::now_v7(),
                m.manufacturer_id,
                line.id,
                &feedback,
                Locale::DEFAULT,
                Some(format!("{rows:032x}")),
                Vec::new(),
            );
            let txn = db.begin().await?;
            store::entities::report::Entity::insert(new.report).exec_without_returning(&txn).await?;
            txn.commit().await?;
            rows += 1;
        }
        let secs = started.elapsed().as_secs_f64();
        println!("plain loop: {rows} rows in {secs:.2} s = {:.1} rows/s", rows as f64 / secs);
        println!("RESULT loop_rows_per_sec {:.1}", rows as f64 / secs);
        anyhow::Ok(())
    })
}
