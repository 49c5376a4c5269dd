//! Which address a request came from. Behind a reverse proxy the TCP peer is the proxy; the proxy
//! names the client in `Forwarded` (RFC 7239) or `X-Forwarded-For`. Anyone can send those headers,
//! so they count only when the peer is a proxy the operator named, and then only up to the first
//! hop that is not one: a client that sends its own header can add entries on the left, never
//! replace the one its proxy appended.

use std::net::IpAddr;

use ipnet::IpNet;

/// The client's address: `peer` unless it is one of `trusted`, else the nearest hop in the forwarded
/// chain (`Forwarded` if present, else `X-Forwarded-For`) that is not a trusted proxy.
pub fn client_ip(peer: IpAddr, trusted: &[IpNet], forwarded: Option<&str>, x_forwarded_for: Option<&str>) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(&canonical(*ip)));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<Option<IpAddr>> = match (forwarded, x_forwarded_for) {
        (Some(f), _) if !f.trim().is_empty() => forwarded_for(f),
        (_, Some(x)) => x.split(',').map(|h| parse_node(h.trim())).collect(),
        _ => Vec::new(),
    };
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop {
            // An entry that is not an address (`unknown`, an obfuscated name, garbage): nothing to
            // its left can be believed; the last proxy that named it is as far as we know.
            None => return client,
            Some(ip) => {
                client = canonical(*ip);
                if !is_trusted(ip) {
                    return client;
                }
            }
        }
    }
    client
}

/// IPv4 inside IPv6 (`::ffff:192.0.2.7`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The `for=` of every element of a `Forwarded` header, in order.
fn forwarded_for(header: &str) -> Vec<Option<IpAddr>> {
    header
        .split(',')
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| parse_node(v.trim().trim_matches('"')))
            })
        })
        .collect()
}

/// `192.0.2.7`, `192.0.2.7:4711`, `[2001:db8::1]`, `[2001:db8::1]:4711`, `2001:db8::1`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    node.parse().ok().or_else(|| {
        let (host, port) = node.rsplit_once(':')?;
        port.parse::<u16>().ok()?;
        host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn without_trusted_proxies_the_headers_are_ignored() {
        assert_eq!(
            client_ip(ip("203.0.113.9"), &[], Some("for=198.51.100.1"), Some("198.51.100.2")),
            ip("203.0.113.9")
        );
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(client_ip(ip("203.0.113.9"), &trusted, None, Some("198.51.100.2")), ip("203.0.113.9"));
    }

    #[test]
    fn from_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client() {
        let trusted = nets(&["10.0.0.0/8"]);
        // The client sent its own header (1.1.1.1); its proxy appended the real address.
        assert_eq!(
            client_ip(ip("10.0.0.2"), &trusted, None, Some("1.1.1.1, 198.51.100.7, 10.0.0.3")),
            ip("198.51.100.7")
        );
        assert_eq!(client_ip(ip("10.0.0.2"), &trusted, None, None), ip("10.0.0.2"));
        assert_eq!(client_ip(ip("10.0.0.2"), &trusted, None, Some("10.0.0.9")), ip("10.0.0.9"));
        assert_eq!(client_ip(ip("10.0.0.2"), &trusted, None, Some("garbage, 198.51.100.7")), ip("198.51.100.7"));
        assert_eq!(client_ip(ip("10.0.0.2"), &trusted, None, Some("198.51.100.7, garbage")), ip("10.0.0.2"));
    }

    #[test]
    fn forwarded_is_read_before_x_forwarded_for() {
        let trusted = nets(&["127.0.0.1/32", "::1/128"]);
        let f = r#"for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711""#;
        assert_eq!(client_ip(ip("127.0.0.1"), &trusted, Some(f), Some("198.51.100.1")), ip("2001:db8:cafe::17"));
        assert_eq!(client_ip(ip("::1"), &trusted, Some("for=192.0.2.60:8080"), None), ip("192.0.2.60"));
        assert_eq!(client_ip(ip("::1"), &trusted, Some("for=unknown"), None), ip("::1"));
        assert_eq!(client_ip(ip("::ffff:127.0.0.1"), &trusted, None, Some("192.0.2.1")), ip("192.0.2.1"));
    }
}
