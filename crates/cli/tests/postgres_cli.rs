//! `--db postgres://...` end to end (issue 20): the database down at start, `concord
//! migrate` from SQLite, and two `concord serve` processes on one database. Tests that need
//! a PostgreSQL server skip, saying so, without one (`CONCORD_TEST_PG`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use concord_store::testing::PgSchema;
use serde_json::{json, Value};
use std::io::{Read, Write};

fn concord() -> Command {
    Command::cargo_bin("concord").unwrap()
}

fn demo_bundle() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo-bundle.json")
}

#[test]
fn a_database_down_at_start_exits_3_with_a_clear_message() {
    // nothing listens on port 1
    let url = "postgres://concord:s3cret@127.0.0.1:1/alliance";
    for args in [
        vec!["--db", url, "serve", "--addr", "127.0.0.1:0"],
        vec!["--db", url, "token", "list"],
    ] {
        let out = concord()
            .args(&args)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(
                "cannot connect to PostgreSQL at postgres://concord:***@127.0.0.1:1/alliance"
            ),
            "{err}"
        );
        assert!(err.contains("refused"), "says why: {err}");
        assert!(!err.contains("s3cret"), "no password in messages: {err}");
    }
    let out = concord()
        .args(["--db", "mysql://x/y", "token", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown database URL scheme 'mysql'"));
}

#[test]
fn migrate_copies_an_sqlite_store_into_postgres_and_verifies_it() {
    let Some(pg) = PgSchema::create() else { return };
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("c.db");
    let db = file.to_str().unwrap();
    concord()
        .args(["--db", db, "ingest"])
        .arg(demo_bundle())
        .assert()
        .success();
    concord()
        .args(["--db", db, "token", "create", "--member", "EST"])
        .assert()
        .success();
    let out = concord()
        .args([
            "migrate",
            "--json",
            "--from",
            &format!("sqlite:{db}"),
            "--to",
            &pg.url,
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["verified"], true, "{doc}");
    assert_eq!(doc["copied"]["objects"], 33);
    assert_eq!(doc["copied"]["tokens"], 1);
    assert!(doc["types"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["same"] == true));
    // the copy is a working store: the same bundle is all duplicates there
    let out = concord()
        .args(["--db", &pg.url, "ingest", "--json"])
        .arg(demo_bundle())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (doc["stored"].as_u64(), doc["duplicates"].as_u64()),
        (Some(0), Some(33)),
        "{doc}"
    );
    // a second copy into the same database is refused: it is not empty
    let out = concord()
        .args(["migrate", "--from", db, "--to", &pg.url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
}

/// A child process killed when dropped.
struct Child(std::process::Child);
impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 request; (status, body).
fn http(port: u16, method: &str, path: &str, token: &str, body: Option<&str>) -> (u16, Value) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let body = body.unwrap_or("");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/taxii+json;version=2.1\r\n\
         Content-Type: application/taxii+json;version=2.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out);
    let (head, rest) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        // de-chunk
        let mut b = String::new();
        let mut r = rest;
        while let Some((len, tail)) = r.split_once("\r\n") {
            let n = usize::from_str_radix(len.trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            b.push_str(&tail[..n]);
            r = &tail[n + 2..];
        }
        b
    } else {
        rest.to_string()
    };
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn serve(url: &str) -> (Child, u16) {
    let port = free_port();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("concord"))
        .args(["--db", url, "serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "serve did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    (Child(child), port)
}

#[test]
fn two_serve_processes_on_one_database() {
    let Some(pg) = PgSchema::create() else { return };
    let out = concord()
        .args(["--db", &pg.url, "token", "create", "--member", "EST"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let (_a, pa) = serve(&pg.url);
    let (_b, pb) = serve(&pg.url);
    let objects = "/taxii2/alliance/collections/365fed99-08fa-fdcd-a1b3-fb247eb41d01/objects/";
    let ind = |n: usize| {
        json!({"type": "indicator", "spec_version": "2.1", "id": format!("indicator--{n:08x}-2222-4333-8444-555555555555"),
        "created": "2026-03-02T00:00:00.000Z", "modified": "2026-03-02T00:00:00.000Z",
        "pattern": format!("[ipv4-addr:value = '198.51.100.{n}']"), "pattern_type": "stix", "valid_from": "2026-03-02T00:00:00Z"})
    };
    // written through A, read through B at once
    let env = json!({"objects": (0..12).map(ind).collect::<Vec<_>>()}).to_string();
    let (st, status) = http(pa, "POST", objects, &token, Some(&env));
    assert_eq!(st, 202, "{status}");
    let (st, page) = http(pb, "GET", &format!("{objects}?limit=5"), &token, None);
    assert_eq!(st, 200, "{page}");
    assert_eq!(page["objects"].as_array().unwrap().len(), 5);
    // A's cursor continues on B and back: every object once
    let mut seen: Vec<String> = page["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    let mut next = page["next"].as_str().map(str::to_string);
    let mut port = pa;
    while let Some(c) = next {
        let (st, page) = http(
            port,
            "GET",
            &format!("{objects}?limit=5&next={c}"),
            &token,
            None,
        );
        assert_eq!(st, 200, "cursor from the other server: {page}");
        seen.extend(
            page["objects"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_str().unwrap().to_string()),
        );
        next = page["next"].as_str().map(str::to_string);
        port = if port == pa { pb } else { pa };
    }
    let unique: std::collections::HashSet<&String> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (12, 12), "{seen:?}");
}
