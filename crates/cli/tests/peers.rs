//! Interoperability with the OASIS reference tools: the Python `taxii2-client` against
//! `concord serve` over every endpoint, and `concord sync` from a `medallion` server.
//! Needs the peers venv (`../shared/peers/setup.sh target/peers-venv`, which `.ci/run`
//! does) and ../shared/data; skips when either is absent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::concord;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn venv() -> Option<PathBuf> {
    let v = std::env::var_os("CONCORD_PEERS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/peers-venv"));
    let py = v.join("bin/python");
    let ok = std::process::Command::new(&py)
        .args(["-c", "import taxii2client, medallion"])
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(v)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for(port: u16) {
    let t = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "server on {port} did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn taxii2_client_against_concord() {
    let Some(venv) = venv() else {
        eprintln!("skipped: the peers venv (target/peers-venv) is not installed");
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let out = concord(d.path())
        .args(["token", "create", "--member", "EST"])
        .output()
        .unwrap();
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("concord_"));
    let port = free_port();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("concord"))
        .current_dir(d.path())
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _guard = Kill(child);
    wait_for(port);
    let script = workspace().join("crates/cli/tests/peers/taxii2_client_check.py");
    let out = std::process::Command::new(venv.join("bin/python"))
        .arg(script)
        .arg(format!("http://127.0.0.1:{port}/taxii2/"))
        .arg("EST")
        .arg(&token)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "taxii2-client failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["ok"], true);
    assert!(summary["pages"].as_u64().unwrap() >= 3, "{summary}");
}

#[test]
fn sync_from_medallion() {
    let Some(venv) = venv() else {
        eprintln!("skipped: the peers venv (target/peers-venv) is not installed");
        return;
    };
    let data = workspace().join("../shared/data/taxii/medallion/default_data.json");
    if !data.exists() {
        eprintln!("skipped: ../shared/data not present");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let copy = d.path().join("medallion-data.json");
    std::fs::copy(&data, &copy).unwrap();
    let config = serde_json::json!({
        "backend": {"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend",
                    "filename": copy},
        "users": {"admin": "Password0"},
        "taxii": {"max_page_size": 100}
    });
    let cfg = d.path().join("medallion.json");
    std::fs::write(&cfg, config.to_string()).unwrap();
    let port = free_port();
    let child = std::process::Command::new(venv.join("bin/medallion"))
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .arg(&cfg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _guard = Kill(child);
    wait_for(port);
    let sync = |d: &Path| -> (Option<i32>, Value) {
        let out = concord(d)
            .args([
                "sync",
                "--from",
                &format!("http://127.0.0.1:{port}/trustgroup1/"),
                "--collection",
                "91a7b528-80eb-42ed-a74d-c6fbd5a26116",
                "--user",
                "admin",
                "--password",
                "Password0",
                "--limit",
                "3",
                "--json",
            ])
            .output()
            .unwrap();
        let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
            panic!(
                "sync printed no JSON: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code(), doc)
    };
    let (code, first) = sync(d.path());
    let fetched = first["fetched"].as_u64().unwrap();
    assert!(fetched >= 7, "{first}");
    assert!(first["stored"].as_u64().unwrap() > 0, "{first}");
    let skipped = first["skipped"].as_array().unwrap().len() as u64;
    assert_eq!(
        first["stored"].as_u64().unwrap() + first["duplicates"].as_u64().unwrap() + skipped,
        fetched
    );
    // invalid remote objects are reported with exit code 1, the rest still stored
    assert_eq!(code, Some(if skipped == 0 { 0 } else { 1 }));
    // idempotent: nothing new the second time
    let (_, second) = sync(d.path());
    assert_eq!(second["stored"], 0, "{second}");
    assert_eq!(second["fetched"], first["fetched"]);
    // wrong password: refused, nothing stored
    let out = concord(d.path())
        .args([
            "sync",
            "--from",
            &format!("http://127.0.0.1:{port}/trustgroup1/"),
            "--collection",
            "91a7b528-80eb-42ed-a74d-c6fbd5a26116",
            "--user",
            "admin",
            "--password",
            "wrong",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn serves_tls_with_a_given_certificate() {
    let tools = [("openssl", "version"), ("curl", "--version")]
        .iter()
        .all(|(t, a)| {
            std::process::Command::new(t)
                .arg(a)
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if !tools {
        eprintln!("skipped: openssl or curl not installed");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let st = std::process::Command::new("openssl")
        .current_dir(d.path())
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
        ])
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let out = concord(d.path())
        .args(["token", "create", "--hub"])
        .output()
        .unwrap();
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let port = free_port();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("concord"))
        .current_dir(d.path())
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--tls-cert",
            "cert.pem",
            "--tls-key",
            "key.pem",
            "--public-url",
            &format!("https://127.0.0.1:{port}"),
        ])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _guard = Kill(child);
    wait_for(port);
    let out = std::process::Command::new("curl")
        .current_dir(d.path())
        .args(["-s", "--cacert", "cert.pem", "-H"])
        .arg(format!("Authorization: Bearer {token}"))
        .arg(format!("https://127.0.0.1:{port}/taxii2/"))
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no JSON over TLS: {}", String::from_utf8_lossy(&out.stderr)));
    // discovery names the configured public URL (never the request's Host header)
    assert_eq!(
        doc["default"],
        format!("https://127.0.0.1:{port}/taxii2/alliance/").as_str(),
        "{doc}"
    );
}
