//! The people of a workspace: invitations, roles, removal, and their API tokens. Owners manage
//! members and tokens; a workspace always keeps at least one owner.

use time::OffsetDateTime;
use uuid::Uuid;

use super::accounts::{self, Member, SignedIn};
use super::{App, AppError};
use crate::domain::feedback::Email;
use crate::domain::{Locale, Role};
use crate::i18n::Tr;
use crate::store::{self, outbox::NewMail};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberRow {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub joined_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingInvitation {
    pub email: String,
    pub role: Role,
    pub expires_at: OffsetDateTime,
}

fn owner_only(who: &Member) -> Result<(), AppError> {
    if who.role.allows(Role::Owner) {
        Ok(())
    } else {
        Err(AppError::Forbidden("only an owner manages members and tokens"))
    }
}

pub async fn list(app: &App, who: &Member) -> Result<(Vec<MemberRow>, Vec<PendingInvitation>), AppError> {
    let members = store::users::members(&app.db, who.manufacturer_id.get())
        .await?
        .into_iter()
        .map(|u| MemberRow {
            id: u.id,
            role: Role::parse(&u.role).unwrap_or(Role::Viewer),
            email: u.email,
            joined_at: u.created_at,
        })
        .collect();
    let pending = store::invitations::pending(&app.db, who.manufacturer_id.get())
        .await?
        .into_iter()
        .map(|i| PendingInvitation {
            role: Role::parse(&i.role).unwrap_or(Role::Viewer),
            email: i.email,
            expires_at: i.expires_at,
        })
        .collect();
    Ok((members, pending))
}

/// Mails a single-use link, valid for 7 days, that lets `email` join with `role`.
#[tracing::instrument(skip_all, fields(manufacturer = %who.manufacturer_id))]
pub async fn invite(app: &App, who: &Member, email: &str, role: &str) -> Result<PendingInvitation, AppError> {
    owner_only(who)?;
    let email = Email::parse(email).ok_or_else(|| AppError::refused("email", "members-error-email"))?;
    let role = Role::parse(role).ok_or_else(|| AppError::refused("role", "members-error-role"))?;
    if store::users::find_by_email(&app.db, email.as_str()).await?.is_some() {
        return Err(AppError::refused("email", "members-error-exists"));
    }
    let email = store::users::normalise_email(email.as_str());
    let token =
        store::invitations::create(&app.db, who.manufacturer_id.get(), &email, role.as_str(), who.user_id).await?;
    let pending = PendingInvitation {
        email: email.clone(),
        role,
        expires_at: OffsetDateTime::now_utc() + store::invitations::VALID_FOR,
    };
    let manufacturer = store::manufacturers::get(&app.db, who.manufacturer_id.get()).await?.name;
    let tr = Tr(who.locale);
    let args = [
        ("manufacturer", manufacturer.clone().into()),
        ("inviter", who.email.clone().into()),
        ("role", role.as_str().into()),
        ("url", format!("{}/invite/{token}", app.settings.public_url).into()),
    ];
    store::outbox::enqueue(
        &app.db,
        NewMail {
            kind: "invitation",
            recipient: email,
            subject: tr.t_args("mail-invite-subject", &args),
            text_body: tr.t_args("mail-invite-body", &args),
            html_body: None,
            from_name: Some(manufacturer),
            reply_to: None,
            headers: Vec::new(),
            manufacturer_id: Some(who.manufacturer_id.get()),
        },
    )
    .await?;
    app.outbox.notify_one();
    Ok(pending)
}

/// The workspace an invitation link opens, if it is still good.
pub async fn invitation(app: &App, token: &str) -> Result<Option<String>, AppError> {
    let Some(inv) = store::invitations::peek(&app.db, token).await? else { return Ok(None) };
    Ok(Some(store::manufacturers::get(&app.db, inv.manufacturer_id).await?.name))
}

/// The invitee sets a password and is signed in. The link works once.
pub async fn accept(
    app: &App,
    token: &str,
    password: &str,
    confirm: &str,
    locale: Locale,
) -> Result<SignedIn, AppError> {
    accounts::check_password(password, confirm)?;
    let hash = {
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || store::hash_password(&password))
            .await
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))??
    };
    let txn = store::begin_write(&app.db).await.map_err(store::StoreError::from)?;
    let Some(inv) = store::invitations::accept(&txn, token).await? else {
        return Err(AppError::NotFound("invitation"));
    };
    let user = store::users::create(&txn, inv.manufacturer_id, &inv.email, &inv.role, hash, locale.tag()).await?;
    txn.commit().await.map_err(store::StoreError::from)?;
    accounts::open_session(app, &user).await
}

