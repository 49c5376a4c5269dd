//! Product lines by code, cached: the scan path reads a line on every view and lines change rarely.
//! Entries live for a short time so that a change made by another process shows within seconds; a
//! change made through this process is visible at once.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;

use super::entities::product_line;
use super::{StoreError, manufacturers, product_lines};
use crate::domain::{Code, FormConfig, LineStatus, Locale};

pub const TTL: Duration = Duration::from_secs(30);

/// A line with what its page needs, plus rendered pages the web layer may keep here.
pub struct CachedLine {
    pub line: product_line::Model,
    pub manufacturer: String,
    pub form: FormConfig,
    /// The empty form, rendered once per language; dropped with the entry.
    pub pages: Vec<OnceLock<bytes::Bytes>>,
}

impl CachedLine {
    pub fn retired(&self) -> bool {
        self.line.status == LineStatus::Retired.as_str()
    }

    /// `None` only if the locale list changed under a running process, which cannot happen.
    pub fn page_slot(&self, locale: Locale) -> Option<&OnceLock<bytes::Bytes>> {
        self.pages.get(locale.index())
    }
}

/// Code -> (when loaded, line).
type Entries = HashMap<String, (Instant, Arc<CachedLine>)>;

#[derive(Clone, Default)]
pub struct LineCache {
    entries: Arc<RwLock<Entries>>,
}

impl LineCache {
    pub async fn get(&self, db: &DatabaseConnection, code: &Code) -> Result<Option<Arc<CachedLine>>, StoreError> {
        if let Ok(entries) = self.entries.read()
            && let Some((at, line)) = entries.get(code.as_str())
            && at.elapsed() < TTL
        {
            return Ok(Some(line.clone()));
        }
        let Some(line) = product_lines::find_by_code(db, code).await? else {
            return Ok(None);
        };
        let manufacturer = manufacturers::get(db, line.manufacturer_id).await?.name;
        let form = FormConfig::from_stored(line.form_config.as_deref());
        let pages = Locale::all().map(|_| OnceLock::new()).collect();
        let cached = Arc::new(CachedLine { line, manufacturer, form, pages });
        if let Ok(mut entries) = self.entries.write() {
            // Unknown codes are not cached, so the map holds only real lines.
            entries.insert(code.as_str().to_owned(), (Instant::now(), cached.clone()));
        }
        Ok(Some(cached))
    }

    pub fn invalidate(&self, code: &str) {
        if let Ok(mut entries) = self.entries.write() {
            entries.remove(code);
        }
    }
}
