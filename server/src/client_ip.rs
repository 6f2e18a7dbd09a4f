//! Who is asking, for rate limits: the client's address as a limiter key.
//!
//! - Behind a reverse proxy every request comes from the proxy, so one bucket would serve the whole
//!   country. When the peer is one of the configured trusted proxies (`--trusted-proxy`), the
//!   client is the right-most `X-Forwarded-For` address that is not itself a trusted proxy (the
//!   left-most entries are whatever the client wrote, so they are never believed).
//! - An IPv6 client owns at least a /64 and can rotate through it freely, so IPv6 keys are the
//!   /64 prefix; IPv4-mapped IPv6 addresses count as their IPv4 address.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;

use crate::state::AppState;

/// The rate-limit key of the request's client ("unknown" when served without connect info).
pub struct ClientIp(pub String);

impl FromRequestParts<Arc<AppState>> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip());
        Ok(ClientIp(match peer {
            Some(peer) => limiter_key(client_address(
                peer,
                &parts.headers,
                &state.config.trusted_proxies,
            )),
            None => "unknown".into(),
        }))
    }
}

/// The client's address: `peer` itself, unless it is a trusted proxy (see the module docs).
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in forwarded.iter().rev() {
        match hop.parse::<IpAddr>().map(canonical) {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip,
            // A malformed hop: stop believing the header there.
            Err(_) => break,
        }
    }
    peer
}

/// The limiter key of an address: IPv4 as is, IPv6 by its /64.
pub fn limiter_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let prefix = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{prefix}/64")
        }
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn ipv6_clients_share_their_64_and_mapped_v4_is_v4() {
        assert_eq!(
            limiter_key(ip("2001:db8:1:2:aaaa::1")),
            limiter_key(ip("2001:db8:1:2:ffff:1:2:3"))
        );
        assert_ne!(
            limiter_key(ip("2001:db8:1:2::1")),
            limiter_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(limiter_key(ip("::ffff:192.0.2.7")), "192.0.2.7");
        assert_eq!(limiter_key(ip("192.0.2.7")), "192.0.2.7");
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy = ip("10.0.0.1");
        let headers = forwarded("203.0.113.9");
        // No proxy configured: the header is the client's word and is ignored.
        assert_eq!(client_address(proxy, &headers, &[]), proxy);
        assert_eq!(client_address(proxy, &headers, &[proxy]), ip("203.0.113.9"));
        // A client that is not the proxy cannot claim another address.
        assert_eq!(
            client_address(ip("198.51.100.4"), &headers, &[proxy]),
            ip("198.51.100.4")
        );
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let (outer, inner) = (ip("10.0.0.1"), ip("10.0.0.2"));
        // The client forged the first entry; the proxies appended the real one and each other.
        let headers = forwarded("1.2.3.4, 203.0.113.9, 10.0.0.2");
        assert_eq!(
            client_address(outer, &headers, &[outer, inner]),
            ip("203.0.113.9")
        );
        // Nothing usable in the header: the proxy itself.
        assert_eq!(
            client_address(outer, &forwarded("garbage"), &[outer]),
            outer
        );
        assert_eq!(client_address(outer, &HeaderMap::new(), &[outer]), outer);
    }
}