async fn owners(app: &App, who: &Member) -> Result<usize, AppError> {
    Ok(store::users::members(&app.db, who.manufacturer_id.get())
        .await?
        .iter()
        .filter(|u| u.role == Role::Owner.as_str())
        .count())
}

pub async fn change_role(app: &App, who: &Member, member: Uuid, role: &str) -> Result<(), AppError> {
    owner_only(who)?;
    let role = Role::parse(role).ok_or_else(|| AppError::refused("role", "members-error-role"))?;
    let target = store::users::member(&app.db, who.manufacturer_id.get(), member)
        .await
        .map_err(AppError::unless_missing("member"))?;
    if target.role == Role::Owner.as_str() && role != Role::Owner && owners(app, who).await? <= 1 {
        return Err(AppError::refused("role", "members-error-last-owner"));
    }
    store::users::set_role(&app.db, target.id, role.as_str()).await?;
    Ok(())
}

/// Removes a member: their sessions end and their tokens are revoked at once.
pub async fn remove(app: &App, who: &Member, member: Uuid) -> Result<(), AppError> {
    owner_only(who)?;
    let target = store::users::member(&app.db, who.manufacturer_id.get(), member)
        .await
        .map_err(AppError::unless_missing("member"))?;
    if target.role == Role::Owner.as_str() && owners(app, who).await? <= 1 {
        return Err(AppError::refused("member", "members-error-last-owner"));
    }
    store::api_tokens::revoke_for_user(&app.db, target.id).await?;
    store::sessions::delete_for_user(&app.db, target.id).await?;
    store::users::delete(&app.db, target.id).await?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRow {
    pub id: Uuid,
    pub label: String,
    pub owner_email: Option<String>,
    pub write: bool,
    pub created_at: OffsetDateTime,
    pub revoked: bool,
}

/// The workspace's API tokens (owners only), newest first.
pub async fn tokens(app: &App, who: &Member) -> Result<Vec<TokenRow>, AppError> {
    owner_only(who)?;
    let members = store::users::members(&app.db, who.manufacturer_id.get()).await?;
    Ok(store::api_tokens::list(&app.db, who.manufacturer_id.get(), None)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            owner_email: t.user_id.and_then(|u| members.iter().find(|m| m.id == u).map(|m| m.email.clone())),
            write: t.scopes.split(',').any(|s| s.trim() == "write"),
            label: t.label,
            created_at: t.created_at,
            revoked: t.revoked_at.is_some(),
        })
        .collect())
}

/// A new token for the owner: its id, and the secret, shown once.
pub async fn create_token(app: &App, who: &Member, label: &str, write: bool) -> Result<(Uuid, String), AppError> {
    owner_only(who)?;
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 80 || label.chars().any(char::is_control) {
        return Err(AppError::refused("label", "tokens-error-label"));
    }
    let (row, token) = store::api_tokens::create(&app.db, who.manufacturer_id.get(), who.user_id, label, write).await?;
    Ok((row.id, token))
}

pub async fn revoke_token(app: &App, who: &Member, id: Uuid) -> Result<(), AppError> {
    owner_only(who)?;
    store::api_tokens::revoke(&app.db, who.manufacturer_id.get(), None, id)
        .await
        .map_err(AppError::unless_missing("token"))
}
