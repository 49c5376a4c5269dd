use actix_web::{HttpResponse, web};

use crate::web::state::AppState;

/// Liveness that means something: the database answers.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match crate::store::ping(&state.app.db).await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ok\n"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            HttpResponse::ServiceUnavailable().content_type("text/plain").body("database unreachable\n")
        }
    }
}
