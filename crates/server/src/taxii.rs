//! TAXII 2.1 (OASIS): discovery, the API root, collections, objects (GET with `match[id]`,
//! `match[type]`, `match[version]`, `match[spec_version]`, `added_after`, `limit` and
//! `next`; POST of an envelope or a bundle), one object, its versions, deletion, the
//! manifest and status resources. Media type `application/taxii+json;version=2.1`.

use crate::auth::Caller;
use crate::error::{AppError, TAXII};
use crate::{with_reader, with_store, Shared};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use concord_store::taxii::{PageQuery, Versions};
use concord_store::StoredObject;
use serde_json::{json, Value};

/// The API root's path.
pub const ROOT: &str = "/taxii2/alliance/";
/// Page size when `limit` is absent, and the largest allowed.
pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 1000;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/taxii2/", get(discovery))
        .route("/taxii2/alliance/", get(api_root))
        .route("/taxii2/alliance/collections/", get(collections))
        .route("/taxii2/alliance/collections/{id}/", get(collection))
        .route(
            "/taxii2/alliance/collections/{id}/objects/",
            get(get_objects).post(post_objects),
        )
        .route(
            "/taxii2/alliance/collections/{id}/objects/{object}/",
            get(get_object).delete(delete_object),
        )
        .route(
            "/taxii2/alliance/collections/{id}/objects/{object}/versions/",
            get(versions),
        )
        .route("/taxii2/alliance/collections/{id}/manifest/", get(manifest))
        .route("/taxii2/alliance/status/{id}/", get(status))
}

/// A TAXII response with the media type.
fn taxii(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(TAXII));
    r
}

/// A media type's essence and its `version` parameter (lowercase, spaces removed).
fn media(m: &str) -> (String, Option<String>) {
    let m = m.trim().to_ascii_lowercase().replace(' ', "");
    let mut parts = m.split(';');
    let essence = parts.next().unwrap_or("").to_string();
    let version = parts
        .filter_map(|p| p.strip_prefix("version="))
        .map(|v| v.trim_matches('"').to_string())
        .next();
    (essence, version)
}

/// Whether a media type is one of TAXII 2.1 / STIX 2.1 (no version, or version 2.1).
fn is_taxii_21(m: &str, essences: &[&str]) -> bool {
    let (e, v) = media(m);
    essences.contains(&e.as_str()) && v.as_deref().is_none_or(|v| v == "2.1")
}

/// The Accept header must allow TAXII 2.1 (or JSON, or anything); a TAXII media type of
/// another version is not acceptable (TAXII 2.1 section 1.6.8.1).
fn check_accept(h: &HeaderMap) -> Result<(), AppError> {
    let Some(a) = h.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let ok = a.split(',').any(|m| {
        let (e, _) = media(m);
        e == "*/*"
            || e == "application/*"
            || e == "application/json"
            || is_taxii_21(m, &["application/taxii+json"])
    });
    if ok {
        Ok(())
    } else {
        Err(AppError::new(
            StatusCode::NOT_ACCEPTABLE,
            "Not acceptable",
            format!("this server speaks {TAXII}; Accept was '{a}'"),
        ))
    }
}

/// The API root's URL: under the configured public URL, else the path alone (a relative
/// URL, which TAXII 2.1 allows). Never built from the request's `Host` header, which a
/// client chooses.
fn root_url(st: &Shared) -> String {
    match &st.public_url {
        Some(u) => format!("{}{ROOT}", u.trim_end_matches('/')),
        None => ROOT.to_string(),
    }
}

async fn discovery(
    State(st): State<Shared>,
    _: Caller,
    h: HeaderMap,
) -> Result<Response, AppError> {
    check_accept(&h)?;
    let root = root_url(&st);
    Ok(taxii(
        StatusCode::OK,
        json!({"title": "concord", "description": "Alliance incident sharing (TAXII 2.1)",
               "default": root, "api_roots": [root]})
        .to_string(),
    ))
}

async fn api_root(State(st): State<Shared>, _: Caller, h: HeaderMap) -> Result<Response, AppError> {
    check_accept(&h)?;
    Ok(taxii(
        StatusCode::OK,
        json!({"title": "Alliance", "description": "Incidents and campaigns shared by the members",
               "versions": [TAXII], "max_content_length": st.max_body})
        .to_string(),
    ))
}

fn collection_json(c: &concord_store::taxii::Collection, caller: &Caller) -> Value {
    json!({"id": c.id, "title": c.title, "description": c.description,
           "can_read": true, "can_write": caller.may_write && c.can_write(&caller.principal),
           "media_types": ["application/stix+json;version=2.1"]})
}

