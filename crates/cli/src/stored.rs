//! Reading and writing what concord derives, shared by several subcommands: the knowledge
//! base (built from the store on demand) and derived objects stored idempotently.

use anyhow::Context;
use concord_assess::KnowledgeBase;
use concord_store::Store;
use serde_json::Value;

/// The knowledge base from everything stored (one bulk read).
pub fn knowledge_base(store: &Store) -> anyhow::Result<KnowledgeBase> {
    use concord_assess::kb::{wants_relationship, KB_RELATIONSHIPS, KB_TYPES};
    // which relationships to parse, from the indexed columns alone
    let wanted: std::collections::HashSet<String> = store
        .edges(KB_RELATIONSHIPS)?
        .into_iter()
        .filter(|e| wants_relationship(&e.relationship_type, &e.source_ref, &e.target_ref))
        .map(|e| e.id)
        .collect();
    let mut objects = Vec::new();
    store.for_each_latest::<anyhow::Error>(KB_TYPES, |o| {
        if o.object_type != "relationship" || wanted.contains(&o.id) {
            objects.push(o.value()?);
        }
        Ok(())
    })?;
    Ok(KnowledgeBase::build(objects.iter()))
}

/// Store objects concord derived (created by its identity) in one transaction. An object
/// equal to its stored version, apart from `modified`, is left alone; a changed one becomes
/// a new version (`modified` = now, `created` kept). Returns (new or changed, unchanged).
pub fn upsert_derived(
    store: &mut Store,
    mut objects: Vec<Value>,
    submitter: &str,
    source: &str,
) -> anyhow::Result<(usize, usize)> {
    use concord_stix::canonical::canonical;
    let now = concord_stix::timestamp::now();
    let (mut changed, mut unchanged) = (0, 0);
    let mut write = Vec::with_capacity(objects.len());
    for o in objects.iter_mut() {
        let id = o
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let previous = store.get(&id)?.map(|p| p.value()).transpose()?;
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
        let report =
            concord_stix::validate::validate_object(o, "$", &concord_stix::Options::default());
        anyhow::ensure!(
            report.is_valid(),
            "derived object {id} is invalid: {:?}",
            report.errors
        );
        write.push(o.clone());
    }
    let s = store
        .ingest_values(&write, submitter, source)
        .context("storing derived objects")?;
    anyhow::ensure!(
        s.rejections.is_empty(),
        "storing derived objects was refused: {:?}",
        s.rejections
    );
    Ok((changed, unchanged))
}
