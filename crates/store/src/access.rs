//! Principals, their tokens and who may read what (DESIGN 9).
//!
//! - A principal is a member (its national node), the hub or an admin. Tokens are random
//!   (256 bits), shown once, stored as SHA-256 hashes; a revoked token no longer
//!   authenticates.
//! - TLP decides who reads an object: clear and green (and unmarked): everyone; amber: the
//!   submitter, the hub (and admins) and the members named in the object's `recipients`;
//!   amber+strict: the submitter and the hub (and admins); red: the submitter and the named
//!   recipients only.

use crate::db::{Sql, SqlExt, P};
use crate::{Store, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "member", rename_all = "snake_case")]
pub enum Principal {
    Member(String),
    Hub,
    Admin,
    /// concord itself: the submitter of the objects it derives (campaigns). No token can
    /// stand for it; what it stores is read by marking and recipients alone.
    Concord,
}

impl Principal {
    /// The name used as submitter and as the HTTP Basic user: the member code, `hub` or
    /// `admin`.
    pub fn name(&self) -> &str {
        match self {
            Principal::Member(m) => m,
            Principal::Hub => "hub",
            Principal::Admin => "admin",
            Principal::Concord => CONCORD,
        }
    }

    /// From a stored name.
    pub fn from_name(name: &str) -> Principal {
        match name {
            "hub" => Principal::Hub,
            "admin" => Principal::Admin,
            CONCORD => Principal::Concord,
            m => Principal::Member(m.to_string()),
        }
    }

    /// The member code, for a member.
    pub fn member(&self) -> Option<&str> {
        match self {
            Principal::Member(m) => Some(m),
            _ => None,
        }
    }

    /// Hub-like readers (the hub and admins).
    pub fn is_hub(&self) -> bool {
        matches!(self, Principal::Hub | Principal::Admin)
    }

    /// Whether this principal may read an object with this TLP level, submitter and
    /// recipients (a JSON list of member codes).
    pub fn may_read(&self, tlp: Option<&str>, submitter: &str, recipients: Option<&str>) -> bool {
        let own = submitter == self.name();
        let named = || match self {
            Principal::Member(m) => recipients
                .and_then(|r| serde_json::from_str::<Vec<String>>(r).ok())
                .is_some_and(|r| r.iter().any(|x| x == m)),
            _ => false,
        };
        match tlp {
            None | Some("clear" | "white" | "green") => true,
            Some("amber") => own || self.is_hub() || named(),
            Some("amber+strict") => own || self.is_hub(),
            Some("red") => own || named(),
            // an unknown level is treated as the most restrictive
            Some(_) => own,
        }
    }
}

/// The submitter name of derived objects.
pub const CONCORD: &str = "concord";

/// Who may read a derived object: the most restrictive TLP level of its inputs, and as
/// recipients the members that may read every input (DESIGN 9). Stored with concord as
/// submitter, it is read by exactly those members (and, up to amber+strict, the hub): never
/// by anyone who may not read all of its inputs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scope {
    /// `None`: every input is unmarked (reads as green).
    pub tlp: Option<&'static str>,
    /// Members that may read every input; `None`: every member.
    pub recipients: Option<std::collections::BTreeSet<String>>,
}

impl Scope {
    /// Narrow the scope by one input (its TLP level, submitter and recipients JSON list).
    pub fn add(&mut self, tlp: Option<&str>, submitter: &str, recipients: Option<&str>) {
        use crate::marking;
        let level: Option<&'static str> = tlp.map(|t| {
            marking::LEVELS
                .get(marking::rank(t))
                .copied()
                .unwrap_or(marking::MOST_RESTRICTIVE)
        });
        if let Some(l) = level {
            self.tlp = marking::stricter(self.tlp, l);
        }
        let readers: Option<std::collections::BTreeSet<String>> = match level {
            None | Some("clear" | "green") => None,
            Some(l) => {
                let mut set = std::collections::BTreeSet::new();
                if let Some(m) = Principal::from_name(submitter).member() {
                    set.insert(m.to_string());
                }
                if l != "amber+strict" {
                    set.extend(
                        recipients
                            .and_then(|r| serde_json::from_str::<Vec<String>>(r).ok())
                            .unwrap_or_default(),
                    );
                }
                Some(set)
            }
        };
        if let Some(r) = readers {
            self.recipients = Some(match self.recipients.take() {
                None => r,
                Some(cur) => cur.intersection(&r).cloned().collect(),
            });
        }
    }

    /// Narrow the scope by another scope (what both allow).
    pub fn merge(&mut self, other: &Scope) {
        if let Some(t) = other.tlp {
            self.tlp = crate::marking::stricter(self.tlp, t);
        }
        if let Some(r) = &other.recipients {
            self.recipients = Some(match self.recipients.take() {
                None => r.clone(),
                Some(cur) => cur.intersection(r).cloned().collect(),
            });
        }
    }

    /// A short, stable key of the scope (empty for an unmarked or green scope).
    pub fn key(&self) -> String {
        match (&self.tlp, &self.recipients) {
            (None | Some("clear" | "green"), _) => String::new(),
            (Some(t), r) => format!(
                "{t}|{}",
                r.iter().flatten().cloned().collect::<Vec<_>>().join(",")
            ),
        }
    }
}