async fn collections(
    State(st): State<Shared>,
    caller: Caller,
    h: HeaderMap,
) -> Result<Response, AppError> {
    check_accept(&h)?;
    let list = with_reader(&st, |s, _| Ok(s.collections()?)).await?;
    let cs: Vec<Value> = list.iter().map(|c| collection_json(c, &caller)).collect();
    Ok(taxii(
        StatusCode::OK,
        json!({"collections": cs}).to_string(),
    ))
}

async fn find_collection(
    st: &Shared,
    id: &str,
) -> Result<concord_store::taxii::Collection, AppError> {
    let id2 = id.to_string();
    with_reader(st, move |s, _| Ok(s.collection(&id2)?))
        .await?
        .ok_or_else(|| AppError::not_found(format!("no collection {id}")))
}

async fn collection(
    State(st): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    h: HeaderMap,
) -> Result<Response, AppError> {
    check_accept(&h)?;
    let c = find_collection(&st, &id).await?;
    Ok(taxii(
        StatusCode::OK,
        collection_json(&c, &caller).to_string(),
    ))
}

/// The longest query string accepted (bytes).
pub const MAX_QUERY: usize = 64 * 1024;
/// The most query parameters accepted.
pub const MAX_PARAMS: usize = 64;
/// The most values one filter (`match[id]`, ...) may list.
pub const MAX_VALUES: usize = 1000;

/// The query parameters, percent-decoded, within the budgets above.
fn params(q: Option<&str>) -> Result<Vec<(String, String)>, AppError> {
    let q = q.unwrap_or("");
    if q.len() > MAX_QUERY {
        return Err(AppError::bad_request(format!(
            "the query string is longer than {MAX_QUERY} bytes"
        )));
    }
    let dec = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    let out: Vec<(String, String)> = q
        .split('&')
        .filter(|p| !p.is_empty())
        .take(MAX_PARAMS + 1)
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (dec(k), dec(v)),
            None => (dec(p), String::new()),
        })
        .collect();
    if out.len() > MAX_PARAMS {
        return Err(AppError::bad_request(format!(
            "more than {MAX_PARAMS} query parameters"
        )));
    }
    Ok(out)
}

fn page_query(
    st: &Shared,
    collection: &str,
    q: Option<&str>,
    object: Option<&str>,
) -> Result<PageQuery, AppError> {
    let mut pq = PageQuery {
        collection: collection.to_string(),
        added_after: None,
        ids: object.map(|o| vec![o.to_string()]).unwrap_or_default(),
        types: Vec::new(),
        versions: Versions::Last,
        spec_versions: Vec::new(),
        limit: DEFAULT_LIMIT,
        after_seq: None,
    };
    let list = |k: &str, v: &str| -> Result<Vec<String>, AppError> {
        let out: Vec<String> = v
            .split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .take(MAX_VALUES + 1)
            .map(String::from)
            .collect();
        if out.len() > MAX_VALUES {
            return Err(AppError::bad_request(format!(
                "{k}: more than {MAX_VALUES} values"
            )));
        }
        Ok(out)
    };
    for (k, v) in params(q)? {
        match k.as_str() {
            "added_after" => {
                if concord_stix::timestamp::Timestamp::parse(&v).is_err() {
                    return Err(AppError::bad_request(format!(
                        "added_after: '{v}' is not a timestamp"
                    )));
                }
                pq.added_after = Some(v);
            }
            "limit" => {
                pq.limit = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        AppError::bad_request(format!("limit: '{v}' is not a positive integer"))
                    })?
                    .min(MAX_LIMIT);
            }
            "next" => {
                pq.after_seq = Some(crate::cursor::open(&st.cursor_key, &v).ok_or_else(|| {
                    AppError::bad_request(format!("next: '{v}' is not a value this server gave"))
                })?);
            }
            "match[id]" if object.is_none() => pq.ids = list(&k, &v)?,
            "match[type]" => pq.types = list(&k, &v)?,
            "match[spec_version]" => pq.spec_versions = list(&k, &v)?,
            "match[version]" => {
                let vals = list(&k, &v)?;
                pq.versions = if vals.iter().any(|x| x == "all") {
                    Versions::All
                } else if vals.iter().any(|x| x == "first") {
                    Versions::First
                } else if vals.iter().any(|x| x == "last") || vals.is_empty() {
                    Versions::Last
                } else {
                    Versions::These(vals)
                };
            }
            _ => {}
        }
    }
    Ok(pq)
}

