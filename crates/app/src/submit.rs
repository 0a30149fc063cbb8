//! One way in: every write of STIX objects (files, web uploads, TAXII POST, sync, the demo
//! scenarios, objects concord derives) is validated, then stored, by [`submit`].
//!
//! - Nothing reaches the store without passing the validator with the caller's options
//!   (MUST checks; SHOULD checks too under `strict`).
//! - [`Atomicity::Whole`]: the input is stored whole or not at all (any invalid object, any
//!   refusal by the store). [`Atomicity::EachObject`]: invalid objects are skipped; when the
//!   store refuses the batch, the valid objects are stored one at a time, so one refused
//!   object does not block the rest (TAXII POST, sync).
//! - The store decides authority, versions and markings ([`concord_store::Store::ingest`]);
//!   this module never second-guesses it.

use crate::{Error, Result};
use concord_stix::validate::{Finding, Report};
use concord_stix::Options;
use concord_store::access::Principal;
use concord_store::{IngestSummary, NewObject, ObjectMeta, Store};
use serde::Serialize;
use serde_json::Value;

/// What is submitted.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A document's text: a bundle or a single object; `name` (a file name, "upload")
    /// appears in messages.
    Document { text: &'a str, name: &'a str },
    /// Objects already parsed (a TAXII envelope, a sync page, derived objects); object `i`
    /// is at path `$.objects[i]`.
    Objects(&'a [Value]),
}

/// Stored all together, or each object on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Atomicity {
    /// Everything or nothing.
    Whole,
    /// Every valid object that the store accepts; the others are reported in
    /// [`Submitted::skipped`].
    EachObject,
}

/// A write: what, checked how, by whom, from where.
#[derive(Debug, Clone, Copy)]
pub struct Submission<'a> {
    pub input: Input<'a>,
    pub options: &'a Options,
    pub submitter: &'a Principal,
    /// Where it came from (a file name, "web upload", "TAXII POST to ..."): kept in the
    /// store's ingest log.
    pub source: &'a str,
    pub atomicity: Atomicity,
}

/// An object that was not stored, and why: validation findings, or the store's refusal
/// (code `store`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Skipped {
    /// Its `id` ("" when it has none).
    pub id: String,
    /// Its `modified` ("" when it has none).
    pub version: String,
    pub findings: Vec<Finding>,
}

impl Skipped {
    /// Why, one line a finding: `CODE PATH: MESSAGE` for the validator's, the bare reason
    /// for the store's.
    pub fn reasons(&self) -> Vec<String> {
        self.findings
            .iter()
            .map(|f| match f.code.as_str() {
                "store" => f.message.clone(),
                code => format!("{code} {}: {}", f.path, f.message),
            })
            .collect()
    }
}

/// What a submission did.
#[derive(Debug, Clone, Default)]
pub struct Submitted {
    /// Number of objects submitted.
    pub objects: usize,
    /// The validator's findings (errors and warnings) over every object.
    pub report: Report,
    /// What the store did: counts by type (`rejected` counts what was not stored) and,
    /// under [`Atomicity::Whole`], the store's rejections.
    pub summary: IngestSummary,
    /// (id, modified) of every object stored or already stored, in input order.
    pub accepted: Vec<(String, String)>,
    /// Under [`Atomicity::EachObject`]: every object not stored, with why.
    pub skipped: Vec<Skipped>,
}

impl Submitted {
    /// Whether everything submitted is now stored (new or duplicate).
    pub fn is_stored(&self) -> bool {
        self.report.is_valid() && self.summary.rejections.is_empty() && self.skipped.is_empty()
    }

    /// Every finding that kept something from being stored: validation errors first, then
    /// the store's refusals (code `store`).
    pub fn errors(&self) -> Vec<Finding> {
        let mut out: Vec<Finding> = if self.skipped.is_empty() {
            self.report.errors.clone()
        } else {
            self.skipped
                .iter()
                .flat_map(|s| s.findings.iter().cloned())
                .collect()
        };
        out.extend(
            self.summary
                .rejections
                .iter()
                .map(|r| store_finding(&r.id, &r.path, &r.reason)),
        );
        out
    }
}

fn store_finding(id: &str, path: &str, reason: &str) -> Finding {
    Finding {
        code: "store".into(),
        id: Some(id.to_string()),
        path: path.to_string(),
        message: reason.to_string(),
    }
}

/// An object's text and what the caller needs to know of it.
struct Part<'a> {
    raw: std::borrow::Cow<'a, str>,
    path: String,
    /// This object's own errors (objects input only; a document is judged whole).
    errors: Vec<Finding>,
    /// (id, modified) as far as they can be read.
    key: (String, String),
    ty: String,
}