/// A stored token (without its secret).
#[derive(Debug, Clone, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub principal: String,
    pub created: String,
    pub revoked: bool,
}

/// SHA-256 of a secret (a token, a session id): what the database keeps instead of it.
pub(crate) fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

impl Store {
    /// Create a token for a principal; returns the secret (shown once, stored hashed).
    pub fn create_token(&mut self, principal: &Principal) -> Result<String, StoreError> {
        let secret = format!(
            "concord_{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        let now = concord_stix::timestamp::now();
        let mut tx = self.begin_write()?;
        tx.execute(
            "INSERT INTO tokens (principal, hash, created) VALUES (?1, ?2, ?3)",
            &[
                P::Text(principal.name()),
                P::Blob(&hash(&secret)),
                P::Text(&now),
            ],
        )?;
        crate::audit(&mut tx, &now, "admin", "token-create", principal.name())?;
        tx.commit()?;
        Ok(secret)
    }

    /// The principal a token stands for, if it is known and not revoked.
    pub fn authenticate(&self, token: &str) -> Result<Option<Principal>, StoreError> {
        Ok(self
            .authenticate_with_id(token)?
            .map(|(_, principal)| principal))
    }

    /// The id and principal of a token, if it is known and not revoked (web sessions keep
    /// the id to check, at every request, that it was not revoked since).
    pub fn authenticate_with_id(
        &self,
        token: &str,
    ) -> Result<Option<(i64, Principal)>, StoreError> {
        let row = self.read()?.opt(
            "SELECT seq, principal FROM tokens WHERE hash = ?1 AND revoked = 0",
            &[P::Blob(&hash(token))],
            |r| Ok((r.int(0)?, r.text(1)?)),
        )?;
        Ok(row.map(|(id, n)| (id, Principal::from_name(&n))))
    }

    /// Whether a token id exists and is not revoked.
    pub fn token_active(&self, id: i64) -> Result<bool, StoreError> {
        let n = self.read()?.one(
            "SELECT COUNT(*) FROM tokens WHERE seq = ?1 AND revoked = 0",
            &[P::Int(id)],
            |r| r.int(0),
        )?;
        Ok(n > 0)
    }

    /// Every token (without secrets).
    pub fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        self.read()?.rows(
            "SELECT seq, principal, created, revoked FROM tokens ORDER BY seq",
            &[],
            |r| {
                Ok(TokenInfo {
                    id: r.int(0)?,
                    principal: r.text(1)?,
                    created: r.text(2)?,
                    revoked: r.int(3)? != 0,
                })
            },
        )
    }

    /// Revoke a token by its id; false when there is no such token.
    pub fn revoke_token(&mut self, id: i64) -> Result<bool, StoreError> {
        let now = concord_stix::timestamp::now();
        let mut tx = self.begin_write()?;
        let n = tx.execute(
            "UPDATE tokens SET revoked = 1 WHERE seq = ?1",
            &[P::Int(id)],
        )?;
        if n > 0 {
            crate::audit(&mut tx, &now, "admin", "token-revoke", &id.to_string())?;
        }
        tx.commit()?;
        Ok(n > 0)
    }
}

impl Store {
    /// Save a new version of a member's policy text (already validated by the caller).
    pub fn put_policy(
        &mut self,
        member: &str,
        text: &str,
        by: &Principal,
    ) -> Result<(), StoreError> {
        let now = concord_stix::timestamp::now();
        let mut tx = self.begin_write()?;
        tx.execute(
            "INSERT INTO policies (member, text, at, principal) VALUES (?1, ?2, ?3, ?4)",
            &[
                P::Text(member),
                P::Text(text),
                P::Text(&now),
                P::Text(by.name()),
            ],
        )?;
        crate::audit(&mut tx, &now, by.name(), "policy-update", member)?;
        tx.commit()?;
        Ok(())
    }