/// The TAXII page headers for a page.
fn page_headers(r: &mut Response, objs: &[StoredObject]) {
    if let (Some(f), Some(l)) = (objs.first(), objs.last()) {
        for (k, v) in [
            ("X-TAXII-Date-Added-First", &f.date_added),
            ("X-TAXII-Date-Added-Last", &l.date_added),
        ] {
            if let Ok(v) = HeaderValue::from_str(v) {
                r.headers_mut().insert(k, v);
            }
        }
    }
}

fn envelope(key: &[u8; 32], objs: &[StoredObject], more: bool) -> String {
    let mut out = String::with_capacity(objs.iter().map(|o| o.raw.len() + 1).sum::<usize>() + 64);
    out.push_str(&format!("{{\"more\":{more}"));
    if more {
        if let Some(l) = objs.last() {
            out.push_str(&format!(
                ",\"next\":\"{}\"",
                crate::cursor::seal(key, l.seq)
            ));
        }
    }
    if !objs.is_empty() {
        out.push_str(",\"objects\":[");
        for (i, o) in objs.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&o.raw);
        }
        out.push(']');
    }
    out.push('}');
    out
}

/// The page a request asks for: the collection must exist; `object` narrows it to one id.
async fn fetch_page(
    st: &Shared,
    caller: &Caller,
    h: &HeaderMap,
    collection: &str,
    q: Option<&str>,
    object: Option<&str>,
) -> Result<(concord_store::taxii::Collection, concord_store::taxii::Page), AppError> {
    check_accept(h)?;
    let c = find_collection(st, collection).await?;
    let pq = page_query(st, collection, q, object)?;
    let p = caller.principal.clone();
    let page = with_reader(st, move |s, _| Ok(s.page(&pq, &p)?)).await?;
    if let Some(o) = object {
        if page.objects.is_empty() {
            return Err(AppError::not_found(format!(
                "no object {o} in collection {collection}"
            )));
        }
    }
    Ok((c, page))
}

/// The caller may write to the collection (a demo visitor never may).
fn check_write(caller: &Caller, c: &concord_store::taxii::Collection) -> Result<(), AppError> {
    if caller.may_write && c.can_write(&caller.principal) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "this principal may not write to this collection",
        ))
    }
}

async fn get_objects(
    State(st): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    h: HeaderMap,
) -> Result<Response, AppError> {
    let (_, page) = fetch_page(&st, &caller, &h, &id, q.as_deref(), None).await?;
    let mut r = taxii(
        StatusCode::OK,
        envelope(&st.cursor_key, &page.objects, page.more),
    );
    page_headers(&mut r, &page.objects);
    Ok(r)
}

async fn get_object(
    State(st): State<Shared>,
    caller: Caller,
    Path((id, object)): Path<(String, String)>,
    RawQuery(q): RawQuery,
    h: HeaderMap,
) -> Result<Response, AppError> {
    let (_, page) = fetch_page(&st, &caller, &h, &id, q.as_deref(), Some(&object)).await?;
    let mut r = taxii(
        StatusCode::OK,
        envelope(&st.cursor_key, &page.objects, page.more),
    );
    page_headers(&mut r, &page.objects);
    Ok(r)
}

async fn versions(
    State(st): State<Shared>,
    caller: Caller,
    Path((id, object)): Path<(String, String)>,
    h: HeaderMap,
) -> Result<Response, AppError> {
    check_accept(&h)?;
    find_collection(&st, &id).await?;
    let p = caller.principal.clone();
    let (c, o) = (id.clone(), object.clone());
    let vs = with_reader(&st, move |s, _| Ok(s.readable_versions(&c, &o, &p)?)).await?;
    if vs.is_empty() {
        return Err(AppError::not_found(format!(
            "no object {object} in collection {id}"
        )));
    }
    let list: Vec<String> = vs
        .iter()
        .map(|v| v.modified.clone().unwrap_or_else(|| v.date_added.clone()))
        .collect();
    let mut r = taxii(
        StatusCode::OK,
        json!({"more": false, "versions": list}).to_string(),
    );
    page_headers(&mut r, &vs);
    Ok(r)
}

async fn manifest(
    State(st): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    h: HeaderMap,
) -> Result<Response, AppError> {
    let (_, page) = fetch_page(&st, &caller, &h, &id, q.as_deref(), None).await?;
    let items: Vec<Value> = page
        .objects
        .iter()
        .map(|o| {
            json!({"id": o.id, "date_added": o.date_added,
                   "version": o.modified.clone().unwrap_or_else(|| o.date_added.clone()),
                   "media_type": "application/stix+json;version=2.1"})
        })
        .collect();
    let mut doc = json!({"more": page.more});
    if page.more {
        if let Some(l) = page.objects.last() {
            doc["next"] = json!(crate::cursor::seal(&st.cursor_key, l.seq));
        }
    }
    if !items.is_empty() {
        doc["objects"] = json!(items);
    }
    let mut r = taxii(StatusCode::OK, doc.to_string());
    page_headers(&mut r, &page.objects);
    Ok(r)
}

