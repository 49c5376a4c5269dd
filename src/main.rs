//! The `scanback` command line: parse, load settings, call into the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use scanback::config::{Overrides, Settings};
use scanback::{commands, out};

#[derive(Parser)]
#[command(name = "scanback", version, about = "Product feedback by durable QR codes")]
struct Cli {
    /// Settings file (default: ./scanback.toml if present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[arg(long, global = true)]
    listen: Option<String>,
    #[arg(long, global = true)]
    public_url: Option<String>,
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[arg(long, global = true)]
    smtp_url: Option<String>,
    #[arg(long, global = true)]
    mail_from: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, then serve.
    Serve {
        /// Seed a demo manufacturer and product line on an empty database and print how to try it.
        #[arg(long)]
        demo: bool,
    },
    /// Apply migrations and exit.
    Migrate,
    /// Manufacturers.
    Manufacturer {
        #[command(subcommand)]
        command: ManufacturerCommand,
    },
    /// Digests.
    Digest {
        #[command(subcommand)]
        command: DigestCommand,
    },
    /// Spike alerts.
    Alerts {
        #[command(subcommand)]
        command: AlertsCommand,
    },
    /// Write a code's artwork to a file (no database needed unless --lot), or with --all every
    /// line's artwork into a folder.
    Artwork {
        /// The product line's code (not with --all).
        #[arg(required_unless_present = "all")]
        code: Option<String>,
        /// Every product line (of every manufacturer, or of --manufacturer) into the folder -o.
        #[arg(long, conflicts_with_all = ["code", "lot", "caption"])]
        all: bool,
        /// With --all: only this manufacturer's lines.
        #[arg(long, requires = "all")]
        manufacturer: Option<String>,
        /// Print a production lot: the symbol encodes the line's GS1 Digital Link (needs its GTIN,
        /// looked up in the database).
        #[arg(long)]
        lot: Option<String>,
        #[arg(long, default_value = "svg")]
        format: String,
        #[arg(long)]
        size_mm: Option<f64>,
        #[arg(long, default_value = "packaging-offset")]
        profile: String,
        #[arg(long)]
        caption: Option<String>,
        #[arg(long)]
        invert: bool,
        /// The file to write (a folder with --all).
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Mail from customers.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Statistics rollups.
    Rollups {
        #[command(subcommand)]
        command: RollupsCommand,
    },
    /// Print-share links for print shops.
    PrintShare {
        #[command(subcommand)]
        command: PrintShareCommand,
    },
    /// Customers' personal data: export, erase on request, retention limits.
    Customer {
        #[command(subcommand)]
        command: CustomerCommand,
    },
    /// Copy the SQLite database, consistent, while the service runs (PostgreSQL: use pg_dump).
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: PathBuf,
    },
}

#[derive(Subcommand)]
enum CustomerCommand {
    /// Erase a customer's address, comments, conversation, photos and mails; the reports stay,
    /// anonymous, so statistics do not change.
    Erase {
        #[arg(long)]
        email: String,
        /// Only this manufacturer's reports (default: every manufacturer's).
        #[arg(long)]
        manufacturer: Option<String>,
    },
    /// Print everything left with an address as JSON.
    Export {
        #[arg(long)]
        email: String,
        #[arg(long)]
        manufacturer: Option<String>,
    },
    /// Apply every manufacturer's retention limits once (serve does it every hour).
    Retention {
        /// Act as if it were this instant (RFC 3339).
        #[arg(long, value_parser = parse_instant)]
        at: Option<time::OffsetDateTime>,
    },
}

#[derive(Subcommand)]
enum PrintShareCommand {
    /// Create a link to some of a manufacturer's lines; prints JSON with the URL (shown once).
    Create {
        #[arg(long)]
        manufacturer: String,
        /// Product line ids, comma-separated.
        #[arg(long)]
        lines: String,
        #[arg(long)]
        profile: Option<String>,
        #[arg(long)]
        expires_in_days: Option<i64>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Revoke a link at once; it then answers 410.
    Revoke { id: String },
}

#[derive(Subcommand)]
enum MailCommand {
    /// Read one RFC 5322 message on stdin (a customer's answer to a reply) and attach it to its
    /// report; exits non-zero, storing nothing, when it matches no report.
    Ingest,
}

#[derive(Subcommand)]
enum RollupsCommand {
    /// Recompute every rollup from the raw reports (idempotent; safe while the service runs).
    Rebuild,
    /// Compare the rollups with a recomputation; print each difference and exit non-zero if any.
    Check,
}

#[derive(Subcommand)]
enum ManufacturerCommand {
    /// Create a manufacturer and its owner; prints JSON with the API token and initial password.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// Language of the owner's mails.
        #[arg(long, default_value = "en")]
        locale: String,
    },
}

#[derive(Subcommand)]
enum DigestCommand {
    /// Queue and send every digest that is due, catching up what fell due while nothing ran;
    /// idempotent.
    Run {
        /// Act as if it were this instant (RFC 3339, e.g. 2027-03-14T07:00:00Z).
        #[arg(long, value_parser = parse_instant)]
        at: Option<time::OffsetDateTime>,
    },
}

#[derive(Subcommand)]
enum AlertsCommand {
    /// Look for spikes, open alerts and send their mails and webhooks; idempotent.
    Run {
        /// Act as if it were this instant (RFC 3339, e.g. 2027-03-14T07:00:00Z).
        #[arg(long, value_parser = parse_instant)]
        at: Option<time::OffsetDateTime>,
    },
}

