//! What each command-line command does. `main.rs` only parses arguments and calls these.

use std::path::{Path, PathBuf};

use anyhow::Context;
use sea_orm::DatabaseConnection;

use crate::artwork::{self, Format, Options};
use crate::config::Settings;
use crate::digest::{self, Mode, RunReport};
use crate::domain::{Code, Gtin, Locale, ProductName};
use crate::mail::Mailer;
use crate::store::{self, manufacturers::NewManufacturer, product_lines::NewLine};
use crate::web::startup::Application;

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
    Ok(db)
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
    println!("migrations applied");
    Ok(())
}

pub async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    settings.check_reachable().await?;
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("cannot create the data folder {}", settings.data_dir.display()))?;
    let db = open_database(&settings).await?;
    if demo {
        seed_demo(&db, &settings).await?;
    }
    let app = Application::build(settings.clone(), db)?;
    tracing::info!(listen = %settings.listen, port = app.port(), "scanback is serving");
    eprintln!("scanback is listening on {} (public URL {})", settings.listen, settings.public_url);
    app.run_until_stopped().await?;
    Ok(())
}

/// On an empty database: one manufacturer with one product line, and everything needed to try it.
async fn seed_demo(db: &DatabaseConnection, settings: &Settings) -> anyhow::Result<()> {
    if !store::manufacturers::is_empty(db).await? {
        println!("demo: the database already has data; nothing seeded");
        return Ok(());
    }
    let m = store::manufacturers::create(db, "Demo Cookware", "owner@demo.example", Locale::DEFAULT).await?;
    let line = store::product_lines::create(
        db,
        m.manufacturer_id,
        NewLine {
            name: ProductName::parse("Frying pan 28 cm")?,
            sku: Some("FP-28".to_owned()),
            gtin: Some(Gtin::parse("4006381333931")?),
        },
    )
    .await?;
    let base = &settings.public_url;
    println!("demo data seeded:");
    println!("  scan URL:     {base}/q/{}", line.code);
    println!("  artwork URL:  {base}/api/v1/product-lines/{}/artwork?format=svg", line.id);
    println!("                (send `Authorization: Bearer {}`)", m.api_token);
    println!("  owner login:  {} / {}", m.owner_email, m.owner_password);
    println!("  API token:    {}", m.api_token);
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
    let name = name.trim();
    anyhow::ensure!(!name.is_empty(), "--name must not be empty");
    anyhow::ensure!(
        crate::domain::feedback::Email::parse(email).is_some(),
        "--email `{email}` is not an email address"
    );
    let db = open_database(settings).await?;
    Ok(store::manufacturers::create(&db, name, email, locale).await?)
}

pub async fn digest_run(settings: &Settings, now: bool) -> anyhow::Result<RunReport> {
    settings.check_reachable().await?;
    let db = open_database(settings).await?;
    let mailer = Mailer::from_settings(settings)?;
    let mode = if now { Mode::Now } else { Mode::Due };
    digest::run_once(&db, &mailer, settings, mode, time::OffsetDateTime::now_utc()).await
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
