//! Backups of a SQLite database beside the running service (PostgreSQL has pg_dump).

use sea_orm::{ConnectionTrait, Statement};

use super::StoreError;

/// Writes a consistent copy of the SQLite database at `url` to the new file `target` with `VACUUM
/// INTO` (one read snapshot: every transaction committed before it began, nothing half-written;
/// writers carry on meanwhile), then opens the copy read-only, checks its integrity and returns how
/// many reports it holds.
pub async fn sqlite_copy(url: &str, target: &str) -> Result<u64, StoreError> {
    let db = super::connect(url).await?;
    let copied = db.execute_unprepared(&format!("VACUUM INTO '{}'", target.replace('\'', "''"))).await;
    db.close().await.ok();
    copied?;
    // Read-only and without the service's pragmas: checking the copy must not change it.
    let copy = sea_orm::Database::connect(format!("sqlite://{target}?mode=ro")).await?;
    let backend = copy.get_database_backend();
    let check = copy
        .query_one_raw(Statement::from_string(backend, "PRAGMA integrity_check"))
        .await?
        .and_then(|r| r.try_get_by_index::<String>(0).ok())
        .unwrap_or_default();
    let reports = copy
        .query_one_raw(Statement::from_string(backend, "SELECT COUNT(*) FROM reports"))
        .await?
        .and_then(|r| r.try_get_by_index::<i64>(0).ok())
        .unwrap_or_default();
    copy.close().await.ok();
    if check != "ok" {
        return Err(anyhow::anyhow!("the copy failed its integrity check: {check}").into());
    }
    Ok(u64::try_from(reports).unwrap_or_default())
}
