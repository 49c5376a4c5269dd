//! Builds the application from settings and a bound listener, so that tests can start the real app on
//! port 0 and `serve` runs exactly the same thing.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{DefaultHeaders, NormalizePath, TrailingSlash};
use actix_web::{App, HttpServer, web};
use sea_orm::DatabaseConnection;
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::web::state::AppState;
use crate::web::{api, health, print, public};

pub struct Application {
    port: u16,
    server: Server,
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
    pub fn with_listener(settings: Settings, db: DatabaseConnection, listener: TcpListener) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let state = AppState { db, settings: Arc::new(settings) };
        let server = run(listener, state)?;
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn run(listener: TcpListener, state: AppState) -> anyhow::Result<Server> {
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .wrap(TracingLogger::default())
            .wrap(NormalizePath::new(TrailingSlash::Trim))
            .wrap(
                // Public pages load nothing from anywhere else and run no script.
                DefaultHeaders::new()
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add(("Referrer-Policy", "no-referrer"))
                    .add((
                        "Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
                    )),
            )
            .app_data(data.clone())
            .app_data(public::form_config())
            .route("/healthz", web::get().to(health::healthz))
            .configure(public::routes)
            .configure(print::routes)
            .configure(api::routes)
    })
    .listen(listener)?
    .shutdown_timeout(10)
    .run();
    Ok(server)
}
