//! Artefacts that are public services and never link incidents on their own, in the manner
//! of MISP's warning lists: public DNS resolvers, common cloud and CDN ranges, common
//! domains. Shipped with concord; documented in docs/correlation.md.

use std::net::Ipv4Addr;

/// Public DNS resolvers.
pub const PUBLIC_RESOLVERS: &[&str] = &[
    "8.8.8.8",
    "8.8.4.4",
    "1.1.1.1",
    "1.0.0.1",
    "9.9.9.9",
    "149.112.112.112",
    "208.67.222.222",
    "208.67.220.220",
    "94.140.14.14",
    "94.140.15.15",
    "2001:4860:4860::8888",
    "2001:4860:4860::8844",
    "2606:4700:4700::1111",
    "2606:4700:4700::1001",
    "2620:fe::fe",
];

/// Popular cloud and CDN ranges (IPv4 CIDR).
pub const CLOUD_CDN_RANGES: &[&str] = &[
    "104.16.0.0/13",  // Cloudflare
    "172.64.0.0/13",  // Cloudflare
    "13.32.0.0/15",   // Amazon CloudFront
    "52.84.0.0/15",   // Amazon CloudFront
    "151.101.0.0/16", // Fastly
    "23.0.0.0/12",    // Akamai
    "20.0.0.0/11",    // Microsoft Azure
    "142.250.0.0/15", // Google
];

/// Common domains (and their subdomains).
pub const COMMON_DOMAINS: &[&str] = &[
    "google.com",
    "googleapis.com",
    "gstatic.com",
    "microsoft.com",
    "windowsupdate.com",
    "office.com",
    "office365.com",
    "live.com",
    "apple.com",
    "icloud.com",
    "amazon.com",
    "amazonaws.com",
    "cloudflare.com",
    "akamaiedge.net",
    "akamai.net",
    "github.com",
    "dropbox.com",
    "facebook.com",
    "twitter.com",
    "x.com",
    "linkedin.com",
    "wikipedia.org",
    "yahoo.com",
    "digicert.com",
    "letsencrypt.org",
];

fn in_cidr(ip: Ipv4Addr, cidr: &str) -> bool {
    let Some((net, bits)) = cidr.split_once('/') else {
        return false;
    };
    let (Ok(net), Ok(bits)) = (net.parse::<Ipv4Addr>(), bits.parse::<u32>()) else {
        return false;
    };
    let mask = if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits.min(32))
    };
    u32::from(ip) & mask == u32::from(net) & mask
}

/// Why a value is a public service, if it is one.
pub fn public_service(value: &str) -> Option<String> {
    let v = value.trim().trim_end_matches('.').to_ascii_lowercase();
    if PUBLIC_RESOLVERS.contains(&v.as_str()) {
        return Some(format!("{v} is a public DNS resolver"));
    }
    let host = v.split("://").nth(1).map_or(v.as_str(), |rest| {
        rest.split(['/', ':']).next().unwrap_or(rest)
    });
    if let Ok(ip) = host.split('/').next().unwrap_or(host).parse::<Ipv4Addr>() {
        if let Some(r) = CLOUD_CDN_RANGES.iter().find(|r| in_cidr(ip, r)) {
            return Some(format!("{host} is in the cloud/CDN range {r}"));
        }
    }
    COMMON_DOMAINS
        .iter()
        .find(|d| host == **d || host.ends_with(&format!(".{d}")))
        .map(|d| format!("{host} is a common domain ({d})"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists() {
        assert!(super::public_service("8.8.8.8").is_some());
        assert!(super::public_service("104.17.3.4").is_some());
        assert!(super::public_service("https://update.microsoft.com/x").is_some());
        assert!(super::public_service("203.0.113.45").is_none());
        assert!(super::public_service("grid-update.example").is_none());
    }
}
