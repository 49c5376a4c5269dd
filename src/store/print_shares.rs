//! Print-share links: which lines a print shop may download, until when, and whether the
//! manufacturer revoked the link. Tokens are stored only as SHA-256 hashes.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::{manufacturer, print_share, print_share_line, product_line};
use super::{StoreError, hash_token, new_share_token, now};

pub struct NewShare {
    pub manufacturer_id: Uuid,
    /// Lines of this manufacturer; duplicates are ignored.
    pub line_ids: Vec<Uuid>,
    /// A valid profile name (checked by the caller against `printable/`).
    pub profile: String,
    pub note: Option<String>,
    /// How long the link works from its creation.
    pub valid_for: time::Duration,
}

/// A share just created: the only moment its token exists outside the link holder's hands.
pub struct CreatedShare {
    pub share: print_share::Model,
    pub token: String,
    pub line_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareState {
    Active,
    Expired,
    Revoked,
}

impl ShareState {
    pub fn of(share: &print_share::Model, at: OffsetDateTime) -> ShareState {
        if share.revoked_at.is_some() {
            ShareState::Revoked
        } else if share.expires_at <= at {
            ShareState::Expired
        } else {
            ShareState::Active
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ShareState::Active => "active",
            ShareState::Expired => "expired",
            ShareState::Revoked => "revoked",
        }
    }
}

fn dedup(ids: &[Uuid]) -> Vec<Uuid> {
    let mut out: Vec<Uuid> = Vec::with_capacity(ids.len());
    for id in ids {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// Creates a share. Any line that is not this manufacturer's (or does not exist) is `NotFound`, so
/// ids of other manufacturers reveal nothing.
#[tracing::instrument(skip_all, fields(manufacturer_id = %new.manufacturer_id, lines = new.line_ids.len()))]
pub async fn create(db: &DatabaseConnection, new: NewShare) -> Result<CreatedShare, StoreError> {
    let line_ids = dedup(&new.line_ids);
    let owned = product_line::Entity::find()
        .filter(product_line::Column::ManufacturerId.eq(new.manufacturer_id))
        .filter(product_line::Column::Id.is_in(line_ids.clone()))
        .count(db)
        .await?;
    if line_ids.is_empty() || owned != line_ids.len() as u64 {
        return Err(StoreError::NotFound);
    }
    let token = new_share_token();
    let created_at = now();
    let share = print_share::ActiveModel {
        id: Set(Uuid::now_v7()),
        manufacturer_id: Set(new.manufacturer_id),
        token_hash: Set(hash_token(&token)),
        profile: Set(new.profile),
        note: Set(new.note),
        created_at: Set(created_at),
        expires_at: Set(created_at + new.valid_for),
        revoked_at: Set(None),
    };
    let txn = super::begin_write(db).await?;
    let share = share.insert(&txn).await?;
    print_share_line::Entity::insert_many(
        line_ids.iter().map(|id| print_share_line::ActiveModel { share_id: Set(share.id), product_line_id: Set(*id) }),
    )
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(CreatedShare { share, token, line_ids })
}

async fn line_ids_of(db: &DatabaseConnection, share_ids: Vec<Uuid>) -> Result<HashMap<Uuid, Vec<Uuid>>, StoreError> {
    let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if share_ids.is_empty() {
        return Ok(out);
    }
    let rows = print_share_line::Entity::find()
        .filter(print_share_line::Column::ShareId.is_in(share_ids))
        .order_by_asc(print_share_line::Column::ProductLineId)
        .all(db)
        .await?;
    for r in rows {
        out.entry(r.share_id).or_default().push(r.product_line_id);
    }
    Ok(out)
}

/// Every share of a manufacturer, newest first, with its line ids.
#[tracing::instrument(skip_all, fields(%manufacturer_id))]
pub async fn list(
    db: &DatabaseConnection,
    manufacturer_id: Uuid,
) -> Result<Vec<(print_share::Model, Vec<Uuid>)>, StoreError> {
    let shares = print_share::Entity::find()
        .filter(print_share::Column::ManufacturerId.eq(manufacturer_id))
        .order_by_desc(print_share::Column::CreatedAt)
        .order_by_desc(print_share::Column::Id)
        .all(db)
        .await?;
    let mut lines = line_ids_of(db, shares.iter().map(|s| s.id).collect()).await?;
    Ok(shares
        .into_iter()
        .map(|s| {
            let ids = lines.remove(&s.id).unwrap_or_default();
            (s, ids)
        })
        .collect())
}

/// Revokes a share at once; revoking twice keeps the first time. `manufacturer_id` scopes the
/// lookup (the API); `None` is the operator's command line, which may revoke any share.
#[tracing::instrument(skip_all, fields(%id))]
pub async fn revoke(
    db: &DatabaseConnection,
    manufacturer_id: Option<Uuid>,
    id: Uuid,
) -> Result<(print_share::Model, Vec<Uuid>), StoreError> {
    let mut q = print_share::Entity::find_by_id(id);
    if let Some(m) = manufacturer_id {
        q = q.filter(print_share::Column::ManufacturerId.eq(m));
    }
    let share = q.one(db).await?.ok_or(StoreError::NotFound)?;
    let share = if share.revoked_at.is_some() {
        share
    } else {
        let mut active = share.into_active_model();
        active.revoked_at = Set(Some(now()));
        active.update(db).await?
    };
    let ids = line_ids_of(db, vec![share.id]).await?.remove(&share.id).unwrap_or_default();
    Ok((share, ids))
}

/// What a share link opens: the share, whose it is, and its lines (oldest first).
pub struct OpenedShare {
    pub share: print_share::Model,
    pub manufacturer: String,
    pub lines: Vec<product_line::Model>,
}

/// The share a token opens, whatever its state (the caller answers 410 for expired or revoked
/// links, naming the manufacturer). `None` for a token nobody issued.
#[tracing::instrument(skip_all)]
pub async fn find_by_token(db: &DatabaseConnection, token: &str) -> Result<Option<OpenedShare>, StoreError> {
    let Some(share) =
        print_share::Entity::find().filter(print_share::Column::TokenHash.eq(hash_token(token.trim()))).one(db).await?
    else {
        return Ok(None);
    };
    let manufacturer =
        manufacturer::Entity::find_by_id(share.manufacturer_id).one(db).await?.ok_or(StoreError::NotFound)?.name;
    let ids = line_ids_of(db, vec![share.id]).await?.remove(&share.id).unwrap_or_default();
    // Scoped to the share's manufacturer as well: a link can never show another's line.
    let lines = product_line::Entity::find()
        .filter(product_line::Column::Id.is_in(ids))
        .filter(product_line::Column::ManufacturerId.eq(share.manufacturer_id))
        .order_by_asc(product_line::Column::CreatedAt)
        .order_by_asc(product_line::Column::Id)
        .all(db)
        .await?;
    Ok(Some(OpenedShare { share, manufacturer, lines }))
}
