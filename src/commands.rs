//! What each command-line command does. `main.rs` only parses arguments and calls these.

use std::path::{Path, PathBuf};

use anyhow::Context;
use sea_orm::DatabaseConnection;

use crate::app::print_shares::{self, CreatedShare, Share};
use crate::app::{App, AppError, lines::symbol_text};
use crate::artwork::{self, Format, Options};
use crate::config::Settings;
use crate::domain::{Code, Locale, Lot};
use crate::domain::{LineId, ManufacturerId, ReportId, ShareId};
use crate::mail::Mailer;
use crate::store::{self, manufacturers::NewManufacturer};

/// Opens the database (creating the SQLite file's folder on first use) and applies migrations.
pub async fn open_database(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = sqlite_file(&settings.database_url)
        && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the database folder {}", parent.display()))?;
    }
    let db = store::connect(&settings.database_url)
        .await
        .with_context(|| format!("cannot open the database at {}", redact(&settings.database_url)))?;
    store::migrate(&db).await.context("applying database migrations failed")?;
    // A database from before rollups existed: compute them once, so statistics are right at once.
    if store::rollups::missing(&db).await? {
        eprintln!("computing statistics rollups from the existing reports (once)");
        store::rollups::rebuild(&db, progress).await.context("computing the statistics rollups failed")?;
    }
    Ok(db)
}

/// The use cases' context for a command: the database, opened and migrated, and the settings.
async fn open_app(settings: &Settings) -> anyhow::Result<App> {
    Ok(App::new(open_database(settings).await?, settings.clone()))
}

/// `scanback mail ingest`: a mail server pipes a customer's answer in; it lands on its report.
pub async fn mail_ingest(settings: &Settings) -> anyhow::Result<ReportId> {
    use std::io::Read;
    let mut raw = Vec::new();
    std::io::stdin().take(25 * 1024 * 1024).read_to_end(&mut raw).context("cannot read the message from stdin")?;
    let app = open_app(settings).await?;
    Ok(crate::app::replies::ingest(&app, &raw).await?)
}

/// `scanback rollups rebuild`: recompute every rollup from the raw reports.
pub async fn rollups_rebuild(settings: &Settings) -> anyhow::Result<store::rollups::RebuildReport> {
    let db = open_database(settings).await?;
    Ok(store::rollups::rebuild(&db, progress).await?)
}

/// `scanback rollups check`: every cell that differs from a recomputation.
pub async fn rollups_check(settings: &Settings) -> anyhow::Result<Vec<crate::domain::rollup::Difference>> {
    let db = open_database(settings).await?;
    Ok(store::rollups::check(&db, progress).await?)
}

fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

/// Database URLs can carry passwords; never print them.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    open_database(settings).await?;
    out!("migrations applied");
    Ok(())
}

/// Everything `serve` does before the web server starts (which `main` starts, so that nothing below
/// the binary imports from `web`): settings checked, data folder made, database migrated, demo seeded.
pub async fn prepare_serve(settings: &Settings, demo: bool) -> anyhow::Result<DatabaseConnection> {
    settings.check_reachable().await?;
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("cannot create the data folder {}", settings.data_dir.display()))?;
    let db = open_database(settings).await?;
    if demo {
        seed_demo(&db, settings).await?;
    }
    Ok(db)
}

/// On an empty database: a workspace worth looking at, and everything needed to try it.
async fn seed_demo(db: &DatabaseConnection, settings: &Settings) -> anyhow::Result<()> {
    if !store::manufacturers::is_empty(db).await? {
        out!("demo: the database already has data; nothing seeded");
        return Ok(());
    }
    let app = App::new(db.clone(), settings.clone());
    let demo = crate::app::demo::seed(&app).await?;
    let (m, line) = (&demo.manufacturer, &demo.line);
    let base = &settings.public_url;
    out!("demo data seeded: 3 product lines, {} reports over 10 weeks", demo.reports);
    out!("  scan URL:     {base}/q/{}", line.code);
    out!("  artwork URL:  {base}/api/v1/product-lines/{}/artwork?format=svg", line.id);
    out!("                (send `Authorization: Bearer {}`)", m.api_token);
    out!("  dashboard:    {base}/login");
    out!("  owner login:  {} / {}", m.owner_email, m.owner_password);
    out!("  API token:    {}", m.api_token);
    Ok(())
}

