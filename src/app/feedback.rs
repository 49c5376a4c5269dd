//! A customer's feedback, from a filled-in form to a durably stored report: validation against the
//! line's form, the honeypot, de-duplication of resubmissions, photos, and the group commit. The
//! caller answers only after this returns, so a customer never sees a thank-you for a report that
//! is not on disk.

use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::App;
use crate::domain::feedback::FieldErrors;
use crate::domain::{FeedbackInput, Locale};
use crate::photos::{PhotoError, Processed};
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

/// Identical content from the same client, whatever the window: every field the customer sends and
/// the bytes of every photo, so a resubmission that adds or changes anything is a new report and
/// only a true double tap is folded into the first. `client` is the day's hashed client key, so
/// nothing here can be turned back into an address.
fn fingerprint(client: &str, input: &FeedbackInput, photos: &[Vec<u8>]) -> String {
    let mut h = Sha256::new();
    // Ticked and unticked must differ even when a ticked box sends an empty value.
    let consent = match &input.consent {
        Some(v) => format!("1{v}"),
        None => String::from("0"),
    };
    for part in [
        client,
        input.kind.trim(),
        input.rating.trim(),
        input.category.trim(),
        input.comment.trim(),
        input.email.trim(),
        input.lot.trim(),
        input.serial.trim(),
        input.recommend.trim(),
        input.usage.trim(),
        &consent,
    ] {
        // Length-prefixed, so no field can run into the next.
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.update((photos.len() as u64).to_le_bytes());
    for photo in photos {
        h.update(Sha256::digest(photo));
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

/// Decodes, turns upright and re-encodes the photos, one decode slot per photo (CPU and memory
/// bound: see [`App::decode_photo`]).
async fn decode_photos(app: &App, photos: Vec<Vec<u8>>) -> Result<Result<Vec<Processed>, PhotoError>, SubmitError> {
    let mut out = Vec::with_capacity(photos.len());
    for photo in photos {
        match app.decode_photo(move || crate::photos::process(&photo)).await? {
            Ok(p) => out.push(p),
            Err(e) => return Ok(Err(e)),
        }
    }
    Ok(Ok(out))
}

/// The consent sentence next to the email box, in `locale`: the page shows it and the report keeps it,
/// so what is stored is exactly what was shown.
pub fn consent_text(locale: Locale, manufacturer: &str) -> String {
    crate::i18n::Tr(locale).t_str("consent-label", "manufacturer", manufacturer)
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

    let [key, previous_key] = store::reports::dedupe_keys(&fingerprint(client, &input, &photos), store::now());
    let upload_bytes: u64 = photos.iter().map(|p| p.len() as u64).sum();
    // Photos are decoded before anything is acknowledged, a resubmission's too: a 303 always means
    // every photo in the request was a readable picture.
    let processed = if photos.is_empty() {
        Vec::new()
    } else {
        match decode_photos(app, photos).await? {
            Ok(p) => p,
            Err(e) => return Err(SubmitError::Invalid(FieldErrors::from([("photo", photo_error_key(&e))]))),
        }
    };
    if store::reports::is_duplicate(&app.db, line.line.id, &[key.clone(), previous_key]).await? {
        return Ok(duplicate);
    }
    let report_id = Uuid::now_v7();

    let stored = if processed.is_empty() {
        Vec::new()
    } else {
        let data_dir = app.settings.data_dir.clone();
        tokio::task::spawn_blocking(move || {
            let mut written = Vec::with_capacity(processed.len());
            for (i, p) in processed.iter().enumerate() {
                match store::photo_files::save(&data_dir, report_id, i, p) {
                    Ok(s) => written.push(s),
                    Err(e) => {
                        // Files written before the failure: no row will ever point at them.
                        let rels: Vec<String> = written
                            .iter()
                            .flat_map(|s: &store::reports::StoredPhoto| [s.path.clone(), s.thumb_path.clone()])
                            .collect();
                        store::photo_files::remove(&data_dir, &rels);
                        return Err(e);
                    }
                }
            }
            Ok(written)
        })
        .await
        .map_err(|e| anyhow::anyhow!("photo task failed: {e}"))?
        .map_err(|e| anyhow::Error::from(e).context("writing a photo failed"))?
    };
    let files: Vec<String> = stored.iter().flat_map(|p| [p.path.clone(), p.thumb_path.clone()]).collect();
    let mut new =
        store::reports::build(report_id, line.line.manufacturer_id, line.line.id, &feedback, locale, Some(key), stored);
    if feedback.email.is_some() {
        // The sentence exactly as the scan page showed it in this language: what the customer agreed to.
        new.report.consent_text = sea_orm::ActiveValue::Set(Some(consent_text(locale, &line.manufacturer)));
        new.report.consent_locale = sea_orm::ActiveValue::Set(Some(locale.tag().to_owned()));
    }
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
