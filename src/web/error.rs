//! Errors at the web edge, turned into responses in one place: JSON with a stable snake_case code for
//! the API, a page in the visitor's language for public routes. The log keeps the whole cause; the
//! response says what a person can act on.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::app::AppError;
use crate::domain::Locale;
use crate::store::{StoreError, outage};
use crate::web::pages;

/// What a 503 asks a client to wait: a database restart or failover takes seconds; a full disk
/// takes an operator, and the page says "in a few minutes" to people either way.
pub const RETRY_AFTER_SECONDS: u32 = 10;

/// The cause is storage that cannot take requests just now (see `store::outage`): 503 and
/// `Retry-After` instead of the 500 answer, since nothing was stored and sending again later works.
fn is_outage(e: &anyhow::Error) -> bool {
    outage::in_chain(e.as_ref())
}

/// `res` as a 503 that says when to come back.
pub fn unavailable(mut res: HttpResponse) -> HttpResponse {
    *res.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    res.headers_mut().insert(actix_web::http::header::RETRY_AFTER, RETRY_AFTER_SECONDS.into());
    res
}

/// Messages often quote what the client sent: control characters in them are shown escaped
/// (`\u{1b}`, `\n`), so that neither the answer nor the log line they end up in can be forged.
fn printable(message: &str) -> String {
    if !message.chars().any(char::is_control) {
        return message.to_owned();
    }
    message.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("a valid API token is required: send `Authorization: Bearer <token>`")]
    Unauthorized,
    #[error("this API token may only read; create a token with the write scope in the dashboard")]
    ReadOnlyToken,
    #[error("{}", printable(.0))]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{}", printable(.message))]
    Invalid { field: Option<&'static str>, message: String },
    #[error("{}", printable(.0))]
    Conflict(String),
    #[error("{}", printable(.0))]
    BadRequest(String),
    #[error("{}", printable(.0))]
    TooLarge(String),
    #[error("an unexpected error happened; it has been logged")]
    Unexpected(#[from] anyhow::Error),
}

impl ApiError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Invalid { field: Some(field), message: message.into() }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthorized => "unauthorized",
            ApiError::ReadOnlyToken | ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Invalid { .. } => "invalid",
            ApiError::Conflict(_) => "conflict",
            ApiError::BadRequest(_) => "bad_request",
            ApiError::TooLarge(_) => "too_large",
            ApiError::Unexpected(e) if is_outage(e) => "unavailable",
            ApiError::Unexpected(_) => "internal",
        }
    }
}

