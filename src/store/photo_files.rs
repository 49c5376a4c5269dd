//! Photo files under the data directory: `photos/YYYY/MM/<report>-<n>.jpg` and `-thumb.jpg`. Written
//! and flushed to disk before the report row is committed, so a committed report never points at a
//! missing file. Blocking I/O: call from a blocking thread.

use std::io::Write;
use std::path::Path;

use uuid::Uuid;

use super::reports::StoredPhoto;
use crate::photos::Processed;

pub fn save(data_dir: &Path, report_id: Uuid, index: usize, photo: &Processed) -> std::io::Result<StoredPhoto> {
    let now = time::OffsetDateTime::now_utc();
    let rel_dir = format!("photos/{:04}/{:02}", now.year(), u8::from(now.month()));
    let dir = data_dir.join(&rel_dir);
    std::fs::create_dir_all(&dir)?;
    let name = format!("{report_id}-{index}.jpg");
    let thumb = format!("{report_id}-{index}-thumb.jpg");
    write_synced(&dir.join(&name), &photo.display)?;
    write_synced(&dir.join(&thumb), &photo.thumb)?;
    Ok(StoredPhoto {
        path: format!("{rel_dir}/{name}"),
        thumb_path: format!("{rel_dir}/{thumb}"),
        width: photo.width,
        height: photo.height,
        bytes: photo.display.len() as u64,
    })
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Removes photo files that no report refers to (best effort: a leftover file harms nothing).
pub fn remove(data_dir: &Path, rels: &[String]) {
    for rel in rels {
        if rel.split('/').any(|part| part == ".." || part.is_empty()) {
            continue;
        }
        if let Err(e) = std::fs::remove_file(data_dir.join(rel)) {
            tracing::warn!(file = %rel, error = %e, "could not remove an unreferenced photo file");
        }
    }
}

/// Reads a stored photo; `rel` comes from the database, never from a request.
pub fn read(data_dir: &Path, rel: &str) -> std::io::Result<Vec<u8>> {
    if rel.split('/').any(|part| part == ".." || part.is_empty()) {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "bad photo path"));
    }
    std::fs::read(data_dir.join(rel))
}

/// Writes a product picture as `lines/<line>-<random>.jpg`; a new name per upload lets browsers
/// cache the file forever.
pub fn save_product_image(data_dir: &Path, line_id: Uuid, jpeg: &[u8]) -> std::io::Result<String> {
    let dir = data_dir.join("lines");
    std::fs::create_dir_all(&dir)?;
    let name = format!("{line_id}-{}.jpg", Uuid::new_v4().simple());
    write_synced(&dir.join(&name), jpeg)?;
    Ok(format!("lines/{name}"))
}
