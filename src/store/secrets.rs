//! Secrets handed out once (API tokens, initial passwords) and how they are kept.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A 256-bit bearer token. Prefixed so that leaked tokens are recognisable in logs and by scanners.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("sbk_{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// A print-share link token: 144 random bits (the links must be unguessable, >= 128 bits) in 24
/// URL-safe characters, so the link stays short enough to read out or paste into an order form.
pub fn new_share_token() -> String {
    let mut bytes = [0u8; 18];
    rand::rng().fill_bytes(&mut bytes);
    format!("sbp_{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Tokens carry at least 128 random bits, so a plain SHA-256 is as strong as a slow hash here and keeps the
/// per-request check cheap; passwords, which people choose, get argon2 instead.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// An initial password: 20 characters from an unambiguous alphabet (about 100 bits).
pub fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| {
            let i = (rng.next_u32() as usize) % ALPHABET.len();
            ALPHABET.get(i).copied().unwrap_or(b'x') as char
        })
        .collect()
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    use argon2::password_hash::PasswordHasher;
    let hash = argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("hashing the password failed: {e}"))?;
    Ok(hash.to_string())
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    use argon2::password_hash::PasswordVerifier;
    use argon2::password_hash::phc::PasswordHash;
    match PasswordHash::new(stored) {
        Ok(parsed) => argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// HMAC-SHA256 of `message` under `key`, URL-safe: the signature of unsubscribe and photo links.
pub fn sign(key: &[u8], message: &str) -> String {
    use hmac::{Hmac, Mac};
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { return String::new() };
    mac.update(message.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Checks a signature from [`sign`] in constant time.
pub fn verify_signature(key: &[u8], message: &str, signature: &str) -> bool {
    use hmac::{Hmac, Mac};
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(signature) else { return false };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { return false };
    mac.update(message.as_bytes());
    mac.verify_slice(&bytes).is_ok()
}

/// 256 random bits, hex, for a new signing key.
pub fn new_key() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_for_its_key_and_message_only() {
        let sig = sign(b"key one", "unsubscribe:42");
        assert!(verify_signature(b"key one", "unsubscribe:42", &sig));
        assert!(!verify_signature(b"key two", "unsubscribe:42", &sig));
        assert!(!verify_signature(b"key one", "unsubscribe:43", &sig));
        assert!(!verify_signature(b"key one", "unsubscribe:42", "not base64 !"));
    }

    #[test]
    fn a_password_verifies_against_its_hash_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
    }

    #[test]
    fn tokens_are_distinct_and_hash_stably() {
        let a = new_token();
        assert_ne!(a, new_token());
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_eq!(hash_token(&a).len(), 64);
        let s = new_share_token();
        assert_ne!(s, new_share_token());
        assert_eq!(s.len(), 4 + 24);
        assert!(s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
    }
}