type Meta = std::result::Result<ObjectMeta, concord_store::MetaError>;

fn key_of(v: &Value) -> (String, String) {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    (s("id"), s("modified"))
}

/// Validate and prepare: every object's text and indexed columns, and the whole report.
fn prepare<'a>(input: Input<'a>, opts: &Options) -> Result<(Vec<Part<'a>>, Vec<Meta>, Report)> {
    match input {
        Input::Document { text, name } => {
            let doc = concord_stix::json::split_document(text, name)?;
            // one parallel pass: parse, validate, extract the indexed columns; the parsed
            // values are dropped, so memory stays near the size of the text
            let (report, metas) =
                concord_stix::validate::validate_stream(&doc, opts, ObjectMeta::of)?;
            let parts = doc
                .parts
                .iter()
                .zip(&metas)
                .map(|(p, meta)| Part {
                    raw: std::borrow::Cow::Borrowed(p.raw),
                    path: p.path.clone(),
                    errors: Vec::new(),
                    key: meta
                        .as_ref()
                        .map(|m| (m.id().to_string(), m.modified().to_string()))
                        .unwrap_or_default(),
                    ty: meta
                        .as_ref()
                        .map_or("(no type)", ObjectMeta::object_type)
                        .to_string(),
                })
                .collect();
            Ok((parts, metas, report))
        }
        Input::Objects(values) => {
            let mut report = Report::default();
            let mut parts = Vec::with_capacity(values.len());
            let mut metas = Vec::with_capacity(values.len());
            for (i, v) in values.iter().enumerate() {
                let path = format!("$.objects[{i}]");
                let r = concord_stix::validate::validate_object(v, &path, opts);
                report.warnings.extend(r.warnings);
                report.errors.extend(r.errors.iter().cloned());
                parts.push(Part {
                    raw: std::borrow::Cow::Owned(v.to_string()),
                    path,
                    errors: r.errors,
                    key: key_of(v),
                    ty: v
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or("(no type)")
                        .to_string(),
                });
                metas.push(ObjectMeta::of(v));
            }
            Ok((parts, metas, report))
        }
    }
}

