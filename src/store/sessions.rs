//! Dashboard sessions. The cookie holds a random 256-bit value; the table holds its SHA-256, the user,
//! the manufacturer and the session's CSRF token. Every request reads the row, so signing out,
//! removing a member or changing a password takes effect at once, in every process.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use time::Duration;
use uuid::Uuid;

use super::entities::session::{self, Column, Model};
use super::{StoreError, hash_token, new_token, now};

/// A session lasts this long after its last use...
pub const IDLE: Duration = Duration::hours(12);
/// ...and never longer than this after sign-in.
pub const ABSOLUTE: Duration = Duration::days(14);

/// A session just made: the cookie value exists only here and in the browser.
pub struct NewSession {
    pub cookie: String,
    pub csrf_token: String,
}

pub async fn create(db: &DatabaseConnection, user_id: Uuid, manufacturer_id: Uuid) -> Result<NewSession, StoreError> {
    let cookie = new_token();
    let csrf_token = new_token();
    let at = now();
    session::Entity::insert(session::ActiveModel {
        id_hash: Set(hash_token(&cookie)),
        user_id: Set(user_id),
        manufacturer_id: Set(manufacturer_id),
        csrf_token: Set(csrf_token.clone()),
        created_at: Set(at),
        last_seen_at: Set(at),
        expires_at: Set(at + ABSOLUTE),
    })
    .exec(db)
    .await?;
    Ok(NewSession { cookie, csrf_token })
}

/// The live session a cookie names, its idle clock restarted; `None` for an unknown, expired or
/// idle one.
pub async fn find(db: &DatabaseConnection, cookie: &str) -> Result<Option<Model>, StoreError> {
    let at = now();
    let Some(found) = session::Entity::find_by_id(hash_token(cookie)).one(db).await? else {
        return Ok(None);
    };
    if found.expires_at <= at || found.last_seen_at + IDLE <= at {
        session::Entity::delete_by_id(found.id_hash).exec(db).await?;
        return Ok(None);
    }
    // One write per minute at most: enough for the idle clock, cheap on busy pages.
    if at - found.last_seen_at > Duration::minutes(1) {
        session::Entity::update_many()
            .col_expr(Column::LastSeenAt, Expr::value(at))
            .filter(Column::IdHash.eq(found.id_hash.clone()))
            .exec(db)
            .await?;
    }
    Ok(Some(found))
}

pub async fn delete(db: &DatabaseConnection, cookie: &str) -> Result<(), StoreError> {
    session::Entity::delete_by_id(hash_token(cookie)).exec(db).await?;
    Ok(())
}

/// Signs a user out everywhere (a removed member, a new password).
pub async fn delete_for_user(db: &DatabaseConnection, user_id: Uuid) -> Result<u64, StoreError> {
    Ok(session::Entity::delete_many().filter(Column::UserId.eq(user_id)).exec(db).await?.rows_affected)
}
