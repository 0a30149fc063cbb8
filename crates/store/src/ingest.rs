//! Storing a bundle: the versioning rules of DESIGN 8, and authority over objects and
//! identities decided in this one place (issue 12):
//!
//! - **Ownership.** The principal that stored an object's first version owns it; only the
//!   owner adds versions (so nobody else re-marks, revokes or rewrites it), the hub and
//!   admins included. Exception: an identity that stands for a member (concord extension
//!   `member`) may be versioned by that member or by the hub (or an admin), who may create
//!   it on the member's behalf.
//! - **Identities.** A member creates or versions only identities that stand for itself; no
//!   principal changes the member an identity stands for.
//! - **Authorship.** `created_by_ref` is resolved when the object is written: to an identity
//!   in the same bundle, else to a stored one the submitter may read. A member may not name
//!   an identity standing for another member, nor one that cannot be resolved (it would be
//!   attributed later to whoever stored that identity), nor concord's own identity (reserved
//!   for derived objects). The member found is kept in the `author` column; nothing is
//!   re-resolved later.
//! - **Hidden objects.** A principal that may not read a stored version of an id gets one
//!   fixed refusal for anything it sends under that id, identical content included, the
//!   same text as for an object another principal owns: nothing of the hidden object (its
//!   times, creator, marking, whether a guess matched) is in it.
//! - **Markings.** The governing TLP level is resolved here ([`crate::marking`]).

use crate::access::Principal;
use crate::marking::{self, Meaning};
use crate::{IngestSummary, NewObject, ObjectMeta, Rejection, Store, StoreError};
use concord_stix::{concord_ext, timestamp};
use rusqlite::{params, OptionalExtension};
use serde_json::Value;
use std::collections::HashMap;

/// One stored version, as the rules need it.
struct Stored {
    modified: String,
    created: Option<String>,
    created_by_ref: Option<String>,
    revoked: bool,
    submitter: String,
    tlp: Option<String>,
    recipients: Option<String>,
    member: Option<String>,
    hash: Vec<u8>,
}

/// (modified, created, created_by_ref, revoked, member) of a version in this bundle.
type InBundle<'a> = (
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    bool,
    Option<&'a str>,
);

/// The one refusal text for an id the principal may not write: the same whether the
/// object is hidden from it or owned by another principal.
fn not_yours(id: &str, who: &str) -> String {
    format!("{id} belongs to another principal; {who} may not store it or a version of it")
}

/// Whether a name is a member code (three uppercase letters).
pub(crate) fn is_member_code(name: &str) -> bool {
    name.len() == 3 && name.bytes().all(|c| c.is_ascii_uppercase())
}