/// Every part counted as rejected.
fn rejected_whole(parts: &[Part<'_>]) -> IngestSummary {
    let mut summary = IngestSummary {
        rejected: parts.len(),
        ..IngestSummary::default()
    };
    for p in parts {
        summary.by_type.entry(p.ty.clone()).or_default().rejected += 1;
    }
    summary
}

/// Validate only, storing nothing (a read-only session's upload): the report and, when
/// invalid, what a whole submission would have rejected.
pub fn check(input: Input<'_>, opts: &Options) -> Result<Submitted> {
    let (parts, _, report) = prepare(input, opts)?;
    let mut out = Submitted {
        objects: parts.len(),
        report,
        ..Submitted::default()
    };
    if !out.report.is_valid() {
        out.summary = rejected_whole(&parts);
    }
    Ok(out)
}

/// Validate, then store. `Err` only when the input is unusable ([`Error::Unusable`]:
/// nothing stored) or the store fails; what the validator or the store refuses is in the
/// [`Submitted`] outcome.
pub fn submit(store: &mut Store, s: Submission<'_>) -> Result<Submitted> {
    let (parts, metas, report) = prepare(s.input, s.options)?;
    let submitter = s.submitter.name();
    let mut out = Submitted {
        objects: parts.len(),
        report,
        ..Submitted::default()
    };
    if s.atomicity == Atomicity::Whole && !out.report.is_valid() {
        // nothing of an invalid input is stored
        out.summary = rejected_whole(&parts);
        return Ok(out);
    }
    // the valid objects, in order, with their parts
    let mut valid: Vec<&Part<'_>> = Vec::with_capacity(parts.len());
    let mut news: Vec<NewObject<'_>> = Vec::with_capacity(parts.len());
    for (p, meta) in parts.iter().zip(metas) {
        if p.errors.is_empty() {
            valid.push(p);
            news.push(NewObject {
                raw: &p.raw,
                path: &p.path,
                meta,
            });
        } else {
            out.summary.rejected += 1;
            out.summary
                .by_type
                .entry(p.ty.clone())
                .or_default()
                .rejected += 1;
            out.skipped.push(Skipped {
                id: p.key.0.clone(),
                version: p.key.1.clone(),
                findings: p.errors.clone(),
            });
        }
    }
    let all = store.ingest(&news, submitter, s.source)?;
    if all.rejections.is_empty() || s.atomicity == Atomicity::Whole {
        let stored = all.rejections.is_empty();
        out.summary.merge(all);
        if stored {
            out.accepted = valid.iter().map(|p| p.key.clone()).collect();
        }
        return Ok(out);
    }
    // one at a time, so one refused object does not block the rest
    for (p, n) in valid.iter().zip(&news) {
        let mut r = store.ingest(std::slice::from_ref(n), submitter, s.source)?;
        if r.rejections.is_empty() {
            out.accepted.push(p.key.clone());
        } else {
            out.skipped.push(Skipped {
                id: p.key.0.clone(),
                version: p.key.1.clone(),
                findings: r
                    .rejections
                    .iter()
                    .map(|x| store_finding(&x.id, &x.path, &x.reason))
                    .collect(),
            });
            r.rejections.clear();
        }
        out.summary.merge(r);
    }
    Ok(out)
}

/// Store objects concord derived (created by its identity) in one transaction, with concord
/// itself as submitter (so they are read by their marking and recipients alone, and only
/// concord versions them). An object equal to its stored version, apart from `modified`,
/// is left alone; a changed one becomes a new version (`modified` = now, `created` kept).
/// Returns (new or changed, unchanged).
pub fn upsert_derived(
    store: &mut Store,
    mut objects: Vec<Value>,
    source: &str,
) -> Result<(usize, usize)> {
    use concord_stix::canonical::canonical;
    let concord = Principal::Concord;
    let now = concord_stix::timestamp::now();
    let (mut changed, mut unchanged) = (0, 0);
    let mut write = Vec::with_capacity(objects.len());
    {
        // what concord stored before: it reads its own objects
        let previous_of = store.reader(&concord);
        for o in objects.iter_mut() {
            let id = o
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let previous = previous_of.get(&id)?.map(|p| p.value()).transpose()?;
            match previous {
                Some(prev) if o.get("modified").is_some() => {
                    let mut same = o.clone();
                    same["modified"] = prev["modified"].clone();
                    same["created"] = prev["created"].clone();
                    if canonical(&same) == canonical(&prev) {
                        unchanged += 1;
                        continue;
                    }
                    same["modified"] = Value::String(now.clone());
                    *o = same;
                    changed += 1;
                }
                Some(_) => {
                    unchanged += 1;
                    continue;
                }
                None => changed += 1,
            }
            write.push(o.clone());
        }
    }
    let s = submit(
        store,
        Submission {
            input: Input::Objects(&write),
            options: &Options::default(),
            submitter: &concord,
            source,
            atomicity: Atomicity::Whole,
        },
    )?;
    if !s.is_stored() {
        return Err(Error::Internal(format!(
            "storing derived objects was refused: {:?}",
            s.errors()
        )));
    }
    Ok((changed, unchanged))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn indicator(n: u32, name: &str) -> Value {
        json!({"type": "indicator", "spec_version": "2.1",
            "id": format!("indicator--{n:08x}-2222-4333-8444-555555555555"),
            "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
            "name": name, "pattern": "[ipv4-addr:value = '198.51.100.1']", "pattern_type": "stix",
            "valid_from": "2026-01-01T00:00:00Z"})
    }

    fn sub<'a>(input: Input<'a>, who: &'a Principal, atomicity: Atomicity) -> Submission<'a> {
        static OPTS: std::sync::OnceLock<Options> = std::sync::OnceLock::new();
        Submission {
            input,
            options: OPTS.get_or_init(Options::default),
            submitter: who,
            source: "test",
            atomicity,
        }
    }

    #[test]
    fn a_document_is_stored_whole_or_not_at_all() {
        let mut s = Store::open_in_memory().unwrap();
        let hub = Principal::Hub;
        let mut bad = indicator(2, "bad");
        bad["pattern"] = json!("not a pattern");
        let text = json!({"type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982",
            "objects": [indicator(1, "good"), bad]})
        .to_string();
        let r = submit(
            &mut s,
            sub(
                Input::Document {
                    text: &text,
                    name: "t.json",
                },
                &hub,
                Atomicity::Whole,
            ),
        )
        .unwrap();
        assert!(!r.is_stored());
        assert_eq!(r.summary.rejected, 2);
        assert_eq!(r.summary.stored, 0);
        assert!(
            r.errors()
                .iter()
                .any(|f| f.path.starts_with("$.objects[1]")),
            "{:?}",
            r.errors()
        );
        assert!(s
            .reader(&hub)
            .get(&key_of(&indicator(1, "")).0)
            .unwrap()
            .is_none());
        // valid: stored, and again: duplicates
        let text = json!({"type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982",
            "objects": [indicator(1, "good")]})
        .to_string();
        for (stored, dup) in [(1, 0), (0, 1)] {
            let r = submit(
                &mut s,
                sub(
                    Input::Document {
                        text: &text,
                        name: "t.json",
                    },
                    &hub,
                    Atomicity::Whole,
                ),
            )
            .unwrap();
            assert!(r.is_stored());
            assert_eq!((r.summary.stored, r.summary.duplicates), (stored, dup));
            assert_eq!(r.accepted.len(), 1);
        }
        // unusable input is an error, not a report
        let e = submit(
            &mut s,
            sub(
                Input::Document {
                    text: "{not json",
                    name: "t.json",
                },
                &hub,
                Atomicity::Whole,
            ),
        );
        assert!(matches!(e, Err(Error::Unusable(_))));
    }

    #[test]
    fn each_object_stores_what_it_can_and_says_why_not_the_rest() {
        let mut s = Store::open_in_memory().unwrap();
        let est = Principal::Member("EST".into());
        let lva = Principal::Member("LVA".into());
        // LVA owns indicator 3: EST may not version it
        let r = submit(
            &mut s,
            sub(
                Input::Objects(&[indicator(3, "LVA's")]),
                &lva,
                Atomicity::EachObject,
            ),
        )
        .unwrap();
        assert!(r.is_stored());
        let mut newer = indicator(3, "EST's");
        newer["modified"] = json!("2026-02-01T00:00:00.000Z");
        let mut invalid = indicator(2, "x");
        invalid["pattern_type"] = json!(7);
        let objs = [indicator(1, "fine"), invalid, newer];
        let r = submit(
            &mut s,
            sub(Input::Objects(&objs), &est, Atomicity::EachObject),
        )
        .unwrap();
        assert!(!r.is_stored());
        assert_eq!(r.accepted, vec![key_of(&objs[0])]);
        assert_eq!(r.skipped.len(), 2, "{:?}", r.skipped);
        assert_eq!(r.skipped[0].id, key_of(&objs[1]).0);
        assert_ne!(r.skipped[0].findings[0].code, "store");
        assert_eq!(r.skipped[1].version, "2026-02-01T00:00:00.000Z");
        assert_eq!(r.skipped[1].findings[0].code, "store");
        assert_eq!(r.summary.stored, 1);
        let reader = s.reader(&est);
        assert!(reader.get(&key_of(&objs[0]).0).unwrap().is_some());
        assert_eq!(
            reader
                .get(&key_of(&objs[2]).0)
                .unwrap()
                .unwrap()
                .value()
                .unwrap()["name"],
            "LVA's"
        );
        // the same objects as a whole: nothing
        let objs = [indicator(4, "fine"), indicator(3, "EST's")];
        let mut objs = objs.to_vec();
        objs[1]["modified"] = json!("2026-03-01T00:00:00.000Z");
        let r = submit(&mut s, sub(Input::Objects(&objs), &est, Atomicity::Whole)).unwrap();
        assert!(!r.is_stored());
        assert!(r.accepted.is_empty());
        assert!(reader_is_empty(&s, &est, &key_of(&objs[0]).0));
    }

    fn reader_is_empty(s: &Store, p: &Principal, id: &str) -> bool {
        s.reader(p).get(id).unwrap().is_none()
    }

    #[test]
    fn derived_objects_are_concords_and_equal_ones_are_left_alone() {
        let mut s = Store::open_in_memory().unwrap();
        let mut o = indicator(7, "derived");
        o["created_by_ref"] = json!(concord_stix::concord_ext::IDENTITY_ID);
        assert_eq!(
            upsert_derived(&mut s, vec![o.clone()], "t").unwrap(),
            (1, 0)
        );
        assert_eq!(
            upsert_derived(&mut s, vec![o.clone()], "t").unwrap(),
            (0, 1)
        );
        o["name"] = json!("changed");
        assert_eq!(
            upsert_derived(&mut s, vec![o.clone()], "t").unwrap(),
            (1, 0)
        );
        let stored = s
            .reader(&Principal::Concord)
            .versions(&key_of(&o).0)
            .unwrap();
        assert_eq!(stored.len(), 2);
        assert!(stored.iter().all(|v| v.submitter == "concord"));
        // an invalid derived object is a defect, not stored
        let mut bad = indicator(8, "bad");
        bad["pattern"] = json!("nonsense");
        assert!(matches!(
            upsert_derived(&mut s, vec![bad], "t"),
            Err(Error::Internal(_))
        ));
    }
}
