//! Telling people from machines on the scan path, and keeping no raw IP address.

use sha2::{Digest, Sha256};

/// User-agent fragments of link-preview fetchers, crawlers and monitoring tools. A messenger that
/// unfurls a shared scan link must not count as a scan.
const BOT_MARKERS: &[&str] = &[
    "bot",
    "crawler",
    "spider",
    "slurp",
    "facebookexternalhit",
    "facebookcatalog",
    "whatsapp",
    "telegram",
    "skypeuripreview",
    "vkshare",
    "embedly",
    "quora link preview",
    "outbrain",
    "pinterest",
    "bitlybot",
    "tumblr",
    "flipboard",
    "nuzzel",
    "redditbot",
    "discord",
    "slack",
    "linkedin",
    "yandex",
    "preview",
    "headless",
    "lighthouse",
    "pingdom",
    "uptime",
    "monitor",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "go-http-client",
    "okhttp",
    "java/",
    "libwww",
    "httpclient",
    "axios/",
    "node-fetch",
];

/// Whether a request is a prefetch, a preview or a machine. HEAD requests are never people reading
/// a page.
pub fn is_bot(method_is_head: bool, user_agent: Option<&str>, purpose: Option<&str>) -> bool {
    if method_is_head {
        return true;
    }
    if purpose
        .is_some_and(|p| p.to_ascii_lowercase().contains("prefetch") || p.to_ascii_lowercase().contains("preview"))
    {
        return true;
    }
    match user_agent.map(str::trim) {
        None | Some("") => true,
        Some(ua) => {
            let ua = ua.to_ascii_lowercase();
            BOT_MARKERS.iter().any(|m| ua.contains(m))
        }
    }
}

/// A keyed hash of the client address. The key changes every day and is never stored, so the value
/// can throttle and de-duplicate within a day but cannot be turned back into an address or linked
/// across days.
pub fn client_key(daily_key: &[u8; 32], address: &str) -> String {
    let mut h = Sha256::new();
    h.update(daily_key);
    h.update(address.as_bytes());
    hex::encode(&h.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_crawlers_and_prefetches_are_bots_and_phones_are_not() {
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        let android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36";
        assert!(!is_bot(false, Some(iphone), None));
        assert!(!is_bot(false, Some(android), None));
        assert!(is_bot(true, Some(iphone), None), "HEAD");
        assert!(is_bot(false, Some(android), Some("prefetch")), "Sec-Purpose: prefetch");
        for ua in [
            "facebookexternalhit/1.1",
            "TelegramBot (like TwitterBot)",
            "WhatsApp/2.23.20.0",
            "Slackbot-LinkExpanding 1.0",
            "Mozilla/5.0 (compatible; Googlebot/2.1)",
            "curl/8.5.0",
            "Mozilla/5.0 (compatible; YandexBot/3.0)",
        ] {
            assert!(is_bot(false, Some(ua), None), "{ua}");
        }
        assert!(is_bot(false, None, None), "no user agent");
    }

    #[test]
    fn the_client_key_depends_on_the_daily_key() {
        let a = client_key(&[1; 32], "203.0.113.7");
        assert_eq!(a, client_key(&[1; 32], "203.0.113.7"));
        assert_ne!(a, client_key(&[2; 32], "203.0.113.7"));
        assert!(!a.contains("203"));
    }
}
