//! Which failures mean "storage cannot take this just now" rather than "this request is wrong" or
//! "the program is wrong": the database is restarting or unreachable, its disk is full, the file
//! cannot be written. Those answer 503 with `Retry-After` (nothing was stored; sending again later
//! works), never the 500 page, and the web edge asks this module instead of parsing messages.

use std::error::Error;
use std::ops::Deref;

use sea_orm::sqlx;
use sea_orm::{DbErr, RuntimeErr};

use super::StoreError;

/// The database cannot serve the statement for a reason outside this request: a connection that
/// could not be had or broke, a server shutting down, a full disk, a file opened read-only.
pub fn is_outage(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => sqlx_outage(e),
        _ => false,
    }
}

fn sqlx_outage(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::BeginFailed => true,
        sqlx::Error::Database(db) => match db.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
            Some(_) => db.code().and_then(|c| c.parse::<i32>().ok()).is_some_and(sqlite_outage),
            None => db.code().is_some_and(|c| postgres_outage(c.deref())),
        },
        _ => false,
    }
}

/// SQLite result codes (the primary code is the low byte of the extended one): BUSY past the busy
/// timeout, LOCKED, READONLY (a file or mount that cannot be written), IOERR, FULL (the disk),
/// CANTOPEN.
fn sqlite_outage(extended: i32) -> bool {
    matches!(extended & 0xff, 5 | 6 | 8 | 10 | 13 | 14)
}

/// PostgreSQL SQLSTATEs: class 08 (connection exception), 53 (insufficient resources: disk full, out
/// of memory, too many connections), 57P01-57P03 (the server is shutting down, crashed, or is not
/// accepting connections yet), 25006 (a read-only standby).
fn postgres_outage(sqlstate: &str) -> bool {
    sqlstate.starts_with("08")
        || sqlstate.starts_with("53")
        || matches!(sqlstate, "57P01" | "57P02" | "57P03" | "25006")
}

/// A file that could not be written for the same kind of reason (photos go to the data folder).
fn io_outage(err: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(err.kind(), StorageFull | QuotaExceeded | ReadOnlyFilesystem | PermissionDenied)
}

impl StoreError {
    pub fn is_outage(&self) -> bool {
        match self {
            StoreError::Db(db) => is_outage(db),
            StoreError::Unexpected(e) => in_chain(e.as_ref()),
            StoreError::NotFound | StoreError::Conflict(_) => false,
        }
    }
}

/// Whether an outage is anywhere in `err`'s chain of causes (errors travel up wrapped in `anyhow`
/// contexts; the cause keeps its type).
pub fn in_chain(err: &(dyn Error + 'static)) -> bool {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(s) = e.downcast_ref::<StoreError>() {
            // `Db` is transparent: its source is the driver error, not the `DbErr` itself.
            if s.is_outage() {
                return true;
            }
        } else if let Some(db) = e.downcast_ref::<DbErr>() {
            if is_outage(db) {
                return true;
            }
        } else if let Some(sqlx) = e.downcast_ref::<sqlx::Error>() {
            if sqlx_outage(sqlx) {
                return true;
            }
        } else if let Some(io) = e.downcast_ref::<std::io::Error>()
            && io_outage(io)
        {
            return true;
        }
        next = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_codes_that_mean_the_storage_is_unavailable() {
        // SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR_WRITE (778), SQLITE_BUSY
        for code in [13, 8, 778, 5, 14] {
            assert!(sqlite_outage(code), "{code}");
        }
        // SQLITE_CONSTRAINT_UNIQUE (2067), SQLITE_ERROR (a bad statement)
        for code in [2067, 1, 19] {
            assert!(!sqlite_outage(code), "{code}");
        }
    }

    #[test]
    fn postgres_states_that_mean_the_server_is_unavailable() {
        for state in ["57P01", "57P03", "08006", "53100", "25006"] {
            assert!(postgres_outage(state), "{state}");
        }
        for state in ["23505", "42P01", "40001", "22001"] {
            assert!(!postgres_outage(state), "{state}");
        }
    }

    #[test]
    fn an_outage_is_found_under_contexts() {
        let db = DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout);
        let wrapped = anyhow::Error::from(StoreError::Db(db)).context("loading the line");
        assert!(in_chain(wrapped.as_ref()));
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert!(in_chain(anyhow::Error::from(full).context("writing a photo failed").as_ref()));
        let other = anyhow::anyhow!("a template failed");
        assert!(!in_chain(other.as_ref()));
        assert!(!StoreError::Conflict("duplicate".into()).is_outage());
    }
}
