// stand-in: replaced by the lead's module at merge
//! Replies to customers. The real module (mail in the report's language, the `/r/{token}` link,
//! the status moving to "in progress") is written on main; this one only fixes the signature the
//! inbox's reply form calls.

use super::accounts::Member;
use super::{App, AppError};
use crate::domain::{ReportId, ReportStatus};

pub async fn send_reply(
    app: &App,
    who: &Member,
    report: ReportId,
    message: &str,
    status: Option<ReportStatus>,
) -> Result<(), AppError> {
    let _ = (app, who, report, message, status);
    Err(AppError::Forbidden("replies are not built yet"))
}
