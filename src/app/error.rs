//! What a use case can answer besides success. The web layer turns these into API errors or pages,
//! the CLI into messages naming its flags; neither has to know how the store failed.

use crate::domain::Locale;
use crate::i18n::Tr;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing does not exist, or belongs to another manufacturer (indistinguishable on purpose).
    #[error("no such {0}")]
    NotFound(&'static str),
    /// A value the rules refuse; `field` is the input's name (API field, form field). `said` names
    /// the translation of `message`, for pages in the reader's language (`message` is English).
    #[error("{message}")]
    Invalid { field: &'static str, message: String, said: Option<Said> },
    #[error("{0}")]
    Conflict(String),
    /// The member's role does not allow this.
    #[error("{0}")]
    Forbidden(&'static str),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// A refusal as a translation key (in `locales/`) with at most one number in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Said {
    pub key: &'static str,
    pub number: Option<(&'static str, i64)>,
}

impl Said {
    pub fn text(self, tr: Tr) -> String {
        match self.number {
            Some((name, n)) => tr.t_num(self.key, name, n),
            None => tr.t(self.key),
        }
    }
}

impl AppError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
        AppError::Invalid { field, message: message.into(), said: None }
    }

    /// A refusal people read on pages: the message is the English translation of `key`.
    pub fn refused(field: &'static str, key: &'static str) -> AppError {
        Self::said(field, Said { key, number: None })
    }

    /// As [`AppError::refused`], with one number (`{ $name }` in the translation).
    pub fn refused_n(field: &'static str, key: &'static str, name: &'static str, n: i64) -> AppError {
        Self::said(field, Said { key, number: Some((name, n)) })
    }

    fn said(field: &'static str, said: Said) -> AppError {
        AppError::Invalid { field, message: said.text(Tr(Locale::DEFAULT)), said: Some(said) }
    }

    /// What to show a person reading `tr`'s language, for a refusal; `None` for other errors.
    pub fn refusal_text(&self, tr: Tr) -> Option<String> {
        match self {
            AppError::Invalid { said: Some(said), .. } => Some(said.text(tr)),
            AppError::Invalid { message, .. } | AppError::Conflict(message) => Some(message.clone()),
            _ => None,
        }
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