async fn delete_object(
    State(st): State<Shared>,
    caller: Caller,
    Path((id, object)): Path<(String, String)>,
    RawQuery(q): RawQuery,
    h: HeaderMap,
) -> Result<Response, AppError> {
    let (c, page) = fetch_page(&st, &caller, &h, &id, q.as_deref(), Some(&object)).await?;
    // the hub (and admins) moderate every collection; a member deletes its own objects
    // where it may write
    if !(caller.may_write && caller.principal.is_hub()) {
        check_write(&caller, &c)?;
    }
    let mods: Vec<String> = page
        .objects
        .iter()
        .map(|o| o.modified.clone().unwrap_or_default())
        .collect();
    let p = caller.principal.clone();
    let o2 = object.clone();
    let n = with_store(&st, move |s, _| Ok(s.delete_versions(&o2, &mods, &p)?)).await?;
    if n == 0 {
        return Err(AppError::forbidden(format!(
            "{object} was submitted by another principal; only its submitter or the hub may delete it"
        )));
    }
    Ok(taxii(StatusCode::OK, String::new()))
}

/// Whether a Content-Type is the TAXII 2.1 media type (the STIX 2.1 one accepted too); a
/// version other than 2.1 is not.
fn taxii_content_type(h: &HeaderMap) -> bool {
    h.get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| is_taxii_21(v, &["application/taxii+json", "application/stix+json"]))
}

async fn post_objects(
    State(st): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    h: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    check_accept(&h)?;
    let c = find_collection(&st, &id).await?;
    check_write(&caller, &c)?;
    if !taxii_content_type(&h) {
        return Err(AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            format!("POST a TAXII envelope as {TAXII} (no other version)"),
        ));
    }
    // strict JSON, as the CLI reads files: a duplicate key is an error (last-wins would let
    // a second `object_marking_refs` clear a red marking); nesting is capped by serde_json's
    // recursion limit (128) and the size by the body limit
    let doc = crate::error::strict_json(&body)?;
    let objects = doc
        .get("objects")
        .and_then(Value::as_array)
        .cloned()
        .ok_or_else(|| {
            AppError::bad_request("the body is neither an envelope nor a bundle: no 'objects' list")
        })?;
    let principal = caller.principal.clone();
    let coll = id.clone();
    let status = with_store(&st, move |s, _| {
        use concord_app::submit::{submit, Atomicity, Input, Submission};
        let now = concord_stix::timestamp::now();
        // each object on its own: invalid or refused objects are failures, the rest stored
        let done = submit(
            s,
            Submission {
                input: Input::Objects(&objects),
                options: &concord_stix::Options::default(),
                submitter: &principal,
                source: &format!("TAXII POST to {coll}"),
                atomicity: Atomicity::EachObject,
            },
        )?;
        let failures: Vec<Value> = done
            .skipped
            .iter()
            .map(|f| json!({"id": f.id, "version": f.version, "message": f.reasons().join("; ")}))
            .collect();
        let keys = done.accepted;
        s.add_to_collection(&coll, &keys)?;
        let successes: Vec<Value> = keys
            .iter()
            .map(|(i, m)| json!({"id": i, "version": m, "message": format!("stored in collection {coll}")}))
            .collect();
        let status_id = uuid::Uuid::new_v4().to_string();
        let doc = json!({"id": status_id, "status": "complete", "request_timestamp": now,
            "total_count": objects.len(), "success_count": successes.len(), "successes": successes,
            "failure_count": failures.len(), "failures": failures, "pending_count": 0, "pendings": []});
        s.put_status(&status_id, &principal, &doc.to_string())?;
        Ok(doc)
    })
    .await?;
    Ok(taxii(StatusCode::ACCEPTED, status.to_string()))
}

async fn status(
    State(st): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    h: HeaderMap,
) -> Result<Response, AppError> {
    check_accept(&h)?;
    let p = caller.principal.clone();
    let i = id.clone();
    match with_reader(&st, move |s, _| Ok(s.status(&i, &p)?)).await? {
        Some(doc) => Ok(taxii(StatusCode::OK, doc)),
        None => Err(AppError::not_found(format!("no status {id}"))),
    }
}
