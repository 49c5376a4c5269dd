//! Builds the application from settings and a bound listener, so that tests can start the real app on
//! port 0 and `serve` runs exactly the same thing.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders, NormalizePath, TrailingSlash};
use actix_web::{App, HttpServer, web};
use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::web::state::AppState;
use crate::web::{api, assets, dashboard, gs1, health, mail_links, metrics, print, public, reply};

pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
}

impl Application {
    /// Binds `settings.listen` and prepares the server over an already migrated database.
    pub fn build(settings: Settings, db: DatabaseConnection) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(&settings.listen)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.listen))?;
        Application::with_listener(settings, db, listener)
    }

    /// For callers that must know the port before the settings are final (tests put it in the
    /// public URL that QR codes encode).
    pub fn with_listener(
        settings: Settings,
        db: DatabaseConnection,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let mailer = crate::mail::Mailer::from_settings(&settings)?;
        let webhooks = crate::jobs::webhooks::client(&settings)?;
        let state = AppState::new(db, settings);
        state.scans.spawn_flusher(state.app.db.clone());
        crate::jobs::outbox::spawn(state.app.db.clone(), mailer, state.app.settings.clone(), state.app.outbox.clone());
        crate::jobs::webhooks::spawn(
            state.app.db.clone(),
            webhooks,
            state.app.settings.clone(),
            state.app.webhooks.clone(),
        );
        crate::jobs::alerts::spawn(state.app.clone());
        crate::jobs::digests::spawn(state.app.clone());
        crate::jobs::retention::spawn(state.app.clone());
        crate::jobs::classifier::spawn(state.app.clone());
        spawn_limiter_cleanup(&state);
        let server = run(listener, state.clone())?;
        Ok(Application { port, server, state })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state, for callers that drive background work directly (tests flush scan counts).
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Serves until a shutdown signal; then writes the scan counts still in memory.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        if let Err(e) = self.state.scans.flush(&self.state.app.db).await {
            tracing::error!(error = %e, "scan counts could not be written at shutdown");
        }
        result
    }
}

/// The rate limiter keeps a small state per client key; keys change daily, so forget the idle ones
/// every minute instead of letting them pile up.
fn spawn_limiter_cleanup(state: &AppState) {
    let limiter = state.submissions.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    });
}

fn run(listener: TcpListener, state: AppState) -> anyhow::Result<Server> {
    // Behind https, browsers must never fall back to plain http (TLS ends at the proxy in front).
    let https = state.app.settings.public_url.starts_with("https://");
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        // Public pages load nothing from anywhere else and run no script.
        let mut headers = DefaultHeaders::new()
            .add(("X-Content-Type-Options", "nosniff"))
            .add(("Referrer-Policy", "no-referrer"))
            .add((
                "Content-Security-Policy",
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ))
            .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"))
            .add(("Cross-Origin-Opener-Policy", "same-origin"))
            // Nothing here is meant to be embedded by other sites; the photo links in mails say
            // `cross-origin` themselves (webmail shows them from its own origin).
            .add(("Cross-Origin-Resource-Policy", "same-origin"));
        if https {
            headers = headers.add(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"));
        }
        App::new()
            .wrap(Compress::default())
            .wrap(NormalizePath::new(TrailingSlash::Trim))
            .wrap(headers)
            // Outermost: every handler and the request logs see the address it settles on.
            .wrap(actix_web::middleware::from_fn(super::client_addr::resolve))
            .app_data(data.clone())
            .route("/healthz", web::get().to(health::healthz))
            .route("/metrics", web::get().to(metrics::metrics))
            .configure(assets::routes)
            .configure(public::routes)
            .configure(gs1::routes)
            .configure(print::routes)
            .configure(reply::routes)
            .configure(mail_links::routes)
            .configure(dashboard::routes)
            .configure(api::routes)
            // Last: a single base64url segment is a compressed GS1 Digital Link only if nothing else is.
            .configure(gs1::compressed_routes)
    })
    .listen(listener)?
    .shutdown_timeout(10)
    .run();
    Ok(server)
}
