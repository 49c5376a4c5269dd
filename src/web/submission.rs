//! Reading a feedback submission: a urlencoded form, or multipart with up to three photos. Limits are
//! enforced while the body streams in, so an oversized upload is refused without being buffered.

use actix_multipart::Multipart;
use actix_web::error::PayloadError;
use actix_web::http::header::{CONTENT_TYPE, HeaderMap};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, web};
use futures_util::{Stream, StreamExt};

use crate::domain::FeedbackInput;
use crate::domain::form::MAX_PHOTOS;
use crate::photos::MAX_FILE_BYTES;

/// A urlencoded body has no field that needs more.
pub const FORM_LIMIT_BYTES: usize = 16 * 1024;
/// A multipart body: the photos plus the text fields.
pub const MULTIPART_LIMIT_BYTES: usize = MAX_PHOTOS * MAX_FILE_BYTES + 64 * 1024;
const TEXT_FIELD_LIMIT_BYTES: usize = 16 * 1024;

pub struct Upload {
    pub bytes: Vec<u8>,
}

pub struct Submission {
    pub input: FeedbackInput,
    pub photos: Vec<Upload>,
    /// Problems with the photos that the form must explain (message keys).
    pub photo_error: Option<&'static str>,
    /// A text field was not UTF-8: it is shown back with U+FFFD where bytes could not be read, and
    /// the form must be sent again rather than stored so.
    pub text_unreadable: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the body is larger than allowed")]
    TooLarge,
    #[error("the body cannot be read: {0}")]
    Unreadable(String),
}

pub async fn read(req: &HttpRequest, payload: web::Payload) -> Result<Submission, ReadError> {
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        read_multipart(req, payload).await
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let body = read_limited(payload, FORM_LIMIT_BYTES).await?;
        Ok(decode_urlencoded(&body))
    } else {
        Err(ReadError::Unreadable(format!("unsupported content type `{content_type}`")))
    }
}

/// A urlencoded feedback body, field by field. Public for the fuzz targets (fuzz/).
pub fn decode_urlencoded(body: &[u8]) -> Submission {
    let mut input = FeedbackInput::default();
    let mut text_unreadable = false;
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &b""[..]),
        };
        let (name, name_ok) = decode_form_part(name);
        let (value, value_ok) = decode_form_part(value);
        text_unreadable |= !(name_ok && value_ok);
        set_field(&mut input, &name, value);
    }
    Submission { input, photos: Vec::new(), photo_error: None, text_unreadable }
}

/// One name or value of a urlencoded form (`+` is a space), and whether its bytes were UTF-8.
fn decode_form_part(raw: &[u8]) -> (String, bool) {
    let spaced: Vec<u8> = raw.iter().map(|b| if *b == b'+' { b' ' } else { *b }).collect();
    let bytes: Vec<u8> = percent_encoding::percent_decode(&spaced).collect();
    match String::from_utf8(bytes) {
        Ok(s) => (s, true),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), false),
    }
}

/// The whole body, or `TooLarge` as soon as it passes `limit` (never buffered past it).
pub async fn read_limited(mut payload: web::Payload, limit: usize) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ReadError::Unreadable(e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn set_field(input: &mut FeedbackInput, name: &str, value: String) {
    let slot = match name {
        "kind" => &mut input.kind,
        "rating" => &mut input.rating,
        "comment" => &mut input.comment,
        "email" => &mut input.email,
        "lot" => &mut input.lot,
        "category" => &mut input.category,
        "recommend" => &mut input.recommend,
        "usage" => &mut input.usage,
        "serial" => &mut input.serial,
        "website" => &mut input.website,
        "consent" => {
            input.consent = Some(value);
            return;
        }
        _ => return,
    };
    *slot = value;
}

async fn read_multipart(req: &HttpRequest, payload: web::Payload) -> Result<Submission, ReadError> {
    read_multipart_stream(req.headers(), payload).await
}

/// A multipart feedback body from any byte stream. Public for the fuzz targets (fuzz/).
pub async fn read_multipart_stream<S>(headers: &HeaderMap, payload: S) -> Result<Submission, ReadError>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + 'static,
{
    let mut multipart = Multipart::new(headers, payload);
    let mut input = FeedbackInput::default();
    let mut photos = Vec::new();
    let mut photo_error = None;
    let mut text_unreadable = false;
    let mut total = 0usize;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|e| ReadError::Unreadable(e.to_string()))?;
        let name = field.content_disposition().and_then(|cd| cd.get_name()).unwrap_or("").to_owned();
        let is_photo = name == "photo";
        let limit = if is_photo { MAX_FILE_BYTES } else { TEXT_FIELD_LIMIT_BYTES };
        let mut data = Vec::new();
        let mut over = false;
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| ReadError::Unreadable(e.to_string()))?;
            total += chunk.len();
            if total > MULTIPART_LIMIT_BYTES {
                return Err(ReadError::TooLarge);
            }
            // Keep reading past a per-file limit (to reach the other fields) but stop storing.
            if !over && data.len() + chunk.len() > limit {
                over = true;
                data = Vec::new();
            }
            if !over {
                data.extend_from_slice(&chunk);
            }
        }
        if is_photo {
            if over {
                photo_error = Some("error-photo-too-large");
            } else if data.is_empty() {
                // A file input left empty still sends an empty part.
            } else if photos.len() >= MAX_PHOTOS {
                photo_error = Some("error-photo-count");
            } else {
                photos.push(Upload { bytes: data });
            }
        } else if over {
            return Err(ReadError::TooLarge);
        } else {
            let value = String::from_utf8(data).unwrap_or_else(|e| {
                text_unreadable = true;
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            });
            set_field(&mut input, &name, value);
        }
    }
    Ok(Submission { input, photos, photo_error, text_unreadable })
}
