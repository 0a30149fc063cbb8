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
//!
//! The code is split by concern, each rule in one named function that reads no database:
//! [`duplicate_in_bundle`] and [`duplicate_of_stored`] (duplicate detection),
//! [`hidden_from`], [`authority`] and [`authorship`] (member authority), [`version_rules`]
//! (DESIGN 8), [`governing_marking`]; [`plan`] applies them to a bundle in order. The SQL is
//! apart: [`load_known`] reads what the rules need under the write lock, [`insert_rows`]
//! writes the result, and [`crate::audit`] records it. Both backends run the same code.

use crate::access::Principal;
use crate::db::{marks, Sql, SqlExt, P};
use crate::marking::{self, Meaning};
use crate::{IngestSummary, NewObject, ObjectMeta, Rejection, Store, StoreError};
use concord_stix::{concord_ext, timestamp};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// One stored version, as the rules need it.
#[derive(Debug, Clone)]
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

/// What the rules need to know of the database, read once under the write lock.
#[derive(Debug, Default)]
struct Known {
    /// Every stored version (oldest first) of the ids in the bundle and of the identities
    /// their `created_by_ref` names.
    versions: HashMap<String, Vec<Stored>>,
    /// The first stored marking definition of each custom marking id the bundle names:
    /// (raw JSON, submitter).
    definitions: HashMap<String, (String, String)>,
}

impl Known {
    fn of(&self, id: &str) -> &[Stored] {
        self.versions.get(id).map_or(&[], Vec::as_slice)
    }
}

/// A version of an object earlier in this bundle, as the rules need it.
#[derive(Debug, Clone, Copy)]
struct InBundle<'a> {
    modified: &'a str,
    created: Option<&'a str>,
    created_by_ref: Option<&'a str>,
    revoked: bool,
    member: Option<&'a str>,
}

/// What a duplicate check decided.
#[derive(Debug, PartialEq, Eq)]
enum Duplicate {
    /// Equal (canonical JSON) to a version already stored or earlier in the bundle.
    Same,
    /// Another object under the same key: the reason.
    Conflict(String),
}

/// An object that passed every rule, to be written.
struct NewRow<'o> {
    obj: &'o NewObject<'o>,
    meta: &'o ObjectMeta,
    tlp: Option<&'static str>,
    author: Option<String>,
}

/// The one refusal text for an id the principal may not write: the same whether the
/// object is hidden from it or owned by another principal.
fn not_yours(id: &str, who: &str) -> String {
    format!("{id} belongs to another principal; {who} may not store it or a version of it")
}

// ------------------------------------------------------------- duplicate detection

/// Duplicate detection within the bundle: the same key (id, modified) earlier in it.
fn duplicate_in_bundle(earlier: Option<&[u8]>, p: &ObjectMeta) -> Option<Duplicate> {
    let h = earlier?;
    Some(if h == &p.hash[..] {
        Duplicate::Same
    } else {
        Duplicate::Conflict(format!(
            "the bundle holds two different objects with id {} and modified {:?}",
            p.id, p.modified
        ))
    })
}

/// Duplicate detection against the stored versions: the same key, equal as canonical JSON
/// (a duplicate) or not (rejected: a change needs a new `modified`).
fn duplicate_of_stored(stored: &[Stored], p: &ObjectMeta) -> Option<Duplicate> {
    let same = stored.iter().find(|s| s.modified == p.modified)?;
    Some(if same.hash == p.hash[..] {
        Duplicate::Same
    } else {
        let what = if p.modified.is_empty() {
            "it has no 'modified', so it cannot be a new version".to_string()
        } else {
            format!("same 'modified' ({})", p.modified)
        };
        Duplicate::Conflict(format!("{} is already stored with different content under the same key ({what}); a change needs a new 'modified'", p.id))
    })
}

// ------------------------------------------------------------- member authority