impl ApiError {
    /// For `map_err`: a store `NotFound` becomes a 404 naming `what`; anything else as usual.
    pub fn unless_missing(what: &'static str) -> impl Fn(StoreError) -> ApiError {
        move |e| match e {
            StoreError::NotFound => ApiError::NotFound(what),
            other => other.into(),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        match e {
            AppError::NotFound(what) => ApiError::NotFound(what),
            AppError::Invalid { field, message, .. } => ApiError::Invalid { field: Some(field), message },
            AppError::Conflict(m) => ApiError::Conflict(m),
            AppError::Forbidden(why) => ApiError::Forbidden(why.to_owned()),
            AppError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound => ApiError::NotFound("resource"),
            StoreError::Conflict(m) => ApiError::Conflict(m),
            other => ApiError::Unexpected(anyhow::Error::new(other)),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::ReadOnlyToken | ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unexpected(e) if is_outage(e) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut message = self.to_string();
        if let ApiError::Unexpected(e) = self {
            if is_outage(e) {
                tracing::warn!(error = ?e, "API request failed: storage unavailable");
                message = format!(
                    "the database cannot take requests just now; nothing was changed; retry in {RETRY_AFTER_SECONDS} seconds"
                );
            } else {
                tracing::error!(error = ?e, "API request failed");
            }
        }
        let field = match self {
            ApiError::Invalid { field, .. } => *field,
            _ => None,
        };
        let mut res = HttpResponse::build(self.status_code());
        if matches!(self, ApiError::Unauthorized) {
            res.insert_header(("WWW-Authenticate", "Bearer realm=\"scanback\""));
        }
        if self.status_code() == StatusCode::SERVICE_UNAVAILABLE {
            res.insert_header((actix_web::http::header::RETRY_AFTER, RETRY_AFTER_SECONDS));
        }
        res.json(serde_json::json!({
            "error": { "code": self.code(), "message": message, "field": field }
        }))
    }
}

/// Errors on public pages. Each renders a page in the visitor's language.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("unknown code")]
    UnknownCode { locale: Locale, code: String },
    #[error("mistyped code")]
    MistypedCode { locale: Locale, code: String },
    #[error("request body too large")]
    TooLarge { locale: Locale },
    #[error("bad request")]
    BadRequest { locale: Locale },
    #[error("unexpected: {source}")]
    Unexpected { locale: Locale, source: anyhow::Error },
    /// A print-share token nobody issued, or a file that is not part of the link.
    #[error("unknown print link")]
    UnknownShare { locale: Locale },
    /// An expired or revoked print-share link: 410, naming the manufacturer to ask for a new one.
    #[error("print link gone")]
    ShareGone { locale: Locale, manufacturer: String, revoked: bool },
    /// Artwork could not be made for a print link (the generic error page talks about reports).
    #[error("print artwork failed: {source}")]
    PrintFailed { locale: Locale, source: anyhow::Error },
    /// A print link's file refused for what was asked (a size outside the code's range, a name
    /// the print font cannot set): 422 with the reason, already in the visitor's language.
    #[error("print artwork refused: {message}")]
    PrintRefused { locale: Locale, message: String },
}

impl PageError {
    pub fn unexpected(locale: Locale, source: impl Into<anyhow::Error>) -> PageError {
        PageError::Unexpected { locale, source: source.into() }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::UnknownCode { .. } | PageError::MistypedCode { .. } => StatusCode::NOT_FOUND,
            PageError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            PageError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            PageError::Unexpected { source, .. } | PageError::PrintFailed { source, .. } if is_outage(source) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            PageError::Unexpected { .. } | PageError::PrintFailed { .. } => StatusCode::INTERNAL_SERVER_ERROR,
            PageError::UnknownShare { .. } => StatusCode::NOT_FOUND,
            PageError::ShareGone { .. } => StatusCode::GONE,
            PageError::PrintRefused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let PageError::Unexpected { locale, source } | PageError::PrintFailed { locale, source } = self
            && is_outage(source)
        {
            tracing::warn!(error = ?source, "public page failed: storage unavailable");
            return unavailable(pages::message(
                self.status_code(),
                *locale,
                "unavailable-title",
                "unavailable-body",
                None,
            ));
        }
        let (locale, heading, body, arg) = match self {
            PageError::ShareGone { locale, manufacturer, revoked } => {
                let (heading, body) = if *revoked {
                    ("share-revoked-title", "share-revoked-body")
                } else {
                    ("share-expired-title", "share-expired-body")
                };
                let args = [("manufacturer", manufacturer.clone().into())];
                return pages::message_with(self.status_code(), *locale, heading, body, &args);
            }
            PageError::UnknownShare { locale } => (*locale, "share-notfound-title", "share-notfound-body", None),
            PageError::PrintRefused { locale, message } => {
                return pages::message_text(self.status_code(), *locale, "print-refused-title", message.clone());
            }
            PageError::PrintFailed { locale, source } => {
                tracing::error!(error = ?source, "print page failed");
                (*locale, "error-title", "print-error-body", None)
            }
            PageError::UnknownCode { locale, code } => {
                (*locale, "notfound-title", "notfound-body", Some(code.as_str()))
            }
            PageError::MistypedCode { locale, code } => {
                (*locale, "mistyped-title", "mistyped-body", Some(code.as_str()))
            }
            PageError::TooLarge { locale } => (*locale, "toolarge-title", "toolarge-body", None),
            PageError::BadRequest { locale } => (*locale, "error-title", "error-body", None),
            PageError::Unexpected { locale, source } => {
                tracing::error!(error = ?source, "public page failed");
                (*locale, "error-title", "error-body", None)
            }
        };
        pages::message(self.status_code(), locale, heading, body, arg)
    }
}

/// Errors on the manufacturer's pages (the dashboard and signing in).
#[derive(Debug, thiserror::Error)]
pub enum DashError {
    /// Not signed in (or the session ended): to the sign-in page, coming back to `next` after.
    #[error("sign-in required")]
    SignIn { next: String },
    /// The member's role does not allow this.
    #[error("not allowed for this role")]
    Forbidden { locale: Locale },
    /// A form without this session's CSRF token, or posted from another site.
    #[error("form refused")]
    BadForm { locale: Locale },
    #[error("not found")]
    NotFound { locale: Locale },
    #[error("unexpected: {source}")]
    Unexpected { locale: Locale, source: anyhow::Error },
}

impl DashError {
    /// A use case's error on a page in `locale`; refusals a form can show are handled before this.
    pub fn from_app(locale: Locale) -> impl Fn(AppError) -> DashError {
        move |e| match e {
            AppError::NotFound(_) => DashError::NotFound { locale },
            AppError::Forbidden(_) => DashError::Forbidden { locale },
            other => DashError::Unexpected { locale, source: other.into() },
        }
    }
}

impl ResponseError for DashError {
    fn status_code(&self) -> StatusCode {
        match self {
            DashError::SignIn { .. } => StatusCode::SEE_OTHER,
            DashError::Forbidden { .. } | DashError::BadForm { .. } => StatusCode::FORBIDDEN,
            DashError::NotFound { .. } => StatusCode::NOT_FOUND,
            DashError::Unexpected { source, .. } if is_outage(source) => StatusCode::SERVICE_UNAVAILABLE,
            DashError::Unexpected { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (locale, heading, body) = match self {
            DashError::SignIn { next } => {
                let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
                return HttpResponse::SeeOther()
                    .insert_header((actix_web::http::header::LOCATION, format!("/login?next={next}")))
                    .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
                    .finish();
            }
            DashError::Forbidden { locale } => (*locale, "dash-forbidden-title", "dash-forbidden-body"),
            DashError::BadForm { locale } => (*locale, "dash-badform-title", "dash-badform-body"),
            DashError::NotFound { locale } => (*locale, "dash-notfound-title", "dash-notfound-body"),
            DashError::Unexpected { locale, source } if is_outage(source) => {
                tracing::warn!(error = ?source, "dashboard page failed: storage unavailable");
                let page =
                    pages::message(self.status_code(), *locale, "unavailable-title", "dash-unavailable-body", None);
                return unavailable(page);
            }
            DashError::Unexpected { locale, source } => {
                tracing::error!(error = ?source, "dashboard page failed");
                (*locale, "error-title", "dash-error-body")
            }
        };
        pages::message(self.status_code(), locale, heading, body, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_messages_are_shown_escaped() {
        let e = ApiError::invalid("kind", "unknown kind `\u{1b}[31m\nFAKE`");
        assert_eq!(e.to_string(), "unknown kind `\\u{1b}[31m\\nFAKE`");
        assert_eq!(ApiError::BadRequest("tab\there".into()).to_string(), "tab\\there");
        assert_eq!(ApiError::Conflict("plain – текст".into()).to_string(), "plain – текст");
    }

    #[test]
    fn an_outage_answers_503_with_retry_after_on_every_surface_and_anything_else_500() {
        use sea_orm::DbErr;
        let outage = || {
            let db = DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout);
            anyhow::Error::from(StoreError::Db(db)).context("loading the line")
        };
        let locale = Locale::DEFAULT;
        let answers = [
            ApiError::Unexpected(outage()).error_response(),
            ApiError::from(AppError::from(StoreError::Db(DbErr::ConnectionAcquire(
                sea_orm::error::ConnAcquireErr::ConnectionClosed,
            ))))
            .error_response(),
            PageError::unexpected(locale, outage()).error_response(),
            DashError::Unexpected { locale, source: outage() }.error_response(),
        ];
        for res in answers {
            assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(res.headers().get("retry-after").unwrap(), &RETRY_AFTER_SECONDS.to_string());
        }
        let bug = || anyhow::anyhow!("a template failed");
        assert_eq!(ApiError::Unexpected(bug()).error_response().status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(PageError::unexpected(locale, bug()).error_response().status(), StatusCode::INTERNAL_SERVER_ERROR);
        let dash = DashError::Unexpected { locale, source: bug() }.error_response();
        assert_eq!(dash.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(dash.headers().get("retry-after").is_none());
    }
}
