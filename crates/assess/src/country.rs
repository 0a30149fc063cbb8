//! ISO 3166-1 country codes: STIX `location.country` and the MISP galaxy use alpha-2 codes
//! and English names; concord speaks alpha-3 (DESIGN 3.4). The table is generated from
//! Debian's iso-codes by `tools/gen_countries.py`.

#[path = "country_table.rs"]
mod table;

fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The alpha-3 code of an alpha-2 code (any case).
pub fn alpha3_of_alpha2(code: &str) -> Option<&'static str> {
    table::COUNTRIES
        .iter()
        .find(|(a2, _, _)| a2.eq_ignore_ascii_case(code))
        .map(|(_, a3, _)| *a3)
}

/// The alpha-3 code of a country name ("Russian Federation", "Iran (Islamic Republic of)",
/// "Vietnam"), ignoring case, spaces and punctuation; an alpha-3 or alpha-2 code is
/// accepted as well.
pub fn alpha3_of_name(name: &str) -> Option<&'static str> {
    let n = norm(name);
    if n.is_empty() {
        return None;
    }
    if let Some(a3) = table::COUNTRIES.iter().find(|(_, a3, _)| *a3 == name) {
        return Some(a3.1);
    }
    if name.len() == 2 {
        if let Some(a3) = alpha3_of_alpha2(name) {
            return Some(a3);
        }
    }
    table::COUNTRIES
        .iter()
        .find(|(_, _, names)| names.iter().any(|x| norm(x) == n))
        .map(|(_, a3, _)| *a3)
}

/// The code itself when `code` is a known alpha-3 code (upper case), or a user-assigned
/// code (`XAA` to `XZZ`, which ISO 3166 leaves to users: concord's fictional demo states
/// use them).
pub fn alpha3(code: &str) -> Option<&str> {
    let user_assigned =
        code.len() == 3 && code.starts_with('X') && code.bytes().all(|b| b.is_ascii_uppercase());
    if user_assigned {
        return Some(code);
    }
    table::COUNTRIES
        .iter()
        .find(|(_, a3, _)| *a3 == code)
        .map(|(_, a3, _)| *a3)
}

/// The ISO short name of an alpha-3 code.
pub fn name_of(alpha3: &str) -> Option<&'static str> {
    table::COUNTRIES
        .iter()
        .find(|(_, a3, _)| *a3 == alpha3)
        .and_then(|(_, _, names)| names.first().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names() {
        assert_eq!(alpha3_of_alpha2("ru"), Some("RUS"));
        assert_eq!(alpha3_of_alpha2("EE"), Some("EST"));
        assert_eq!(alpha3_of_alpha2("XX"), None);
        assert_eq!(alpha3_of_name("Russian Federation"), Some("RUS"));
        assert_eq!(alpha3_of_name("Iran (Islamic Republic of)"), Some("IRN"));
        assert_eq!(
            alpha3_of_name("Korea (Democratic People's Republic of)"),
            Some("PRK")
        );
        assert_eq!(alpha3_of_name("Korea (Republic of)"), Some("KOR"));
        assert_eq!(alpha3_of_name("Vietnam"), Some("VNM"));
        assert_eq!(alpha3_of_name("china"), Some("CHN"));
        assert_eq!(alpha3_of_name("Unknown"), None);
        assert_eq!(name_of("DEU"), Some("Germany"));
        assert_eq!(alpha3("XRS"), Some("XRS"));
        assert_eq!(alpha3("XR"), None);
        assert_eq!(alpha3("ABC"), None);
    }
}