pub async fn manufacturer_create(
    settings: &Settings,
    name: &str,
    email: &str,
    locale: &str,
) -> anyhow::Result<NewManufacturer> {
    let supported = crate::domain::locale::SUPPORTED.join(", ");
    let locale = Locale::parse(locale)
        .ok_or_else(|| anyhow::anyhow!("--locale `{locale}` is not supported; use one of {supported}"))?;
    // A manufacturer's name follows the rules of a product's: it is shown on pages and in mails.
    let name = crate::domain::ProductName::parse(name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let name = name.as_str();
    anyhow::ensure!(
        crate::domain::feedback::Email::parse(email).is_some(),
        "--email `{email}` is not an email address"
    );
    let db = open_database(settings).await?;
    Ok(store::manufacturers::create(&db, name, email, locale).await?)
}

/// What `digest run` did: the digests it claimed and queued, then the outbox pass that sent them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DigestRun {
    #[serde(flatten)]
    pub digests: crate::app::digests::RunReport,
    /// Mails (digests and any other queued mail) this run's outbox pass sent or failed to send.
    pub sent: u32,
    pub failed: u32,
}

/// `scanback digest run [--at T]`: claims and queues every digest due at `T` (default now), catching
/// up what fell due since each member's last one, then delivers the outbox as of `T`. Idempotent.
pub async fn digest_run(settings: &Settings, at: Option<time::OffsetDateTime>) -> anyhow::Result<DigestRun> {
    settings.check_reachable().await?;
    let db = open_database(settings).await?;
    let mailer = Mailer::from_settings(settings)?;
    let app = App::new(db.clone(), settings.clone());
    let at = at.unwrap_or_else(store::now);
    let digests = crate::app::digests::run(&app, at).await?;
    // The outbox's clock never runs behind real time: a lease or backoff computed from a past `--at`
    // would already have expired, and a `serve` running beside it would send the same mail again.
    let delivered = crate::jobs::outbox::deliver_at(&db, &mailer, settings, at.max(store::now())).await?;
    Ok(DigestRun { digests, sent: delivered.sent, failed: delivered.failed })
}

#[derive(Debug, serde::Serialize)]
pub struct AlertsRun {
    pub alerts: crate::app::alerts::RunReport,
    /// The outbox delivered after the run (alert mails and anything else due).
    pub mail: crate::jobs::outbox::Delivered,
    pub webhooks: crate::jobs::webhooks::Delivered,
}

/// `scanback alerts run [--at]`: the check `serve` makes every minute, once, as if it were `at`;
/// then what it queued is delivered (mails through the outbox, webhooks).
pub async fn alerts_run(settings: &Settings, at: Option<time::OffsetDateTime>) -> anyhow::Result<AlertsRun> {
    settings.check_reachable().await?;
    let app = open_app(settings).await?;
    let mailer = Mailer::from_settings(settings)?;
    let alerts = crate::app::alerts::run_once(&app, at.unwrap_or_else(time::OffsetDateTime::now_utc)).await?;
    let mail = crate::jobs::outbox::deliver_once(&app.db, &mailer, settings).await?;
    let client = crate::jobs::webhooks::client(settings)?;
    let webhooks = crate::jobs::webhooks::deliver_once(&app.db, &client, settings, store::now()).await?;
    Ok(AlertsRun { alerts, mail, webhooks })
}

pub struct ArtworkRequest<'a> {
    pub code: &'a str,
    pub format: &'a str,
    pub size_mm: Option<f64>,
    pub profile: &'a str,
    pub caption: Option<String>,
    pub invert: bool,
    pub output: &'a Path,
}

/// Artwork without a database: the code's check character is verified, the URL comes from the
/// configured public URL.
pub fn artwork(settings: &Settings, req: &ArtworkRequest<'_>) -> anyhow::Result<artwork::Spec> {
    let code = Code::parse(req.code).map_err(|e| anyhow::anyhow!("`{}`: {e}", req.code))?;
    let format: Format = req.format.parse()?;
    let profile = artwork::profile(req.profile)?;
    let mut options = Options::new(profile);
    options.size_mm = req.size_mm;
    options.caption = req.caption.clone();
    options.invert = req.invert;
    let text = artwork::encode_url(&settings.public_url, code.as_str(), profile.uppercase_scheme);
    let rendered = artwork::render(&text, format, &options)?;
    std::fs::write(req.output, &rendered.bytes).with_context(|| format!("cannot write {}", req.output.display()))?;
    Ok(rendered.spec)
}