/// A stored version of this id that the principal may not read: it gets one fixed
/// refusal for anything it sends under the id, identical content included.
fn hidden_from(who: &Principal, stored: &[Stored]) -> bool {
    stored
        .iter()
        .any(|s| !who.may_read(s.tlp.as_deref(), &s.submitter, s.recipients.as_deref()))
}

/// Who may write this object: the member an identity stands for never changes; only the
/// first version's submitter adds versions (an identity standing for a member: that
/// member or the hub); a member submits only identities standing for itself.
/// `first_in_bundle`: the member of this id's first version earlier in the bundle.
fn authority(
    who: &Principal,
    submitter: &str,
    p: &ObjectMeta,
    stored: &[Stored],
    first_in_bundle: Option<Option<&str>>,
) -> Result<(), String> {
    let standing = stored
        .first()
        .map(|s| s.member.as_deref())
        .or(first_in_bundle);
    if let Some(before) = standing {
        if p.ty == "identity" && before != p.member.as_deref() {
            return Err(format!(
                "{} stands for {}; a new version may not change the member it stands for (now {})",
                p.id,
                before.unwrap_or("no member"),
                p.member.as_deref().unwrap_or("no member")
            ));
        }
    }
    if let Some(first) = stored.first() {
        let allowed = match first.member.as_deref().filter(|_| p.ty == "identity") {
            Some(m) => who.is_hub() || submitter == m,
            None => first.submitter == submitter,
        };
        if !allowed {
            return Err(not_yours(&p.id, submitter));
        }
    }
    if who.member().is_some() {
        if let Some(m) = p.member.as_deref().filter(|m| *m != submitter) {
            return Err(format!(
                "{submitter} may not submit identity {} standing for member {m}",
                p.id
            ));
        }
    }
    Ok(())
}

/// Authorship, resolved at write time: `created_by_ref` names an identity in the bundle,
/// else a stored one the submitter may read. A member may not name concord's identity, an
/// identity that cannot be resolved, or one standing for another member. The member found
/// (kept as `author`).
fn authorship(
    who: &Principal,
    submitter: &str,
    p: &ObjectMeta,
    bundle_members: &HashMap<&str, Option<&str>>,
    known: &Known,
) -> Result<Option<String>, String> {
    let Some(cbr) = &p.created_by_ref else {
        return Ok(None);
    };
    let resolved: Option<Option<String>> = match bundle_members.get(cbr.as_str()) {
        Some(m) => Some(m.map(str::to_owned)),
        None => known
            .of(cbr)
            .first()
            .filter(|s| who.may_read(s.tlp.as_deref(), &s.submitter, s.recipients.as_deref()))
            .map(|s| s.member.clone()),
    };
    if who.member().is_some() {
        if cbr == concord_ext::IDENTITY_ID {
            return Err(format!("created_by_ref {cbr} is concord's own identity, reserved for the objects concord derives"));
        }
        match &resolved {
            None => {
                return Err(format!("created_by_ref {cbr} names no identity that is stored or in this bundle; send the identity with the objects it creates"));
            }
            Some(Some(m)) if m != submitter => {
                return Err(format!("created_by_ref {cbr} stands for member {m}; {submitter} may not speak for another member"));
            }
            _ => {}
        }
    }
    Ok(resolved.flatten())
}

// ------------------------------------------------------------- version rules