impl Store {
    /// Store one bundle's objects atomically as `submitter` (`hub`, `admin`, a member code,
    /// or `concord` for derived objects). Returns the summary; when `rejections` is not
    /// empty nothing was stored.
    pub fn ingest(
        &mut self,
        objects: &[NewObject<'_>],
        submitter: &str,
        source: &str,
    ) -> Result<IngestSummary, StoreError> {
        let who = Principal::from_name(submitter);
        let is_member = is_member_code(submitter);
        let mut summary = IngestSummary::default();
        let mut rejections = Vec::new();
        let mut prepared: Vec<(&NewObject<'_>, &ObjectMeta)> = Vec::with_capacity(objects.len());
        for o in objects {
            match &o.meta {
                Ok(m) => prepared.push((o, m)),
                Err(r) => rejections.push(Rejection {
                    id: String::new(),
                    path: o.path.to_string(),
                    reason: r.to_string(),
                }),
            }
        }
        let now = timestamp::now();
        let tx = self.begin_write()?;
        // (object, meta, governing TLP level, author)
        let mut new_rows: Vec<(
            &NewObject<'_>,
            &ObjectMeta,
            Option<&'static str>,
            Option<String>,
        )> = Vec::new();
        {
            let mut versions = tx.prepare_cached(
                "SELECT modified, created, created_by_ref, revoked, submitter, tlp, recipients, member, hash
                   FROM objects WHERE id = ?1 ORDER BY seq",
            )?;
            let mut identity = tx.prepare_cached(
                "SELECT member, submitter, tlp, recipients FROM objects WHERE id = ?1 ORDER BY seq LIMIT 1",
            )?;
            let mut definition = tx.prepare_cached(
                "SELECT raw, submitter FROM objects WHERE id = ?1 AND type = 'marking-definition' ORDER BY seq LIMIT 1",
            )?;
            let mut in_bundle: HashMap<&str, Vec<InBundle<'_>>> = HashMap::new();
            let mut keys: HashMap<(&str, &str), &[u8]> = HashMap::new();
            // identities and marking definitions of this bundle (first occurrence)
            let mut bundle_members: HashMap<&str, Option<&str>> = HashMap::new();
            let mut bundle_defs: HashMap<&str, Meaning> = HashMap::new();
            for (_, p) in &prepared {
                if p.ty == "identity" {
                    bundle_members
                        .entry(p.id.as_str())
                        .or_insert(p.member.as_deref());
                }
                if let Some(m) = p.defines {
                    bundle_defs.entry(p.id.as_str()).or_insert(m);
                }
            }
            for &(obj, p) in &prepared {
                let entry = summary.by_type.entry(p.ty.clone()).or_default();
                let reject = |reason: String| Rejection {
                    id: p.id.clone(),
                    path: obj.path.to_string(),
                    reason,
                };
                // duplicates within the bundle
                if let Some(h) = keys.get(&(p.id.as_str(), p.modified.as_str())) {
                    if *h == &p.hash[..] {
                        entry.duplicate += 1;
                        summary.duplicates += 1;
                    } else {
                        rejections.push(reject(format!(
                            "the bundle holds two different objects with id {} and modified {:?}",
                            p.id, p.modified
                        )));
                    }
                    continue;
                }
                keys.insert((p.id.as_str(), p.modified.as_str()), &p.hash[..]);
                let stored: Vec<Stored> = versions
                    .query_map(params![p.id], |r| {
                        Ok(Stored {
                            modified: r.get(0)?,
                            created: r.get(1)?,
                            created_by_ref: r.get(2)?,
                            revoked: r.get(3)?,
                            submitter: r.get(4)?,
                            tlp: r.get(5)?,
                            recipients: r.get(6)?,
                            member: r.get(7)?,
                            hash: r.get(8)?,
                        })
                    })?
                    .collect::<Result<_, _>>()?;
                // a stored version this principal may not read: one fixed answer
                if stored
                    .iter()
                    .any(|s| !who.may_read(s.tlp.as_deref(), &s.submitter, s.recipients.as_deref()))
                {
                    rejections.push(reject(not_yours(&p.id, submitter)));
                    continue;
                }
                if let Some(same) = stored.iter().find(|s| s.modified == p.modified) {
                    if same.hash == p.hash[..] {
                        entry.duplicate += 1;
                        summary.duplicates += 1;
                    } else {
                        let what = if p.modified.is_empty() {
                            "it has no 'modified', so it cannot be a new version".to_string()
                        } else {
                            format!("same 'modified' ({})", p.modified)
                        };
                        rejections.push(reject(format!("{} is already stored with different content under the same key ({what}); a change needs a new 'modified'", p.id)));
                    }
                    continue;
                }
                // identities: who they stand for never changes, and only that member (or
                // the hub) speaks through them
                let standing = stored.first().map(|s| s.member.as_deref()).or_else(|| {
                    in_bundle
                        .get(p.id.as_str())
                        .and_then(|b| b.first())
                        .map(|b| b.4)
                });
                if let Some(before) = standing {
                    if p.ty == "identity" && before != p.member.as_deref() {
                        rejections.push(reject(format!(
                            "{} stands for {}; a new version may not change the member it stands for (now {})",
                            p.id,
                            before.unwrap_or("no member"),
                            p.member.as_deref().unwrap_or("no member")
                        )));
                        continue;
                    }
                }
                if let Some(first) = stored.first() {
                    let allowed = match first.member.as_deref().filter(|_| p.ty == "identity") {
                        Some(m) => who.is_hub() || submitter == m,
                        None => first.submitter == submitter,
                    };
                    if !allowed {
                        rejections.push(reject(not_yours(&p.id, submitter)));
                        continue;
                    }
                }
                if is_member {
                    if let Some(m) = p.member.as_deref().filter(|m| *m != submitter) {
                        rejections.push(reject(format!(
                            "{submitter} may not submit identity {} standing for member {m}",
                            p.id
                        )));
                        continue;
                    }
                }
                // authorship, resolved now
                let mut author: Option<String> = None;
                if let Some(cbr) = &p.created_by_ref {
                    let resolved: Option<Option<String>> = match bundle_members.get(cbr.as_str()) {
                        Some(m) => Some(m.map(str::to_owned)),
                        None => identity
                            .query_row(params![cbr], |r| {
                                Ok((
                                    r.get::<_, Option<String>>(0)?,
                                    r.get::<_, String>(1)?,
                                    r.get::<_, Option<String>>(2)?,
                                    r.get::<_, Option<String>>(3)?,
                                ))
                            })
                            .optional()?
                            .filter(|(_, sub, tlp, rec)| {
                                who.may_read(tlp.as_deref(), sub, rec.as_deref())
                            })
                            .map(|(m, ..)| m),
                    };
                    if is_member {
                        if cbr == concord_ext::IDENTITY_ID {
                            rejections.push(reject(format!("created_by_ref {cbr} is concord's own identity, reserved for the objects concord derives")));
                            continue;
                        }
                        match &resolved {
                            None => {
                                rejections.push(reject(format!("created_by_ref {cbr} names no identity that is stored or in this bundle; send the identity with the objects it creates")));
                                continue;
                            }
                            Some(Some(m)) if m != submitter => {
                                rejections.push(reject(format!("created_by_ref {cbr} stands for member {m}; {submitter} may not speak for another member")));
                                continue;
                            }
                            _ => {}
                        }
                    }
                    author = resolved.flatten();
                }
                // version rules against stored and in-bundle versions
                let mut others: Vec<(String, Option<String>, Option<String>, bool)> = stored
                    .into_iter()
                    .map(|s| (s.modified, s.created, s.created_by_ref, s.revoked))
                    .collect();
                if let Some(b) = in_bundle.get(p.id.as_str()) {
                    others.extend(b.iter().map(|(m, c, cb, rv, _)| {
                        (
                            (*m).to_string(),
                            c.map(str::to_owned),
                            cb.map(str::to_owned),
                            *rv,
                        )
                    }));
                }
                let mut problem = None;
                for (m, c, cb, revoked) in &others {
                    if *c != p.created {
                        problem = Some(format!(
                            "a new version must keep 'created' ({} was {:?}, now {:?})",
                            p.id, c, p.created
                        ));
                    } else if *cb != p.created_by_ref {
                        problem = Some(format!(
                            "a new version must keep 'created_by_ref' ({} was {:?}, now {:?})",
                            p.id, cb, p.created_by_ref
                        ));
                    } else if *revoked
                        && !p.revoked
                        && timestamp::Timestamp::cmp_str(&p.modified, m).is_some_and(|o| o.is_gt())
                    {
                        problem = Some(format!(
                            "{} was revoked (version {m}); a revoked object stays revoked",
                            p.id
                        ));
                    }
                    if problem.is_some() {
                        break;
                    }
                }
                if let Some(why) = problem {
                    rejections.push(reject(why));
                    continue;
                }
                // the governing marking
                let mut lookup_error = None;
                let tlp = marking::level(&p.marking_refs, |r| {
                    if let Some(m) = bundle_defs.get(r) {
                        return Some(*m);
                    }
                    let row: Option<(String, String)> = match definition
                        .query_row(params![r], |x| Ok((x.get(0)?, x.get(1)?)))
                        .optional()
                    {
                        Ok(row) => row,
                        Err(e) => {
                            lookup_error = Some(e);
                            None
                        }
                    };
                    let (raw, by) = row?;
                    let trusted = by == submitter || matches!(by.as_str(), "hub" | "admin");
                    if !trusted {
                        return None;
                    }
                    serde_json::from_str::<Value>(&raw)
                        .ok()
                        .map(|v| marking::meaning(&v))
                });
                if let Some(e) = lookup_error {
                    return Err(e.into());
                }
                in_bundle.entry(p.id.as_str()).or_default().push((
                    p.modified.as_str(),
                    p.created.as_deref(),
                    p.created_by_ref.as_deref(),
                    p.revoked,
                    p.member.as_deref(),
                ));
                new_rows.push((obj, p, tlp, author));
            }
        }
        if !rejections.is_empty() {
            tx.rollback()?;
            let mut s = IngestSummary {
                rejected: objects.len(),
                rejections,
                ..IngestSummary::default()
            };
            for (_, p) in &prepared {
                s.by_type.entry(p.ty.clone()).or_default().rejected += 1;
            }
            return Ok(s);
        }
        let batch: i64 = {
            tx.execute(
                "INSERT INTO ingests (source, submitter, at, objects) VALUES (?1, ?2, ?3, ?4)",
                params![source, submitter, now, objects.len() as i64],
            )?;
            tx.last_insert_rowid()
        };
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO objects (id, modified, type, created, created_by_ref, revoked, markings, tlp, submitter, date_added, ingest, hash, raw,
                                      source_ref, target_ref, relationship_type, recipients, member, author)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            )?;
            for (obj, p, tlp, author) in &new_rows {
                let markings = if p.marking_refs.is_empty() {
                    None
                } else {
                    serde_json::to_string(&p.marking_refs).ok()
                };
                ins.execute(params![
                    p.id,
                    p.modified,
                    p.ty,
                    p.created,
                    p.created_by_ref,
                    p.revoked,
                    markings,
                    tlp,
                    submitter,
                    now,
                    batch,
                    &p.hash[..],
                    obj.raw,
                    p.rel.as_ref().map(|r| r.0.as_str()),
                    p.rel.as_ref().map(|r| r.1.as_str()),
                    p.rel.as_ref().map(|r| r.2.as_str()),
                    p.recipients,
                    p.member,
                    author,
                ])?;
                summary.by_type.entry(p.ty.clone()).or_default().new += 1;
                summary.stored += 1;
            }
        }
        tx.execute(
            "INSERT INTO audit_log (at, principal, action, detail) VALUES (?1, ?2, 'ingest', ?3)",
            params![now, submitter, serde_json::json!({"source": source, "stored": summary.stored, "duplicates": summary.duplicates}).to_string()],
        )?;
        tx.commit()?;
        Ok(summary)
    }
}