/// Artwork of one line with a production lot. The lot goes into the line's GS1 Digital Link, which
/// needs the line's GTIN, so this one looks the code up in the database.
pub async fn artwork_with_lot(
    settings: &Settings,
    req: &ArtworkRequest<'_>,
    lot: &str,
) -> anyhow::Result<artwork::Spec> {
    let code = Code::parse(req.code).map_err(|e| anyhow::anyhow!("`{}`: {e}", req.code))?;
    let lot = Lot::parse(lot).map_err(|e| anyhow::anyhow!("--lot `{lot}`: {e}"))?;
    let format: Format = req.format.parse()?;
    let profile = artwork::profile(req.profile)?;
    let db = open_database(settings).await?;
    let line = store::product_lines::find_by_code(&db, &code)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no product line has the code {code}"))?;
    let mut options = Options::new(profile);
    options.size_mm = req.size_mm;
    options.caption = req.caption.clone();
    options.invert = req.invert;
    let text = symbol_text(&settings.public_url, &line.code, line.gtin.as_deref(), Some(&lot), profile)?;
    let rendered = artwork::render(&text, format, &options)?;
    std::fs::write(req.output, &rendered.bytes).with_context(|| format!("cannot write {}", req.output.display()))?;
    Ok(rendered.spec)
}

pub struct BulkArtworkRequest<'a> {
    pub manufacturer: Option<&'a str>,
    pub format: &'a str,
    pub size_mm: Option<f64>,
    pub profile: &'a str,
    pub invert: bool,
    pub dir: &'a Path,
}

/// `\r[#####     ] 12/40` on stderr: redrawn in place, so a long export shows it is alive.
fn progress(done: usize, total: usize) {
    const WIDTH: usize = 30;
    let filled = done.saturating_mul(WIDTH).checked_div(total).unwrap_or(WIDTH);
    let bar = format!("{}{}", "#".repeat(filled), " ".repeat(WIDTH.saturating_sub(filled)));
    eprint!("\r[{bar}] {done}/{total}");
    if done >= total {
        eprintln!();
    }
}

/// Every line's artwork (of one manufacturer, or of all) in one format into `dir`, named
/// `CODE.EXT`: codes are unique across manufacturers, so names never collide. Returns the count.
pub async fn artwork_all(settings: &Settings, req: &BulkArtworkRequest<'_>) -> anyhow::Result<usize> {
    let format: Format = req.format.parse()?;
    let profile = artwork::profile(req.profile)?;
    let manufacturer = req
        .manufacturer
        .map(|m| {
            m.trim().parse::<uuid::Uuid>().map_err(|_| anyhow::anyhow!("--manufacturer `{m}` is not a manufacturer id"))
        })
        .transpose()?;
    let db = open_database(settings).await?;
    if let Some(id) = manufacturer {
        store::manufacturers::get(&db, id).await.map_err(|_| anyhow::anyhow!("no manufacturer has the id {id}"))?;
    }
    let lines = store::product_lines::list_all(&db, manufacturer).await?;
    anyhow::ensure!(!lines.is_empty(), "there are no product lines to export");
    std::fs::create_dir_all(req.dir).with_context(|| format!("cannot create the folder {}", req.dir.display()))?;
    let mut options = Options::new(profile);
    options.size_mm = req.size_mm;
    options.invert = req.invert;
    let total = lines.len();
    progress(0, total);
    for (i, line) in lines.iter().enumerate() {
        let text = symbol_text(&settings.public_url, &line.code, line.gtin.as_deref(), None, profile)?;
        let rendered =
            artwork::render(&text, format, &options).with_context(|| format!("line {} ({})", line.code, line.name))?;
        let path = req.dir.join(format!("{}.{}", line.code, format.extension()));
        std::fs::write(&path, &rendered.bytes).with_context(|| format!("cannot write {}", path.display()))?;
        progress(i + 1, total);
    }
    Ok(total)
}

pub struct ShareRequest<'a> {
    pub manufacturer: &'a str,
    /// Comma-separated product line ids.
    pub lines: &'a str,
    pub profile: Option<&'a str>,
    pub expires_in_days: Option<i64>,
    pub note: Option<&'a str>,
}

/// A use case's refusal in the command line's words: a field is named as the flag that set it.
fn cli_message(e: AppError, flag_of: impl Fn(&str) -> String) -> anyhow::Error {
    match e {
        AppError::Invalid { field, message, .. } => anyhow::anyhow!("--{}: {message}", flag_of(field)),
        other => anyhow::anyhow!("{other}"),
    }
}

