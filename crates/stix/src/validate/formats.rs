//! Value formats of the STIX 2.1 JSON schemas (`pattern` and `format` keywords) as the
//! reference validator applies them: Python's `re.search`, so a pattern without `^` or
//! `$` matches anywhere in the value. The expressions are those of the schemas.
//!
//! The regular expressions are copied from the OASIS STIX 2.1 JSON schemas
//! (https://github.com/oasis-open/cti-stix2-json-schemas, as shipped in stix2-validator
//! 3.2.1 / cti-stix-validator 9e4a1ea; `schemas/observables/*.json`,
//! `schemas/common/*.json`) and the reference validator (`EMAIL_RE` of
//! `stix2validator/validator.py`): BSD-3-Clause, Copyright (c) [2016], OASIS Open; the
//! full licence notice is in `crates/stix/src/model/lists.rs`.

use regex::Regex;
use std::sync::LazyLock;

/// The expressions below are constants that compile (a unit test checks each); were one
/// not to, it would match nothing rather than panic.
struct Re(Option<Regex>);

impl Re {
    fn is_match(&self, v: &str) -> bool {
        self.0.as_ref().is_some_and(|r| r.is_match(v))
    }
}

fn re(p: &str) -> Re {
    Re(Regex::new(p).ok())
}

static IPV4: LazyLock<Re> = LazyLock::new(|| {
    re(
        r"^(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])(/(3[0-2]|[1-2][0-9]|[0-9]))?$",
    )
});

// As in the schema, including its lost backslashes (`s*`, `d`, `.`).
static IPV6: LazyLock<Re> = LazyLock::new(|| {
    let v4 = r"((25[0-5]|2[0-4]d|1dd|[1-9]?d)(.(25[0-5]|2[0-4]d|1dd|[1-9]?d)){3})";
    let h = "[0-9A-Fa-f]{1,4}";
    re(&format!(
        "^s*((({h}:){{7}}({h}|:))|(({h}:){{6}}(:{h}|{v4}|:))|(({h}:){{5}}(((:{h}){{1,2}})|:{v4}|:))|(({h}:){{4}}(((:{h}){{1,3}})|((:{h})?:{v4})|:))|(({h}:){{3}}(((:{h}){{1,4}})|((:{h}){{0,2}}:{v4})|:))|(({h}:){{2}}(((:{h}){{1,5}})|((:{h}){{0,3}}:{v4})|:))|(({h}:){{1}}(((:{h}){{1,6}})|((:{h}){{0,4}}:{v4})|:))|(:(((:{h}){{1,7}})|((:{h}){{0,5}}:{v4})|:)))(%.+)?s*(/(12[0-8]|1[0-1][0-9]|[1-9][0-9]|[0-9]))?$"
    ))
});

static MAC: LazyLock<Re> = LazyLock::new(|| re(r"^([0-9a-f]{2}[:]){5}([0-9a-f]{2})$"));

static CPE: LazyLock<Re> = LazyLock::new(|| {
    let comp = r##"(((\?*|\*?)([a-zA-Z0-9\-\._]|(\\[\\\*\?!"#$%&'\(\)\+,/:;<=>@\[\]\^`\{\|}~]))+(\?*|\*?))|[\*\-])"##;
    re(&format!(
        r"cpe:2\.3:[aho\*\-](:{comp}){{5}}(:(([a-zA-Z]{{2,3}}(-([a-zA-Z]{{2}}|[0-9]{{3}}))?)|[\*\-]))(:{comp}){{4}}"
    ))
});

static SOFTWARE_LANG: LazyLock<Re> = LazyLock::new(|| {
    re(
        r"^([a-z]{2}(-[A-Z]{2})?(-[a-z]{4})?(-[A-Z]{2}|[0-9]{3})?(-[a-z0-9]{5,8}|[0-9][a-z0-9]{3})*(-[a-z0-9]{1,8})*|[a-z]{3})$",
    )
});

static ENCODING: LazyLock<Re> = LazyLock::new(|| re(r"^[a-zA-Z0-9/\.+_:-]{2,250}$"));

static EMAIL: LazyLock<Re> =
    LazyLock::new(|| re(r"(^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$)"));

/// Python's `$` also matches before one final newline.
fn py(v: &str) -> &str {
    v.strip_suffix('\n').unwrap_or(v)
}

pub fn ipv4(v: &str) -> bool {
    IPV4.is_match(py(v))
}
pub fn ipv6(v: &str) -> bool {
    IPV6.is_match(py(v))
}
pub fn mac(v: &str) -> bool {
    MAC.is_match(py(v))
}
pub fn cpe(v: &str) -> bool {
    CPE.is_match(v)
}
pub fn software_language(v: &str) -> bool {
    SOFTWARE_LANG.is_match(py(v))
}
/// `path_enc` / `name_enc` in the schemas.
pub fn encoding_name(v: &str) -> bool {
    ENCODING.is_match(py(v))
}
/// The reference validator's `email` format.
pub fn email(v: &str) -> bool {
    EMAIL.is_match(py(v))
}