/// DESIGN 8 against every other version (stored or earlier in the bundle): a new version
/// keeps `created` and `created_by_ref`; a revoked object stays revoked (a later version
/// must be revoked too; an older one may still be added as history).
fn version_rules(
    p: &ObjectMeta,
    stored: &[Stored],
    in_bundle: &[InBundle<'_>],
) -> Result<(), String> {
    let others = stored
        .iter()
        .map(|s| {
            (
                s.modified.as_str(),
                s.created.as_deref(),
                s.created_by_ref.as_deref(),
                s.revoked,
            )
        })
        .chain(
            in_bundle
                .iter()
                .map(|b| (b.modified, b.created, b.created_by_ref, b.revoked)),
        );
    for (m, c, cb, revoked) in others {
        if c != p.created.as_deref() {
            return Err(format!(
                "a new version must keep 'created' ({} was {:?}, now {:?})",
                p.id, c, p.created
            ));
        }
        if cb != p.created_by_ref.as_deref() {
            return Err(format!(
                "a new version must keep 'created_by_ref' ({} was {:?}, now {:?})",
                p.id, cb, p.created_by_ref
            ));
        }
        if revoked
            && !p.revoked
            && timestamp::Timestamp::cmp_str(&p.modified, m).is_some_and(|o| o.is_gt())
        {
            return Err(format!(
                "{} was revoked (version {m}); a revoked object stays revoked",
                p.id
            ));
        }
    }
    Ok(())
}

// ------------------------------------------------------------- markings

/// The governing TLP level: custom markings resolve from a definition in the bundle, else
/// one stored by the same submitter, the hub or an admin ([`crate::marking`]).
fn governing_marking(
    p: &ObjectMeta,
    submitter: &str,
    bundle_defs: &HashMap<&str, Meaning>,
    known: &Known,
) -> Option<&'static str> {
    marking::level(&p.marking_refs, |r| {
        if let Some(m) = bundle_defs.get(r) {
            return Some(*m);
        }
        let (raw, by) = known.definitions.get(r)?;
        let trusted = by == submitter || matches!(by.as_str(), "hub" | "admin");
        if !trusted {
            return None;
        }
        serde_json::from_str::<Value>(raw)
            .ok()
            .map(|v| marking::meaning(&v))
    })
}

// ------------------------------------------------------------- the bundle

/// What the rules decided for a bundle.
struct Plan<'o> {
    rows: Vec<NewRow<'o>>,
    summary: IngestSummary,
    rejections: Vec<Rejection>,
}

/// Apply the rules to every object of a bundle, in order (an object sees the versions
/// earlier in the bundle). No database access: `known` was read before.
fn plan<'o>(
    prepared: &[(&'o NewObject<'o>, &'o ObjectMeta)],
    submitter: &str,
    known: &Known,
) -> Plan<'o> {
    let who = Principal::from_name(submitter);
    let mut summary = IngestSummary::default();
    let mut rejections = Vec::new();
    let mut rows = Vec::new();
    let mut in_bundle: HashMap<&str, Vec<InBundle<'_>>> = HashMap::new();
    let mut keys: HashMap<(&str, &str), &[u8]> = HashMap::new();
    // identities and marking definitions of this bundle (first occurrence)
    let mut bundle_members: HashMap<&str, Option<&str>> = HashMap::new();
    let mut bundle_defs: HashMap<&str, Meaning> = HashMap::new();
    for (_, p) in prepared {
        if p.ty == "identity" {
            bundle_members
                .entry(p.id.as_str())
                .or_insert(p.member.as_deref());
        }
        if let Some(m) = p.defines {
            bundle_defs.entry(p.id.as_str()).or_insert(m);
        }
    }
    for &(obj, p) in prepared {
        let entry = summary.by_type.entry(p.ty.clone()).or_default();
        let reject = |reason: String| Rejection {
            id: p.id.clone(),
            path: obj.path.to_string(),
            reason,
        };
        let key = (p.id.as_str(), p.modified.as_str());
        match duplicate_in_bundle(keys.get(&key).copied(), p) {
            Some(Duplicate::Same) => {
                entry.duplicate += 1;
                summary.duplicates += 1;
                continue;
            }
            Some(Duplicate::Conflict(why)) => {
                rejections.push(reject(why));
                continue;
            }
            None => {}
        }
        keys.insert(key, &p.hash[..]);
        let stored = known.of(&p.id);
        if hidden_from(&who, stored) {
            rejections.push(reject(not_yours(&p.id, submitter)));
            continue;
        }
        match duplicate_of_stored(stored, p) {
            Some(Duplicate::Same) => {
                entry.duplicate += 1;
                summary.duplicates += 1;
                continue;
            }
            Some(Duplicate::Conflict(why)) => {
                rejections.push(reject(why));
                continue;
            }
            None => {}
        }
        let earlier = in_bundle.get(p.id.as_str()).map_or(&[][..], Vec::as_slice);
        if let Err(why) = authority(
            &who,
            submitter,
            p,
            stored,
            earlier.first().map(|b| b.member),
        ) {
            rejections.push(reject(why));
            continue;
        }
        let author = match authorship(&who, submitter, p, &bundle_members, known) {
            Ok(a) => a,
            Err(why) => {
                rejections.push(reject(why));
                continue;
            }
        };
        if let Err(why) = version_rules(p, stored, earlier) {
            rejections.push(reject(why));
            continue;
        }
        let tlp = governing_marking(p, submitter, &bundle_defs, known);
        in_bundle.entry(p.id.as_str()).or_default().push(InBundle {
            modified: p.modified.as_str(),
            created: p.created.as_deref(),
            created_by_ref: p.created_by_ref.as_deref(),
            revoked: p.revoked,
            member: p.member.as_deref(),
        });
        rows.push(NewRow {
            obj,
            meta: p,
            tlp,
            author,
        });
    }
    Plan {
        rows,
        summary,
        rejections,
    }
}

