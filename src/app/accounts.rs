//! Signing in and out, throttling guesses, and resetting a forgotten password.

use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::{App, AppError};
use crate::domain::{Locale, ManufacturerId, Role};
use crate::i18n::Tr;
use crate::store::{self, entities::user, outbox::NewMail};

/// Failures that lock sign-in, per account and per client address, within [`LOCK_WINDOW`].
pub const MAX_FAILURES: u64 = 5;
pub const LOCK_WINDOW: Duration = Duration::minutes(15);
pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 200;

/// A signed-in member.
#[derive(Clone, Debug)]
pub struct Member {
    pub user_id: Uuid,
    pub manufacturer_id: ManufacturerId,
    pub email: String,
    pub role: Role,
    pub locale: Locale,
}

impl Member {
    pub fn of(u: &user::Model) -> Member {
        Member::new(u)
    }

    fn new(u: &user::Model) -> Member {
        Member {
            user_id: u.id,
            manufacturer_id: ManufacturerId(u.manufacturer_id),
            email: u.email.clone(),
            role: Role::parse(&u.role).unwrap_or(Role::Viewer),
            locale: Locale::parse(&u.locale).unwrap_or(Locale::DEFAULT),
        }
    }
}

/// A new session: the cookie value is handed to the browser and kept nowhere else.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub cookie: String,
    pub csrf_token: String,
    pub member: Member,
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("the email or the password is wrong")]
    Invalid,
    /// Too many failures lately; sign-in opens again at `until`.
    #[error("too many failed sign-ins")]
    Locked { until: OffsetDateTime },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<store::StoreError> for SignInError {
    fn from(e: store::StoreError) -> SignInError {
        SignInError::Unexpected(e.into())
    }
}

fn account_key(email: &str) -> String {
    format!("account:{}", store::users::normalise_email(email))
}

fn client_key(client: &str) -> String {
    format!("client:{client}")
}

/// When a key's lock lifts, if it is locked now.
async fn locked_until(app: &App, key: &str) -> Result<Option<OffsetDateTime>, store::StoreError> {
    let (n, oldest) = store::login_failures::since(&app.db, key, store::now() - LOCK_WINDOW).await?;
    Ok(if n >= MAX_FAILURES { oldest.map(|o| o + LOCK_WINDOW) } else { None })
}

/// Checks the password (argon2) and opens a session. `client` is the day's hashed client address.
/// While an account or an address is locked even the right password is refused, so a guesser
/// learns nothing from the answer.
#[tracing::instrument(skip_all)]
pub async fn sign_in(app: &App, email: &str, password: &str, client: &str) -> Result<SignedIn, SignInError> {
    let keys = [account_key(email), client_key(client)];
    let mut until = None;
    for key in &keys {
        until = until.max(locked_until(app, key).await?);
    }
    if let Some(until) = until {
        return Err(SignInError::Locked { until });
    }
    let user = store::users::find_by_email(&app.db, email).await?;
    let password = password.to_owned();
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    // Verify even for an unknown address (against a fixed hash), so timing does not tell which
    // addresses have accounts.
    let ok = tokio::task::spawn_blocking(move || match stored {
        Some(hash) => store::verify_password(&password, &hash),
        None => {
            store::verify_password(&password, unknown_user_hash());
            false
        }
    })
    .await
    .map_err(|e| anyhow::anyhow!("password check failed: {e}"))?;
    let Some(user) = user.filter(|_| ok) else {
        store::login_failures::record(&app.db, &keys).await?;
        let (n, _) = store::login_failures::since(&app.db, &keys[0], store::now() - LOCK_WINDOW).await?;
        if n == MAX_FAILURES
            && let Some(u) = store::users::find_by_email(&app.db, email).await?
        {
            tell_owners_about_lockout(app, &u).await?;
        }
        return Err(SignInError::Invalid);
    };
    store::login_failures::clear(&app.db, &keys[0]).await?;
    let session = store::sessions::create(&app.db, user.id, user.manufacturer_id).await?;
    tracing::info!(user = %user.id, "signed in");
    Ok(SignedIn { cookie: session.cookie, csrf_token: session.csrf_token, member: Member::new(&user) })
}

/// An argon2 hash of a random password nobody knows (see `sign_in`), made once per process.
fn unknown_user_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| store::hash_password(&store::new_password()).unwrap_or_default())
}

/// The account's owners hear of a lockout once, when it starts, in their language.
async fn tell_owners_about_lockout(app: &App, locked: &user::Model) -> Result<(), store::StoreError> {
    let until = store::now() + LOCK_WINDOW;
    let until = until.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    for owner in store::manufacturers::owners(&app.db, locked.manufacturer_id).await? {
        let tr = Tr(Locale::parse(&owner.locale).unwrap_or(Locale::DEFAULT));
        let args = [
            ("email", locked.email.clone().into()),
            ("count", (MAX_FAILURES as i64).into()),
            ("until", until.clone().into()),
            ("url", format!("{}/login", app.settings.public_url).into()),
        ];
        store::outbox::enqueue(
            &app.db,
            NewMail {
                kind: "lockout",
                recipient: owner.email.clone(),
                subject: tr.t_args("mail-lockout-subject", &args),
                text_body: tr.t_args("mail-lockout-body", &args),
                html_body: None,
                from_name: None,
                reply_to: None,
                headers: Vec::new(),
                manufacturer_id: None,
            },
        )
        .await?;
    }
    app.outbox.notify_one();
    Ok(())
}

