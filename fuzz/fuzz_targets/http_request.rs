//! Arbitrary HTTP requests through the whole application in process (`app(state)` with a
//! tower `oneshot`): the server answers every one, never panics, never hangs.
//!
//! Input: one byte choosing the method, then the request target up to a newline, header
//! lines `name: value` up to an empty line, then the body. In header values `$E`, `$L`,
//! `$H` and `$A` stand for the tokens of EST, LVA, the hub and an admin, so the fuzzer
//! reaches what lies behind authentication.
#![no_main]

use axum::body::Body;
use axum::http::{Method, Request};
use concord_server::{app, AppState, Shared};
use concord_store::access::Principal;
use concord_store::Store;
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

struct World {
    rt: tokio::runtime::Runtime,
    state: Shared,
    tokens: Vec<(&'static str, String)>,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let mut store = Store::open_in_memory().expect("store");
        let bundle: serde_json::Value =
            serde_json::from_str(concord_server::demo::SCENARIO).expect("demo");
        let objs = bundle["objects"].as_array().cloned().unwrap_or_default();
        let s = store
            .ingest_values(&objs, "hub", "fuzz seed")
            .expect("seed");
        assert!(s.rejections.is_empty(), "{:?}", s.rejections);
        let mut tokens = Vec::new();
        for (k, p) in [
            ("$E", Principal::Member("EST".into())),
            ("$L", Principal::Member("LVA".into())),
            ("$H", Principal::Hub),
            ("$A", Principal::Admin),
        ] {
            tokens.push((k, store.create_token(&p).expect("token")));
        }
        let texts = concord_policy::policy::BUILTIN
            .iter()
            .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
            .collect();
        let mut st =
            AppState::new(store, concord_policy::Alliance::nato(), texts, false).expect("state");
        st.max_body = 256 * 1024;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        World {
            rt,
            state: Arc::new(st),
            tokens,
        }
    })
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"];

fuzz_target!(|data: &[u8]| {
    let w = world();
    let Some((&m, rest)) = data.split_first() else {
        return;
    };
    let method = METHODS[m as usize % METHODS.len()];
    let (target, rest) = match rest.iter().position(|b| *b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let Ok(target) = std::str::from_utf8(target) else {
        return;
    };
    let mut b = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).expect("method"))
        .uri(if target.starts_with('/') {
            target.to_string()
        } else {
            format!("/{target}")
        });
    let mut body = rest;
    loop {
        let Some(i) = body.iter().position(|b| *b == b'\n') else {
            break;
        };
        let line = &body[..i];
        body = &body[i + 1..];
        if line.is_empty() {
            break;
        }
        let Ok(line) = std::str::from_utf8(line) else {
            continue;
        };
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let mut v = v.trim().to_string();
        for (key, tok) in &w.tokens {
            v = v.replace(key, tok);
        }
        b = b.header(k.trim(), v);
    }
    let Ok(req) = b.body(Body::from(body.to_vec())) else {
        return;
    };
    let state = w.state.clone();
    w.rt.block_on(async move {
        let r = app(state).oneshot(req).await.expect("infallible");
        let _ = http_body_util::BodyExt::collect(r.into_body()).await;
    });
});
