use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Settings;

/// Shared by every worker: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
}
