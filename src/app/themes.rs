//! Themes and rising phrases of one product line, for the line page, the API and digests: reads
//! only the comments it needs (one line, one period, newest first, at most [`MAX_COMMENTS`]) and
//! groups them on the blocking pool (`domain::themes`). Never on the scan or submit path: nothing
//! is stored; a line's themes are kept in memory for [`CACHE_FOR`], so reloading a line page does
//! not group its comments again.

use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::{App, AppError};
use crate::domain::rollup::Window;
use crate::domain::themes::{self, Rise};
use crate::domain::{LineId, ManufacturerId, ReportId};
use crate::store;

/// Comments read per period, newest first: bounds the time (about 0.4 s for 10,000 in a release
/// build, docs/performance.md) and the memory (the comments' text). A capped read says so.
pub const MAX_COMMENTS: u64 = 10_000;
/// Days of the period that rises are measured in, at the end of the window, and of the baseline
/// just before it.
pub const RISE_DAYS: i64 = 7;
pub const BASELINE_DAYS: i64 = 28;
/// Themes and rises returned, largest first.
pub const THEMES_SHOWN: usize = 10;
pub const RISES_SHOWN: usize = 10;
/// Example comments per theme, and their length.
pub const EXAMPLES: usize = 3;
const EXCERPT_CHARS: usize = 160;
/// A theme is at least two comments: one is a comment.
const MIN_THEME: usize = 2;
/// How long a line's themes are reused: they are at most this old.
pub const CACHE_FOR: std::time::Duration = std::time::Duration::from_secs(60);
/// Lines whose themes are kept at once.
const CACHE_LINES: usize = 64;

/// A line and its window's bounds (Unix seconds).
type CacheKey = (Uuid, i64, i64);

/// Recently computed themes per (line, window), with when they were computed.
#[derive(Default)]
pub struct Cache {
    entries: std::sync::Mutex<std::collections::HashMap<CacheKey, (std::time::Instant, LineThemes)>>,
}

impl Cache {
    fn get(&self, key: CacheKey) -> Option<LineThemes> {
        let entries = self.entries.lock().ok()?;
        entries.get(&key).filter(|(at, _)| at.elapsed() < CACHE_FOR).map(|(_, t)| t.clone())
    }

    /// Forgets every line's themes (after an erasure: they quote comments).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }

    fn put(&self, key: CacheKey, themes: LineThemes) {
        let Ok(mut entries) = self.entries.lock() else { return };
        entries.retain(|_, (at, _)| at.elapsed() < CACHE_FOR);
        if entries.len() >= CACHE_LINES
            && let Some(oldest) = entries.iter().min_by_key(|(_, (at, _))| *at).map(|(k, _)| *k)
        {
            entries.remove(&oldest);
        }
        entries.insert(key, (std::time::Instant::now(), themes));
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub report_id: ReportId,
    pub created_at: OffsetDateTime,
    pub excerpt: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub count: usize,
    pub label: String,
    /// The most central comments first.
    pub examples: Vec<Example>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rising {
    pub window: Window,
    pub baseline: Window,
    /// Comments read in each (each at most [`MAX_COMMENTS`]).
    pub comments: usize,
    pub baseline_comments: usize,
    /// Whether either read hit [`MAX_COMMENTS`] (then the newest of its period were read).
    pub capped: bool,
    pub rises: Vec<Rise>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LineThemes {
    pub window: Window,
    /// Comments the themes were made from; `capped` when the window had more.
    pub comments: usize,
    pub capped: bool,
    pub themes: Vec<Theme>,
    pub rising: Rising,
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

async fn read(app: &App, line: Uuid, window: Window) -> Result<(Vec<store::themes::Comment>, bool), AppError> {
    let mut comments = store::themes::comments(&app.db, line, window.start(), window.end(), MAX_COMMENTS + 1).await?;
    let capped = comments.len() as u64 > MAX_COMMENTS;
    comments.truncate(MAX_COMMENTS as usize);
    Ok((comments, capped))
}

/// Runs pure work on the blocking pool: grouping 10,000 comments takes a core for a while.
async fn blocking<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    tokio::task::spawn_blocking(job).await.map_err(|e| AppError::Unexpected(e.into()))
}

/// The themes of a line's comments in `window`, and the phrases rising in its last
/// [`RISE_DAYS`] days against the [`BASELINE_DAYS`] before. Another manufacturer's line is not found.
#[tracing::instrument(skip_all, fields(%who, %id))]
pub async fn line(app: &App, who: ManufacturerId, id: LineId, window: Window) -> Result<LineThemes, AppError> {
    super::lines::get(app, who, id).await?;
    let key = (id.get(), window.start().unix_timestamp(), window.end().unix_timestamp());
    if let Some(cached) = app.themes.get(key) {
        return Ok(cached);
    }
    let computed = compute(app, id, window).await?;
    app.themes.put(key, computed.clone());
    Ok(computed)
}

async fn compute(app: &App, id: LineId, window: Window) -> Result<LineThemes, AppError> {
    let (comments, capped) = read(app, id.get(), window).await?;
    let rise_window = Window::new(window.end() - Duration::days(RISE_DAYS), window.end())
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("rise window: {e}")))?;
    let rising = rising(app, id.get(), rise_window).await?;
    let count = comments.len();
    let themes = blocking(move || {
        let texts: Vec<&str> = comments.iter().map(|c| c.text.as_str()).collect();
        themes::themes(&texts, MIN_THEME)
            .into_iter()
            .take(THEMES_SHOWN)
            .map(|t| Theme {
                count: t.count,
                label: t.label,
                examples: t
                    .members
                    .iter()
                    .take(EXAMPLES)
                    .map(|&i| Example {
                        report_id: ReportId(comments[i].report_id),
                        created_at: comments[i].created_at,
                        excerpt: excerpt(&comments[i].text),
                    })
                    .collect(),
            })
            .collect()
    })
    .await?;
    Ok(LineThemes { window, comments: count, capped, themes, rising })
}

/// Phrases of a line's comments in `window` whose share rose against the [`BASELINE_DAYS`] before
/// it. The caller has checked the line is the reader's (digests read their own lines).
pub async fn rising(app: &App, line: Uuid, window: Window) -> Result<Rising, AppError> {
    let baseline = Window::new(window.start() - Duration::days(BASELINE_DAYS), window.start())
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("baseline window: {e}")))?;
    let (now, capped_now) = read(app, line, window).await?;
    let (before, capped_before) = read(app, line, baseline).await?;
    let (comments, baseline_comments) = (now.len(), before.len());
    let rises = blocking(move || {
        let now: Vec<&str> = now.iter().map(|c| c.text.as_str()).collect();
        let before: Vec<&str> = before.iter().map(|c| c.text.as_str()).collect();
        themes::rising(&now, &before, RISES_SHOWN)
    })
    .await?;
    Ok(Rising { window, baseline, comments, baseline_comments, capped: capped_now || capped_before, rises })
}
