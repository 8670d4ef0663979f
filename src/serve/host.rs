//! Which `Host` a request may name. A web page on another site can make the browser resolve its
//! own domain to 127.0.0.1 (DNS rebinding) and then read the preview as if it were that site;
//! the `Host` header then still names the other domain. So the preview answers only requests
//! for a localhost name or for the address it is bound to.

use std::net::{IpAddr, SocketAddr};

/// Whether `host` (the `Host` header's value; `None` when absent) names this server, bound at
/// `bound`. A port, when given, must be the bound one.
pub(crate) fn allowed(host: Option<&str>, bound: SocketAddr) -> bool {
    let Some(host) = host.map(str::trim).filter(|h| !h.is_empty()) else { return false };
    // "[::1]:8080", "127.0.0.1:8080", "localhost:8080" or either without its port.
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && (!host.starts_with('[') || name.ends_with(']')) && port.bytes().all(|b| b.is_ascii_digit()) => {
            (name, Some(port))
        }
        _ => (host, None),
    };
    if port.is_some_and(|p| p.parse::<u16>().ok() != Some(bound.port())) {
        return false;
    }
    let name = name.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    let name = name.trim_end_matches('.');
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip == bound.ip() || ip.is_loopback() && bound.ip().is_loopback() || bound.ip().is_unspecified() && is_own(ip),
        Err(_) => false,
    }
}

/// For a server bound to every address (0.0.0.0 or ::), an address naming this machine: a
/// loopback one, or any literal address (only this machine's own reach it, since a DNS name is
/// what a rebinding attack needs and it is refused above).
fn is_own(ip: IpAddr) -> bool {
    !ip.is_unspecified() && !ip.is_multicast()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localhost_names_and_the_bound_address_only() {
        let bound: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        for ok in ["localhost", "localhost:8080", "LOCALHOST.", "app.localhost:8080", "127.0.0.1:8080", "127.0.0.1", "[::1]:8080"] {
            assert!(allowed(Some(ok), bound), "{ok}");
        }
        for bad in [None, Some(""), Some("evil.example"), Some("evil.example:8080"), Some("localhost:9999"), Some("127.0.0.1:80"), Some("localhost.evil.example"), Some("10.0.0.5:8080")] {
            assert!(!allowed(bad, bound), "{bad:?}");
        }
        let lan: SocketAddr = "192.168.1.20:8080".parse().unwrap();
        assert!(allowed(Some("192.168.1.20:8080"), lan) && !allowed(Some("192.168.1.21:8080"), lan) && !allowed(Some("rebind.example:8080"), lan));
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert!(allowed(Some("192.168.1.20:8080"), any) && !allowed(Some("rebind.example:8080"), any));
    }
}
