//! What a use case can answer besides success. The web layer turns these into API errors or pages,
//! the CLI into messages naming its flags; neither has to know how the store failed.

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing does not exist, or belongs to another manufacturer (indistinguishable on purpose).
    #[error("no such {0}")]
    NotFound(&'static str),
    /// A value the rules refuse; `field` is the input's name (API field, form field).
    #[error("{message}")]
    Invalid { field: &'static str, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl AppError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
        AppError::Invalid { field, message: message.into() }
    }

    /// `StoreError::NotFound` as "no such `what`"; any other store error unchanged.
    pub fn unless_missing(what: &'static str) -> impl Fn(StoreError) -> AppError {
        move |e| match e {
            StoreError::NotFound => AppError::NotFound(what),
            other => other.into(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound => AppError::NotFound("resource"),
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Db(db) => AppError::Unexpected(db.into()),
            StoreError::Unexpected(e) => AppError::Unexpected(e),
        }
    }
}