    /// The number of the latest saved policy version (0 when none was saved): it grows
    /// with every save, through any server on the database.
    pub fn policy_version(&self) -> Result<i64, StoreError> {
        self.read()?
            .one("SELECT COALESCE(MAX(seq), 0) FROM policies", &[], |r| {
                r.int(0)
            })
    }

    /// The latest stored policy text of every member that has one: (member, text, at).
    pub fn stored_policies(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        self.read()?.rows(
            "SELECT member, text, at FROM policies p WHERE seq = (SELECT MAX(seq) FROM policies WHERE member = p.member) ORDER BY member",
            &[],
            |r| Ok((r.text(0)?, r.text(1)?, r.text(2)?)),
        )
    }

    /// The audit log, newest last: (at, principal, action, detail).
    pub fn audit(&self, limit: usize) -> Result<Vec<(String, String, String, String)>, StoreError> {
        self.read()?.rows(
            "SELECT at, principal, action, detail FROM (SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?1) AS recent ORDER BY seq",
            &[P::Int(i64::try_from(limit).unwrap_or(i64::MAX))],
            |r| Ok((r.text(0)?, r.text(1)?, r.text(2)?, r.text(3)?)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marking_rules() {
        let est = Principal::Member("EST".into());
        let lva = Principal::Member("LVA".into());
        let r = Some(r#"["LVA"]"#);
        for p in [&est, &lva, &Principal::Hub, &Principal::Admin] {
            assert!(p.may_read(None, "POL", None));
            assert!(p.may_read(Some("green"), "POL", None));
            assert!(p.may_read(Some("clear"), "POL", None));
        }
        assert!(est.may_read(Some("amber"), "EST", None));
        assert!(!est.may_read(Some("amber"), "POL", r));
        assert!(lva.may_read(Some("amber"), "POL", r));
        assert!(Principal::Hub.may_read(Some("amber"), "POL", None));
        assert!(!lva.may_read(Some("amber+strict"), "POL", r));
        assert!(Principal::Hub.may_read(Some("amber+strict"), "POL", None));
        assert!(!Principal::Hub.may_read(Some("red"), "POL", r));
        assert!(!Principal::Admin.may_read(Some("red"), "POL", r));
        assert!(lva.may_read(Some("red"), "POL", r));
        assert!(!est.may_read(Some("red"), "POL", r));
        assert!(Principal::Hub.may_read(Some("red"), "hub", None));
    }

    #[test]
    fn derived_scope_is_the_intersection_of_readers() {
        let mut s = Scope::default();
        s.add(None, "FRA", None);
        assert_eq!(s, Scope::default());
        assert_eq!(s.key(), "");
        s.add(Some("green"), "FRA", None);
        assert_eq!(s.key(), "");
        s.add(Some("red"), "EST", Some(r#"["LVA", "FRA"]"#));
        assert_eq!(s.tlp, Some("red"));
        assert_eq!(s.key(), "red|EST,FRA,LVA");
        s.add(Some("amber"), "FRA", Some(r#"["EST"]"#));
        assert_eq!(s.key(), "red|EST,FRA");
        s.add(Some("amber+strict"), "EST", None);
        assert_eq!(s.key(), "red|EST");
        // what concord stores for it is read by exactly the members that read every input
        let rec = serde_json::to_string(&s.recipients.clone().unwrap()).unwrap();
        let c = Principal::Concord;
        let est = Principal::Member("EST".into());
        assert!(est.may_read(s.tlp, c.name(), Some(&rec)));
        assert!(!Principal::Member("FRA".into()).may_read(s.tlp, c.name(), Some(&rec)));
        assert!(!Principal::Hub.may_read(s.tlp, c.name(), Some(&rec)));
    }

    #[test]
    fn tokens_authenticate_until_revoked() {
        let mut s = Store::open_in_memory().unwrap();
        let t = s.create_token(&Principal::Member("EST".into())).unwrap();
        assert_eq!(
            s.authenticate(&t).unwrap(),
            Some(Principal::Member("EST".into()))
        );
        assert_eq!(s.authenticate("nope").unwrap(), None);
        let id = s.tokens().unwrap()[0].id;
        assert!(s.revoke_token(id).unwrap());
        assert_eq!(s.authenticate(&t).unwrap(), None);
    }
}