// ------------------------------------------------------------- SQL

/// Ids per query when loading what the rules need.
const LOAD_CHUNK: usize = 500;

/// Read what the rules need: every stored version of the bundle's ids and of the
/// identities they name, and the stored definitions of the custom markings they carry.
fn load_known(
    db: &mut dyn Sql,
    prepared: &[(&NewObject<'_>, &ObjectMeta)],
) -> Result<Known, StoreError> {
    let mut ids: Vec<&str> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut defs: Vec<&str> = Vec::new();
    let mut seen_defs: HashSet<&str> = HashSet::new();
    for (_, p) in prepared {
        for id in std::iter::once(p.id.as_str()).chain(p.created_by_ref.as_deref()) {
            if seen.insert(id) {
                ids.push(id);
            }
        }
        for r in &p.marking_refs {
            if marking::predefined(r).is_none() && seen_defs.insert(r.as_str()) {
                defs.push(r.as_str());
            }
        }
    }
    let mut known = Known::default();
    for chunk in ids.chunks(LOAD_CHUNK) {
        let sql = format!(
            "SELECT id, modified, created, created_by_ref, revoked, submitter, tlp, recipients, member, hash
               FROM objects WHERE id IN ({}) ORDER BY seq",
            marks(chunk.len())
        );
        let params: Vec<P<'_>> = chunk.iter().map(|i| P::Text(i)).collect();
        db.each(&sql, &params, &mut |r| {
            let s = Stored {
                modified: r.text(1)?,
                created: r.opt_text(2)?,
                created_by_ref: r.opt_text(3)?,
                revoked: r.int(4)? != 0,
                submitter: r.text(5)?,
                tlp: r.opt_text(6)?,
                recipients: r.opt_text(7)?,
                member: r.opt_text(8)?,
                hash: r.blob(9)?,
            };
            known.versions.entry(r.text(0)?).or_default().push(s);
            Ok(())
        })?;
    }
    for chunk in defs.chunks(LOAD_CHUNK) {
        let sql = format!(
            "SELECT id, raw, submitter FROM objects WHERE type = 'marking-definition' AND id IN ({}) ORDER BY seq",
            marks(chunk.len())
        );
        let params: Vec<P<'_>> = chunk.iter().map(|i| P::Text(i)).collect();
        db.each(&sql, &params, &mut |r| {
            known
                .definitions
                .entry(r.text(0)?)
                .or_insert((r.text(1)?, r.text(2)?));
            Ok(())
        })?;
    }
    Ok(known)
}

/// Rows per INSERT statement (19 parameters each).
const INSERT_CHUNK: usize = 50;

/// Write the batch and its objects.
fn insert_rows(
    db: &mut dyn Sql,
    rows: &[NewRow<'_>],
    submitter: &str,
    source: &str,
    count: usize,
    now: &str,
) -> Result<(), StoreError> {
    let batch = db.one(
        "INSERT INTO ingests (source, submitter, at, objects) VALUES (?1, ?2, ?3, ?4) RETURNING seq",
        &[
            P::Text(source),
            P::Text(submitter),
            P::Text(now),
            P::Int(i64::try_from(count).unwrap_or(i64::MAX)),
        ],
        |r| r.int(0),
    )?;
    let markings: Vec<Option<String>> = rows
        .iter()
        .map(|r| {
            (!r.meta.marking_refs.is_empty())
                .then(|| serde_json::to_string(&r.meta.marking_refs).ok())
                .flatten()
        })
        .collect();
    for (chunk, marks_chunk) in rows.chunks(INSERT_CHUNK).zip(markings.chunks(INSERT_CHUNK)) {
        let one = format!("({})", marks(19));
        let sql = format!(
            "INSERT INTO objects (id, modified, type, created, created_by_ref, revoked, markings, tlp, submitter, date_added, ingest, hash, raw,
                                  source_ref, target_ref, relationship_type, recipients, member, author)
             VALUES {}",
            vec![one.as_str(); chunk.len()].join(", ")
        );
        let mut params: Vec<P<'_>> = Vec::with_capacity(chunk.len() * 19);
        for (r, m) in chunk.iter().zip(marks_chunk) {
            let p = r.meta;
            let rel = p.rel.as_ref();
            params.extend([
                P::Text(&p.id),
                P::Text(&p.modified),
                P::Text(&p.ty),
                P::from(&p.created),
                P::from(&p.created_by_ref),
                P::from(p.revoked),
                P::from(m),
                P::from(r.tlp),
                P::Text(submitter),
                P::Text(now),
                P::Int(batch),
                P::Blob(&p.hash[..]),
                P::Text(r.obj.raw),
                P::from(rel.map(|r| r.0.as_str())),
                P::from(rel.map(|r| r.1.as_str())),
                P::from(rel.map(|r| r.2.as_str())),
                P::from(&p.recipients),
                P::from(&p.member),
                P::from(&r.author),
            ]);
        }
        db.execute(&sql, &params)?;
    }
    Ok(())
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
        let mut unusable = Vec::new();
        let mut prepared: Vec<(&NewObject<'_>, &ObjectMeta)> = Vec::with_capacity(objects.len());
        for o in objects {
            match &o.meta {
                Ok(m) => prepared.push((o, m)),
                Err(r) => unusable.push(Rejection {
                    id: String::new(),
                    path: o.path.to_string(),
                    reason: r.to_string(),
                }),
            }
        }
        let now = timestamp::now();
        let mut tx = self.begin_write()?;
        let known = load_known(&mut tx, &prepared)?;
        let Plan {
            rows,
            mut summary,
            rejections,
        } = plan(&prepared, submitter, &known);
        unusable.extend(rejections);
        if !unusable.is_empty() {
            tx.rollback()?;
            let mut s = IngestSummary {
                rejected: objects.len(),
                rejections: unusable,
                ..IngestSummary::default()
            };
            for (_, p) in &prepared {
                s.by_type.entry(p.ty.clone()).or_default().rejected += 1;
            }
            return Ok(s);
        }
        insert_rows(&mut tx, &rows, submitter, source, objects.len(), &now)?;
        for r in &rows {
            summary.by_type.entry(r.meta.ty.clone()).or_default().new += 1;
            summary.stored += 1;
        }
        crate::audit(
            &mut tx,
            &now,
            submitter,
            "ingest",
            &serde_json::json!({"source": source, "stored": summary.stored, "duplicates": summary.duplicates}).to_string(),
        )?;
        tx.commit()?;
        Ok(summary)
    }
}
