//! `serve --demo`: a workspace worth looking at on an empty database: three lines, lots, about 400
//! reports over ten weeks in Russian and English with a visible spike in one category, a few with
//! photos and emails, and the scans behind them. Deterministic, so two demos look alike.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::App;
use crate::domain::{Gtin, Kind, Locale, NewFeedback, ProductName, Rating};
use crate::store::{self, manufacturers::NewManufacturer, product_lines::NewLine};

pub struct Demo {
    pub manufacturer: NewManufacturer,
    /// The first line: the frying pan whose code the demo prints.
    pub line: store::entities::product_line::Model,
    pub reports: usize,
}

/// (kind, category, weight, English text, Russian text)
const TOPICS: &[(Kind, &str, u32, &str, &str)] = &[
    (
        Kind::Defect,
        "coating",
        14,
        "The coating started to peel after a month.",
        "Покрытие начало отслаиваться через месяц.",
    ),
    (Kind::Defect, "handle", 8, "The handle gets too hot to hold.", "Ручка сильно нагревается."),
    (Kind::Defect, "heat", 6, "The base warped, it wobbles on the hob.", "Дно повело, сковорода качается на плите."),
    (Kind::Defect, "packaging", 4, "Arrived with a dent, the box was torn.", "Пришла с вмятиной, коробка порвана."),
    (Kind::Usability, "cleaning", 6, "Hard to clean around the rivets.", "Трудно отмыть вокруг заклёпок."),
    (Kind::Usability, "weight", 5, "Too heavy to toss with one hand.", "Слишком тяжёлая, одной рукой не удержать."),
    (Kind::Praise, "cooking", 14, "Heats evenly, great for pancakes.", "Прогревается равномерно, блины отличные."),
    (Kind::Praise, "design", 6, "Looks great on the stove.", "Очень красивая."),
    (Kind::Other, "question", 3, "Is it safe for induction?", "Подходит для индукции?"),
];

fn pick<'a>(
    rng: &mut StdRng,
    topics: &'a [(Kind, &'a str, u32, &'a str, &'a str)],
) -> &'a (Kind, &'a str, u32, &'a str, &'a str) {
    let total: u32 = topics.iter().map(|t| t.2).sum();
    let mut n = rng.random_range(0..total);
    for t in topics {
        if n < t.2 {
            return t;
        }
        n -= t.2;
    }
    &topics[0]
}

/// A small JPEG (a gradient), as a phone photo would arrive.
fn photo(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb([(x / 3) as u8 ^ seed, (y / 2) as u8, 120u8.wrapping_add(seed)])
    });
    let mut out = Vec::new();
    let _ = image::DynamicImage::ImageRgb8(img).write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Jpeg);
    out
}

pub async fn seed(app: &App) -> anyhow::Result<Demo> {
    let db = &app.db;
    let m = store::manufacturers::create(db, "Demo Cookware", "owner@demo.example", Locale::DEFAULT).await?;
    let mut lines = Vec::new();
    for (name, sku, gtin) in [
        ("Frying pan 28 cm", "FP-28", "4006381333931"),
        ("Wok 32 cm", "WK-32", "4006381333948"),
        ("Saucepan 2 l", "SP-2", "4006381333955"),
    ] {
        let gtin = Gtin::parse(gtin).ok();
        let line = store::product_lines::create(
            db,
            m.manufacturer_id,
            NewLine { name: ProductName::parse(name)?, sku: Some(sku.to_owned()), gtin },
        )
        .await?;
        lines.push(line);
    }
    let mut rng = StdRng::seed_from_u64(28);
    let now = store::now();
    let start = now - Duration::weeks(10);
    let scans = store::scan_counts::ScanCounter::default();
    let mut written = 0usize;
    let mut batch = Vec::new();
    for day in 0..70i64 {
        let date = start + Duration::days(day);
        for (li, line) in lines.iter().enumerate() {
            let lot = format!("L26{:02}", 1 + day / 14 + li as i64 * 10);
            // About 400 reports in all: the pan gets most; a coating spike in its last five days.
            let spike = li == 0 && day >= 65;
            let n = match li {
                0 => rng.random_range(2..6) + if spike { 6 } else { 0 },
                1 => rng.random_range(0..4),
                _ => rng.random_range(0..2),
            };
            for _ in 0..(n * 25 + rng.random_range(0..20)) {
                scans.record(line.id, date.date(), Some(&lot), false);
            }
            for _ in 0..n {
                let topic = if spike && rng.random_bool(0.7) { &TOPICS[0] } else { pick(&mut rng, TOPICS) };
                let russian = rng.random_bool(0.6);
                let rating = match topic.0 {
                    Kind::Praise => rng.random_range(4..=5),
                    Kind::Defect => rng.random_range(1..=3),
                    _ => rng.random_range(2..=4),
                };
                let with_email = rng.random_bool(0.12);
                let at: OffsetDateTime = date + Duration::minutes(rng.random_range(6 * 60..23 * 60));
                let feedback = NewFeedback {
                    kind: topic.0,
                    rating: Rating::new(rating).ok_or_else(|| anyhow::anyhow!("rating"))?,
                    comment: if russian { topic.4 } else { topic.3 }.to_owned(),
                    email: if with_email {
                        crate::domain::feedback::Email::parse(&format!("customer{written}@example.com"))
                    } else {
                        None
                    },
                    lot: rng.random_bool(0.8).then(|| lot.clone()),
                    category: Some(topic.1.to_owned()),
                    recommend: rng
                        .random_bool(0.3)
                        .then(|| if rating >= 4 { rng.random_range(8..=10) } else { rng.random_range(0..=7) }),
                    usage: None,
                    serial: None,
                };
                let id = Uuid::now_v7();
                let mut photos = Vec::new();
                if topic.0 == Kind::Defect && written.is_multiple_of(23) {
                    let processed = crate::photos::process(&photo(written as u8))?;
                    photos.push(store::photo_files::save(&app.settings.data_dir, id, 0, &processed)?);
                }
                let locale = if russian { Locale::parse("ru").unwrap_or(Locale::DEFAULT) } else { Locale::DEFAULT };
                let mut new = store::reports::build(id, m.manufacturer_id, line.id, &feedback, locale, None, photos);
                new.report.created_at = sea_orm::ActiveValue::Set(at);
                new.fact.created_at = at;
                batch.push(new);
                written += 1;
            }
        }
        // Written through the same group commit as real reports, so the rollups are right.
        let pending: Vec<_> = batch.drain(..).map(|new| app.reports.write(new)).collect();
        for result in futures_util::future::join_all(pending).await {
            result?;
        }
    }
    scans.flush(db).await?;
    // Production volumes of the pan's lots, so its line page shows PPM and the p-chart.
    for (i, lot) in (1..=5).map(|n| (n, format!("L26{n:02}"))) {
        if let Some(line) = lines.first()
            && let Ok(lot) = crate::domain::Lot::parse(&lot)
        {
            store::lot_volumes::set(db, line.id, &lot, 4_000 + 1_500 * i64::from(i)).await?;
        }
    }
    let line = lines.into_iter().next().ok_or_else(|| anyhow::anyhow!("no demo line"))?;
    Ok(Demo { manufacturer: m, line, reports: written })
}