/// A print-share link, exactly as `POST /api/v1/print-shares` makes it; the JSON holds the URL.
pub async fn print_share_create(settings: &Settings, req: &ShareRequest<'_>) -> anyhow::Result<CreatedShare> {
    let manufacturer: ManufacturerId = req
        .manufacturer
        .parse()
        .map_err(|_| anyhow::anyhow!("--manufacturer `{}` is not a manufacturer id", req.manufacturer))?;
    let line_ids = req
        .lines
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<LineId>().map_err(|_| anyhow::anyhow!("--lines: `{s}` is not a product line id")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let request = print_shares::ShareRequest {
        product_lines: line_ids,
        profile: req.profile.map(str::to_owned),
        expires_in_days: req.expires_in_days,
        note: req.note.map(str::to_owned),
    };
    let app = open_app(settings).await?;
    print_shares::create(&app, manufacturer, request).await.map_err(|e| match e {
        AppError::NotFound(_) => anyhow::anyhow!("--lines: a product line is not one of this manufacturer's lines"),
        other => {
            cli_message(other, |field| if field == "product_lines" { "lines".into() } else { field.replace('_', "-") })
        }
    })
}

/// Revokes any manufacturer's link (the operator's command); the link answers 410 from now on.
pub async fn print_share_revoke(settings: &Settings, id: &str) -> anyhow::Result<Share> {
    let id: ShareId = id.parse().map_err(|_| anyhow::anyhow!("`{id}` is not a print-share id"))?;
    let app = open_app(settings).await?;
    print_shares::revoke(&app, None, id).await.map_err(|e| match e {
        AppError::NotFound(_) => anyhow::anyhow!("no print share has the id {id}"),
        other => other.into(),
    })
}

fn manufacturer_flag(m: Option<&str>) -> anyhow::Result<Option<ManufacturerId>> {
    m.map(|m| {
        m.trim().parse::<ManufacturerId>().map_err(|_| anyhow::anyhow!("--manufacturer `{m}` is not a manufacturer id"))
    })
    .transpose()
}

/// `scanback customer erase --email E [--manufacturer ID]`: the operator's erasure on request.
pub async fn customer_erase(
    settings: &Settings,
    email: &str,
    manufacturer: Option<&str>,
) -> anyhow::Result<crate::app::customers::Erasure> {
    let scope = manufacturer_flag(manufacturer)?;
    let app = open_app(settings).await?;
    if let Some(m) = scope {
        store::manufacturers::get(&app.db, m.get())
            .await
            .map_err(|_| anyhow::anyhow!("no manufacturer has the id {m}"))?;
    }
    crate::app::customers::erase(&app, scope, email).await.map_err(|e| cli_message(e, |f| f.replace('_', "-")))
}

/// `scanback customer export --email E [--manufacturer ID]`.
pub async fn customer_export(
    settings: &Settings,
    email: &str,
    manufacturer: Option<&str>,
) -> anyhow::Result<crate::app::customers::Export> {
    let scope = manufacturer_flag(manufacturer)?;
    let app = open_app(settings).await?;
    if let Some(m) = scope {
        store::manufacturers::get(&app.db, m.get())
            .await
            .map_err(|_| anyhow::anyhow!("no manufacturer has the id {m}"))?;
    }
    crate::app::customers::export(&app, scope, email).await.map_err(|e| cli_message(e, |f| f.replace('_', "-")))
}

/// `scanback customer retention [--at T]`: what `serve` does every hour, once.
pub async fn customer_retention(
    settings: &Settings,
    at: Option<time::OffsetDateTime>,
) -> anyhow::Result<crate::app::customers::RetentionRun> {
    let app = open_app(settings).await?;
    Ok(crate::app::customers::run_once(&app, at.unwrap_or_else(store::now)).await?)
}

#[derive(Debug, serde::Serialize)]
pub struct Backup {
    pub file: PathBuf,
    pub bytes: u64,
    /// Reports in the copy, counted in the copy itself.
    pub reports: u64,
}

/// `scanback backup --to FILE`: `VACUUM INTO` writes a consistent copy of the SQLite database from
/// one read snapshot, beside a running service (writers are not held off; the copy holds every
/// transaction committed before it began). The copy is then opened and checked.
pub async fn backup(settings: &Settings, to: &Path) -> anyhow::Result<Backup> {
    let Some(source) = sqlite_file(&settings.database_url) else {
        anyhow::bail!(
            "backup copies SQLite databases; for PostgreSQL use `pg_dump --format=custom` (see docs/operations.md)"
        );
    };
    anyhow::ensure!(source.exists(), "the database {} does not exist", source.display());
    anyhow::ensure!(!to.exists(), "--to {} exists already; choose a new file", to.display());
    let target = to.to_str().ok_or_else(|| anyhow::anyhow!("--to {} is not a UTF-8 path", to.display()))?;
    let reports = store::backup::sqlite_copy(&settings.database_url, target)
        .await
        .with_context(|| format!("backing up {} to {} failed", source.display(), to.display()))?;
    let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or_default();
    Ok(Backup { file: to.to_owned(), bytes, reports })
}