/// artifact `mime_type` (schema): `^(application|...|video)/[a-zA-Z0-9.+_-]+` (a prefix).
pub fn mime_type(v: &str) -> bool {
    v.split_once('/').is_some_and(|(t, sub)| {
        super::checks::MIME_TOP.contains(&t)
            && sub.bytes().next().is_some_and(|c| {
                c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'_' | b'-')
            })
    })
}

/// windows-registry-key `key` must not match `^HKLM|HKCC|HKCR|HKCU|HKU|hklm|hkcc|hkcr|hkcu|hku`
/// (searched: only the first alternative is anchored).
pub fn registry_key_abbreviated(v: &str) -> bool {
    v.starts_with("HKLM")
        || [
            "HKCC", "HKCR", "HKCU", "HKU", "hklm", "hkcc", "hkcr", "hkcu", "hku",
        ]
        .iter()
        .any(|a| v.contains(a))
}

/// The `idn-hostname` format as Python's `idna.encode` accepts it: dot-separated labels
/// of 1 to 63 characters (letters, digits, hyphens; non-ASCII letters in lower case), no
/// hyphen at either end nor in the third and fourth place (except a valid-looking `xn--`
/// label), at most 253 characters, one trailing dot allowed.
pub fn idn_hostname(v: &str) -> bool {
    let body = v.strip_suffix('.').unwrap_or(v);
    if body.is_empty() || body.chars().count() > 253 {
        return false;
    }
    body.split('.').all(|l| {
        let n = l.chars().count();
        let chars_ok = l.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || c == '-'
                || (!c.is_ascii() && c.is_alphanumeric() && !c.is_uppercase())
        });
        let hy34 = l.len() >= 4 && &l.as_bytes()[2..4] == b"--";
        let punycode_ok = l
            .strip_prefix("xn--")
            .is_some_and(|r| r.contains('-') || r.len() >= 4);
        (1..=63).contains(&n)
            && chars_ok
            && !l.starts_with('-')
            && !l.ends_with('-')
            && (!hy34 || punycode_ok)
    })
}

/// A URI as RFC 3986 has it (the reference's `uri` format): a scheme, then only
/// characters RFC 3986 allows, `%` followed by two hex digits, at most one `#`, and
/// brackets only around a host.
pub fn uri(v: &str) -> bool {
    let Some((scheme, rest)) = v.split_once(':') else {
        return false;
    };
    let sb = scheme.as_bytes();
    if sb.is_empty()
        || !sb[0].is_ascii_alphabetic()
        || !sb
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
    {
        return false;
    }
    let b = rest.as_bytes();
    let mut hashes = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'%' => {
                if !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
                {
                    return false;
                }
                i += 2;
            }
            b'#' => hashes += 1,
            c if c.is_ascii_alphanumeric() => {}
            b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'?' | b'[' | b']' | b'@' | b'!' | b'$'
            | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' => {}
            _ => return false,
        }
        i += 1;
    }
    if hashes > 1 {
        return false;
    }
    // brackets only in the authority, as an IP literal
    let authority_end = rest
        .strip_prefix("//")
        .map_or(0, |r| 2 + r.find(['/', '?', '#']).unwrap_or(r.len()));
    !rest[authority_end..].contains(['[', ']'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_compile_and_match() {
        for r in [&IPV4, &IPV6, &MAC, &CPE, &SOFTWARE_LANG, &ENCODING, &EMAIL] {
            assert!(r.0.is_some());
        }
        assert!(ipv4("198.51.100.3/24") && !ipv4("198.51.100.03") && !ipv4("1.2.3.4/33"));
        assert!(ipv6("fe80::1/64") && !ipv6("fe80::1/064") && ipv6("fe80::1%eth0"));
        assert!(mac("00:00:5e:00:53:af") && !mac("00:00:5E:00:53:AF"));
        assert!(cpe("cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*") && !cpe("invalid"));
        assert!(email("jdoe@example.com") && !email("John Doe <jdoe@example.com>"));
        assert!(idn_hostname("example.com") && idn_hostname("xn--mnchen-3ya.de"));
        assert!(!idn_hostname("a_b.com") && !idn_hostname("-a.com") && !idn_hostname("a..b"));
        assert!(uri("http://example.com/a%20b") && !uri("http://x/a b") && !uri("foo"));
        assert!(
            registry_key_abbreviated("HKLM\\x")
                && !registry_key_abbreviated("HKEY_LOCAL_MACHINE\\x")
        );
    }
}
