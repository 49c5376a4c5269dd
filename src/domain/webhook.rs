//! Webhooks as pure rules: the events, an endpoint's URL, which addresses a delivery may reach, and
//! the Standard Webhooks signature.

use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventType {
    ReportCreated,
    ReportStatusChanged,
    AlertOpened,
}

impl EventType {
    pub const ALL: [EventType; 3] = [EventType::ReportCreated, EventType::ReportStatusChanged, EventType::AlertOpened];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ReportCreated => "report.created",
            EventType::ReportStatusChanged => "report.status_changed",
            EventType::AlertOpened => "alert.opened",
        }
    }

    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// The events an endpoint takes, as stored (comma-separated), in a fixed order without repeats.
pub fn events_text(events: &[EventType]) -> String {
    let mut sorted = events.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(",")
}

pub fn parse_events_text(text: &str) -> Vec<EventType> {
    text.split(',').filter_map(|e| EventType::parse(e.trim())).collect()
}

/// Checks an endpoint URL: https with a host (plain http only where private addresses are allowed,
/// i.e. for a receiver on the operator's own network), no credentials, at most 2,000 characters.
pub fn parse_url(raw: &str, allow_private: bool) -> Result<url::Url, &'static str> {
    let raw = raw.trim();
    if raw.len() > 2000 {
        return Err("must be at most 2000 characters");
    }
    let url = url::Url::parse(raw).map_err(|_| "must be an absolute https:// URL")?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => return Err("must be an https:// URL"),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("must name a host");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry a user name or password");
    }
    Ok(url)
}

/// Whether a delivery may not go to this address unless the operator allows private ones: loopback,
/// private (RFC 1918), link-local, unique-local, carrier-grade NAT, unspecified, broadcast,
/// documentation and multicast ranges, and IPv4 addresses wrapped in IPv6.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8
                || first == 0x0064 && v6.segments()[1] == 0xff9b
        }
    }
}

/// `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` with the key that follows `whsec_`
/// (base64-decoded). `None` when the secret is not of that form.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix("whsec_")?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// A new signing secret from the caller's random bytes (24 or more).
pub fn secret_from(bytes: &[u8]) -> String {
    format!("whsec_{}", STANDARD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature(secret, id, 1614265330, body).as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
        assert_eq!(signature("nope", id, 1, body), None);
    }

    #[test]
    fn private_and_special_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn endpoint_urls_must_be_https_without_credentials() {
        assert!(parse_url("https://hooks.example.com/in", false).is_ok());
        assert!(parse_url("http://hooks.example.com/in", false).is_err());
        assert!(parse_url("http://127.0.0.1:9000/in", true).is_ok());
        assert!(parse_url("https://user:pw@hooks.example.com/", false).is_err());
        assert!(parse_url("ftp://hooks.example.com/", true).is_err());
        assert!(parse_url("not a url", false).is_err());
    }

    #[test]
    fn events_are_stored_sorted_without_repeats() {
        let text = events_text(&[EventType::AlertOpened, EventType::ReportCreated, EventType::AlertOpened]);
        assert_eq!(text, "report.created,alert.opened");
        assert_eq!(parse_events_text(&text), vec![EventType::ReportCreated, EventType::AlertOpened]);
    }
}