fn parse_instant(s: &str) -> Result<time::OffsetDateTime, String> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("`{s}` is not an RFC 3339 instant such as 2027-03-14T07:00:00Z ({e})"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = if matches!(cli.command, Command::Serve { .. }) { "info" } else { "warn" };
    scanback::telemetry::init(level);
    let overrides = Overrides {
        database_url: cli.database_url.clone(),
        listen: cli.listen.clone(),
        public_url: cli.public_url.clone(),
        data_dir: cli.data_dir.clone(),
        smtp_url: cli.smtp_url.clone(),
        mail_from: cli.mail_from.clone(),
    };
    let settings = match Settings::load(cli.config.as_deref(), &overrides) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("scanback: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("scanback: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scanback: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve { demo } => {
            let db = commands::prepare_serve(&settings, demo).await?;
            let app = scanback::web::startup::Application::build(settings.clone(), db)?;
            tracing::info!(listen = %settings.listen, port = app.port(), "scanback is serving");
            eprintln!("scanback is listening on {} (public URL {})", settings.listen, settings.public_url);
            app.run_until_stopped().await?;
            Ok(())
        }
        Command::Migrate => commands::migrate(&settings).await,
        Command::Manufacturer { command: ManufacturerCommand::Create { name, email, locale } } => {
            let created = commands::manufacturer_create(&settings, &name, &email, &locale).await?;
            out!("{}", serde_json::to_string_pretty(&created)?);
            Ok(())
        }
        Command::Digest { command: DigestCommand::Run { at } } => {
            let report = commands::digest_run(&settings, at).await?;
            out!("{}", serde_json::to_string(&report)?);
            anyhow::ensure!(
                report.failed == 0,
                "{} mail(s) could not be delivered; they will be retried",
                report.failed
            );
            Ok(())
        }
        Command::Alerts { command: AlertsCommand::Run { at } } => {
            let report = commands::alerts_run(&settings, at).await?;
            out!("{}", serde_json::to_string(&report)?);
            anyhow::ensure!(
                report.mail.failed == 0,
                "{} alert mail(s) could not be delivered; they will be retried",
                report.mail.failed
            );
            Ok(())
        }
        Command::Artwork { all: true, manufacturer, format, size_mm, profile, invert, output, .. } => {
            let written = commands::artwork_all(
                &settings,
                &commands::BulkArtworkRequest {
                    manufacturer: manufacturer.as_deref(),
                    format: &format,
                    size_mm,
                    profile: &profile,
                    invert,
                    dir: &output,
                },
            )
            .await?;
            eprintln!("wrote {written} file(s) to {}", output.display());
            Ok(())
        }
        Command::Artwork { code, lot, format, size_mm, profile, caption, invert, output, .. } => {
            let code = code.unwrap_or_default();
            let req = commands::ArtworkRequest {
                code: &code,
                format: &format,
                size_mm,
                profile: &profile,
                caption,
                invert,
                output: &output,
            };
            let spec = match lot {
                Some(lot) => commands::artwork_with_lot(&settings, &req, &lot).await?,
                None => commands::artwork(&settings, &req)?,
            };
            eprintln!(
                "wrote {}: {} (QR version {}, EC {}, {:.2} mm modules, {:.1} mm with quiet zone)",
                output.display(),
                spec.text,
                spec.version,
                spec.ec_level,
                spec.module_mm,
                spec.total_mm
            );
            Ok(())
        }
        Command::PrintShare {
            command: PrintShareCommand::Create { manufacturer, lines, profile, expires_in_days, note },
        } => {
            let share = commands::print_share_create(
                &settings,
                &commands::ShareRequest {
                    manufacturer: &manufacturer,
                    lines: &lines,
                    profile: profile.as_deref(),
                    expires_in_days,
                    note: note.as_deref(),
                },
            )
            .await?;
            out!("{}", serde_json::to_string_pretty(&share)?);
            Ok(())
        }
        Command::Mail { command: MailCommand::Ingest } => {
            let report = commands::mail_ingest(&settings).await?;
            out!("{}", serde_json::json!({ "report_id": report.get() }));
            Ok(())
        }
        Command::Rollups { command: RollupsCommand::Rebuild } => {
            let report = commands::rollups_rebuild(&settings).await?;
            out!("{}", serde_json::to_string(&report)?);
            Ok(())
        }
        Command::Rollups { command: RollupsCommand::Check } => {
            let differences = commands::rollups_check(&settings).await?;
            for d in &differences {
                out!("{d}");
            }
            anyhow::ensure!(
                differences.is_empty(),
                "{} rollup cell(s) differ from the raw reports; `scanback rollups rebuild` recomputes them",
                differences.len()
            );
            eprintln!("rollups match the raw reports");
            Ok(())
        }
        Command::Customer { command: CustomerCommand::Erase { email, manufacturer } } => {
            let erased = commands::customer_erase(&settings, &email, manufacturer.as_deref()).await?;
            out!("{}", serde_json::to_string(&erased)?);
            Ok(())
        }
        Command::Customer { command: CustomerCommand::Export { email, manufacturer } } => {
            let export = commands::customer_export(&settings, &email, manufacturer.as_deref()).await?;
            out!("{}", serde_json::to_string_pretty(&export)?);
            Ok(())
        }
        Command::Customer { command: CustomerCommand::Retention { at } } => {
            let run = commands::customer_retention(&settings, at).await?;
            out!("{}", serde_json::to_string(&run)?);
            Ok(())
        }
        Command::Backup { to } => {
            let backup = commands::backup(&settings, &to).await?;
            out!("{}", serde_json::to_string(&backup)?);
            Ok(())
        }
        Command::PrintShare { command: PrintShareCommand::Revoke { id } } => {
            let share = commands::print_share_revoke(&settings, &id).await?;
            out!("{}", serde_json::to_string_pretty(&share)?);
            Ok(())
        }
    }
}