/// The member an API token acts for, if it still belongs to this manufacturer.
pub async fn token_member(app: &App, manufacturer: ManufacturerId, user_id: Option<Uuid>) -> Result<Member, AppError> {
    let Some(user_id) = user_id else {
        return Err(AppError::Forbidden("this token belongs to no member; create a new one in the dashboard"));
    };
    let user = store::users::member(&app.db, manufacturer.get(), user_id)
        .await
        .map_err(|_| AppError::Forbidden("the token's member has left the workspace"))?;
    Ok(Member::new(&user))
}

/// The member a session cookie belongs to, with the session's CSRF token.
pub async fn session(app: &App, cookie: &str) -> Result<Option<(Member, String)>, AppError> {
    let Some(session) = store::sessions::find(&app.db, cookie).await? else { return Ok(None) };
    let user = match store::users::get(&app.db, session.user_id).await {
        Ok(u) => u,
        Err(store::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    Ok(Some((Member::new(&user), session.csrf_token)))
}

/// The member's own language for the workspace and the mails they get.
pub async fn set_locale(app: &App, who: &Member, locale: Locale) -> Result<(), AppError> {
    Ok(store::users::set_locale(&app.db, who.user_id, locale.tag()).await?)
}

pub async fn sign_out(app: &App, cookie: &str) -> Result<(), AppError> {
    Ok(store::sessions::delete(&app.db, cookie).await?)
}

/// Mails a single-use link valid for an hour, if the address has an account. The caller answers
/// the same either way, so the answer never tells whether an address has an account.
#[tracing::instrument(skip_all)]
pub async fn request_reset(app: &App, email: &str) -> Result<(), AppError> {
    let Some(user) = store::users::find_by_email(&app.db, email).await? else {
        tracing::info!("password reset asked for an address without an account");
        return Ok(());
    };
    let token = store::password_resets::create(&app.db, user.id).await?;
    let tr = Tr(Locale::parse(&user.locale).unwrap_or(Locale::DEFAULT));
    let args = [("url", format!("{}/reset/{token}", app.settings.public_url).into())];
    store::outbox::enqueue(
        &app.db,
        NewMail {
            kind: "password_reset",
            recipient: user.email.clone(),
            subject: tr.t("mail-reset-subject"),
            text_body: tr.t_args("mail-reset-body", &args),
            html_body: None,
            from_name: None,
            reply_to: None,
            headers: Vec::new(),
            manufacturer_id: None,
        },
    )
    .await?;
    app.outbox.notify_one();
    Ok(())
}

/// Whether a reset link is still good (for showing its form).
pub async fn reset_link_is_live(app: &App, token: &str) -> Result<bool, AppError> {
    Ok(store::password_resets::peek(&app.db, token).await?.is_some())
}

/// Why a password a person chose cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    /// The confirmation differs.
    Mismatch,
}

/// What is wrong with a chosen password, if anything: long enough, not absurdly long, confirmed.
pub fn password_problem(password: &str, confirm: &str) -> Option<PasswordProblem> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        Some(PasswordProblem::TooShort)
    } else if n > MAX_PASSWORD_CHARS {
        Some(PasswordProblem::TooLong)
    } else if password != confirm {
        Some(PasswordProblem::Mismatch)
    } else {
        None
    }
}

/// [`password_problem`] as a use case's refusal.
pub fn check_password(password: &str, confirm: &str) -> Result<(), AppError> {
    match password_problem(password, confirm) {
        None => Ok(()),
        Some(PasswordProblem::TooShort) => {
            Err(AppError::invalid("password", format!("use at least {MIN_PASSWORD_CHARS} characters")))
        }
        Some(PasswordProblem::TooLong) => {
            Err(AppError::invalid("password", format!("use at most {MAX_PASSWORD_CHARS} characters")))
        }
        Some(PasswordProblem::Mismatch) => Err(AppError::invalid("confirm", "the two passwords differ")),
    }
}

/// Sets a new password through a reset link (used up, even if two tabs submit at once), signs the
/// user out everywhere else and signs them in here.
pub async fn reset_password(app: &App, token: &str, password: &str, confirm: &str) -> Result<SignedIn, AppError> {
    check_password(password, confirm)?;
    let Some(user_id) = store::password_resets::consume(&app.db, token).await? else {
        return Err(AppError::NotFound("reset link"));
    };
    let user = store::users::set_password(&app.db, user_id, password).await?;
    store::sessions::delete_for_user(&app.db, user.id).await?;
    store::login_failures::clear(&app.db, &account_key(&user.email)).await?;
    open_session(app, &user).await
}

/// A new session for `user` (after a reset or an accepted invitation).
pub async fn open_session(app: &App, user: &user::Model) -> Result<SignedIn, AppError> {
    let session = store::sessions::create(&app.db, user.id, user.manufacturer_id).await?;
    Ok(SignedIn { cookie: session.cookie, csrf_token: session.csrf_token, member: Member::new(user) })
}
