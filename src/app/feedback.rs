//! A customer's feedback, from a filled-in form to a durably stored report: validation against the
//! line's form, the honeypot, de-duplication of resubmissions, photos, and the group commit. The
//! caller answers only after this returns, so a customer never sees a thank-you for a report that
//! is not on disk.

use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::App;
use crate::domain::feedback::FieldErrors;
use crate::domain::{FeedbackInput, Locale};
use crate::photos::PhotoError;
use crate::store::{self, line_cache::CachedLine};

/// A submission as it arrived.
pub struct Submission {
    pub input: FeedbackInput,
    /// The photo files, unprocessed.
    pub photos: Vec<Vec<u8>>,
    /// A problem found while reading the photos (message key), to be shown on the form.
    pub photo_error: Option<&'static str>,
}

/// A submission that was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    /// The same submission was already stored (a double tap, a resend): acknowledged as that one.
    pub duplicate: bool,
    /// The customer left an email for an answer.
    pub reply: bool,
    /// Photo bytes received for a new report.
    pub upload_bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The invisible honeypot field was filled.
    #[error("the honeypot field was filled")]
    Spam,
    /// Field -> message key; the form is shown again with the values kept.
    #[error("the form has errors")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<store::StoreError> for SubmitError {
    fn from(e: store::StoreError) -> SubmitError {
        SubmitError::Unexpected(e.into())
    }
}

/// Identical content from the same client, whatever the window; `client` is the day's hashed
/// client key, so nothing here can be turned back into an address.
fn fingerprint(client: &str, input: &FeedbackInput) -> String {
    let mut h = Sha256::new();
    for part in [
        client,
        &input.kind,
        &input.rating,
        &input.category,
        input.comment.trim(),
        input.email.trim(),
        input.lot.trim(),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(&h.finalize()[..16])
}

fn photo_error_key(e: &PhotoError) -> &'static str {
    match e {
        PhotoError::UnsupportedFormat | PhotoError::Corrupt => "error-photo-format",
        PhotoError::TooLarge => "error-photo-too-large",
        PhotoError::TooManyPixels => "error-photo-pixels",
        PhotoError::Encode(_) => "error-photo-format",
    }
}

/// Validates and stores one submission for `line`. Returns once the report is committed.
pub async fn submit(
    app: &App,
    line: &CachedLine,
    submission: Submission,
    client: &str,
    locale: Locale,
) -> Result<Accepted, SubmitError> {
    let Submission { input, photos, photo_error } = submission;
    if !input.website.trim().is_empty() {
        return Err(SubmitError::Spam);
    }
    let validated = input.validate(&line.form);
    let mut errors = validated.as_ref().err().cloned().unwrap_or_default();
    if let Some(key) = photo_error {
        errors.insert("photo", key);
    }
    if !photos.is_empty() && !line.form.allow_photos {
        errors.insert("photo", "error-photo-count");
    }
    let feedback = match validated {
        Ok(f) if errors.is_empty() => f,
        _ => return Err(SubmitError::Invalid(errors)),
    };
    let reply = feedback.email.is_some();
    let duplicate = Accepted { duplicate: true, reply, upload_bytes: 0 };

    let [key, previous_key] = store::reports::dedupe_keys(&fingerprint(client, &input), store::now());
    if store::reports::is_duplicate(&app.db, line.line.id, &[key.clone(), previous_key]).await? {
        return Ok(duplicate);
    }
    let report_id = Uuid::now_v7();
    let upload_bytes: u64 = photos.iter().map(|p| p.len() as u64).sum();
    // Decoding and re-encoding photos is CPU work: keep it off the async workers.
    let data_dir = app.settings.data_dir.clone();
    let stored = tokio::task::spawn_blocking(move || {
        photos
            .iter()
            .enumerate()
            .map(|(i, upload)| {
                let processed = crate::photos::process(upload).map_err(Ok)?;
                store::photo_files::save(&data_dir, report_id, i, &processed).map_err(Err)
            })
            .collect::<Result<Vec<_>, Result<PhotoError, std::io::Error>>>()
    })
    .await
    .map_err(|e| anyhow::anyhow!("photo task failed: {e}"))?;
    let stored = match stored {
        Ok(s) => s,
        Err(Ok(photo_error)) => {
            return Err(SubmitError::Invalid(FieldErrors::from([("photo", photo_error_key(&photo_error))])));
        }
        Err(Err(io)) => return Err(anyhow::Error::from(io).context("writing a photo failed").into()),
    };
    let files: Vec<String> = stored.iter().flat_map(|p| [p.path.clone(), p.thumb_path.clone()]).collect();
    let new =
        store::reports::build(report_id, line.line.manufacturer_id, line.line.id, &feedback, locale, Some(key), stored);
    match app.reports.write(new).await {
        Ok(()) => {
            // Its `report.created` deliveries were queued in the report's transaction.
            app.webhooks.notify_one();
            Ok(Accepted { duplicate: false, reply, upload_bytes })
        }
        // An identical submission committed first: this one is acknowledged as the same report,
        // and its own photo files, which no row will ever point at, go.
        Err(store::StoreError::Conflict(_)) => {
            if !files.is_empty() {
                let dir = app.settings.data_dir.clone();
                let _ = tokio::task::spawn_blocking(move || store::photo_files::remove(&dir, &files)).await;
            }
            Ok(duplicate)
        }
        Err(e) => Err(e.into()),
    }
}
