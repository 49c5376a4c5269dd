//! Storage: the sea-orm entities and every query the rest of the program needs. SQLite and
//! PostgreSQL run exactly the same code.

pub mod alerts;
pub mod api_tokens;
pub mod backup;
pub mod broadcasts;
pub mod customers;
pub mod digest_claims;
pub mod entities;
pub mod invitations;
pub mod line_cache;
pub mod links;
pub mod login_failures;
pub mod lot_volumes;
pub mod manufacturers;
pub mod outage;
pub mod outbox;
pub mod password_resets;
pub mod photo_files;
pub mod print_shares;
pub mod product_lines;
pub mod replies;
pub mod report_events;
pub mod report_notes;
pub mod report_writer;
pub mod reports;
pub mod rollups;
pub mod scan_counts;
mod secrets;
pub mod server_keys;
pub mod sessions;
pub mod stats;
pub mod subscriptions;
pub mod suggestions;
pub mod themes;
pub mod users;
pub mod webhooks;
pub mod zones;

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr, SqlErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

pub use secrets::{
    hash_password, hash_token, new_password, new_share_token, new_token, sign, verify_password, verify_signature,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("{0}")]
    Unexpected(#[from] anyhow::Error),
}

impl StoreError {
    /// Maps a unique-constraint violation to `Conflict`, leaving other database errors alone.
    pub(crate) fn from_insert(err: DbErr, what: &str) -> StoreError {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict(what.to_owned()),
            _ => StoreError::Db(err),
        }
    }
}

pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

pub fn now() -> time::OffsetDateTime {
    // Microsecond precision: PostgreSQL keeps no more, so a value read back equals the value written.
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(now.nanosecond() / 1000 * 1000).unwrap_or(now)
}

/// Opens the pool. SQLite files get WAL (readers never wait for the writer), `synchronous=FULL` (a
/// committed report survives power loss), foreign keys and a busy timeout; PostgreSQL gets a pool
/// sized for a small service.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false).connect_timeout(Duration::from_secs(10)).acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        options.max_connections(if in_memory { 1 } else { 8 }).min_connections(1).map_sqlx_sqlite_opts(move |o| {
            let o = o
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full);
            if in_memory { o } else { o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal) }
        });
        options.map_sqlx_sqlite_pool_opts(|o| {
            o.after_release(|conn, _| Box::pin(async move { Ok(sqlite_connection_is_clean(conn).await) }))
        });
    } else {
        // No JIT: it compiles expressions once a plan's estimated cost passes `jit_above_cost`,
        // which a year of one big line's rollups does after ANALYZE, and that costs ~150 ms on a
        // query that runs in ~20 ms. No parallel workers either: starting them cost more than they
        // saved on every line's comparison (32 ms with two, 18 ms without, 5,000,000 reports on 2
        // cores), and a service's requests already use the cores side by side. Every query here is
        // short.
        options
            .max_connections(16)
            .min_connections(1)
            .map_sqlx_postgres_opts(|o| o.options([("jit", "off"), ("max_parallel_workers_per_gather", "0")]));
    }
    Database::connect(options).await
}

/// Whether a SQLite connection given back to the pool may serve again: no transaction open, and
/// sqlx's idea of the transaction depth agrees. After a full disk (or an I/O error) SQLite rolls
/// the transaction back by itself, so sqlx's ROLLBACK fails and sqlx keeps counting the transaction
/// as open; its next user's BEGIN then became a SAVEPOINT and its COMMIT a RELEASE, and in some
/// interleavings a write answered as committed was still inside a transaction nobody would commit
/// (acknowledged reports lost; tests/api/db_faults.rs). Such a connection is closed instead, and
/// the pool opens a fresh one.
async fn sqlite_connection_is_clean(conn: &mut sea_orm::sqlx::SqliteConnection) -> bool {
    use sea_orm::sqlx::Connection as _;
    if conn.is_in_transaction() {
        tracing::warn!("closing a SQLite connection that sqlx still counts inside a transaction");
        return false;
    }
    let Ok(mut handle) = conn.lock_handle().await else { return false };
    // SAFETY: the handle is locked for this call, so no statement runs on it meanwhile;
    // sqlite3_get_autocommit only reads the connection's state.
    let autocommit = unsafe { libsqlite3_sys::sqlite3_get_autocommit(handle.as_raw_handle().as_ptr()) } != 0;
    if !autocommit {
        tracing::warn!("closing a SQLite connection given back with a transaction still open");
    }
    autocommit
}

/// Begins a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken
/// (waiting out the busy timeout) before anything is read, so a transaction that reads and then
/// writes never fails with "database is locked" because another writer committed in between. On
/// PostgreSQL it is a plain `BEGIN`.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Liveness: one round trip to the database.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}
