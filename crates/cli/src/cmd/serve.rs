//! `concord serve`: TAXII 2.1, the JSON API (and later the web UI) over HTTP.

use super::{Ctx, PolicyArgs};
use crate::exit;
use anyhow::Context;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8787")]
    addr: std::net::SocketAddr,
    #[command(flatten)]
    policy: PolicyArgs,
    /// Serve the built-in FICTIONAL demo scenario (in memory; --db is not used), open to
    /// browsers without a token as the hub, read-only.
    #[arg(long)]
    demo: bool,
    /// TLS certificate chain (PEM); with --tls-key, serve HTTPS.
    #[arg(long, requires = "tls_key", value_name = "FILE")]
    tls_cert: Option<std::path::PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, requires = "tls_cert", value_name = "FILE")]
    tls_key: Option<std::path::PathBuf>,
    /// Largest request body in bytes (a larger claimed Content-Length is refused at once).
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    max_body: usize,
    /// The URL clients reach this server at (e.g. https://taxii.example.org); TAXII
    /// discovery names it. Without it discovery gives paths (never the request's Host).
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// How long a write waits for another process that holds the database before the
    /// request is answered 503 (seconds).
    #[arg(long, default_value_t = 60)]
    lock_wait: u64,
}

/// Reader connections beside the writer.
const READERS: usize = 4;

pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<i32> {
    let (alliance, _) = match args.policy.load() {
        Ok(x) => x,
        Err(e) => {
            super::print_config_errors(&e, false)?;
            return Ok(exit::INVALID);
        }
    };
    let mut store = ctx.store(args.demo)?;
    store.set_lock_wait(std::time::Duration::from_secs(args.lock_wait))?;
    let texts = args.policy.texts()?;
    let mut state = concord_server::AppState::new(store, alliance, texts, args.demo)
        .context("the policies do not check")?;
    state.max_body = args.max_body;
    state.public_url = args.public_url.clone();
    if !args.demo {
        // readers beside the writer: WAL lets them read while it writes (PostgreSQL: the
        // same connection pool)
        let main = state
            .store
            .lock()
            .map_err(|_| anyhow::anyhow!("the store lock was poisoned"))?;
        let mut readers = Vec::new();
        for _ in 0..READERS {
            if let Some(r) = main
                .share()
                .with_context(|| format!("opening database {}", ctx.db.display()))?
            {
                readers.push(std::sync::Mutex::new(r));
            }
        }
        // TAXII cursors made by one server open on every other on the same database
        let key = main
            .shared_key("taxii-cursor")
            .with_context(|| format!("reading the cursor key from {}", ctx.db.display()))?;
        drop(main);
        state.readers = readers;
        state.cursor_key = key;
    }
    state.tls = args.tls_cert.is_some();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let scheme = if args.tls_cert.is_some() {
        "https"
    } else {
        "http"
    };
    let demo_note = if args.demo {
        "; demo: browsers without a token are the hub, read-only"
    } else {
        ""
    };
    eprintln!(
        "concord serving {} on {scheme}://{}/ (TAXII 2.1 at /taxii2/, API at /api/v1/){demo_note}",
        if args.demo {
            "the built-in fictional demo scenario".to_string()
        } else {
            ctx.db.display()
        },
        args.addr,
    );
    let state = std::sync::Arc::new(state);
    // the dashboard's rift figures, computed in the background so the first page is fast
    concord_server::web::warm(&state);
    let served = match (&args.tls_cert, &args.tls_key) {
        (Some(c), Some(k)) => rt.block_on(concord_server::serve_tls(state, args.addr, c, k)),
        _ => rt.block_on(concord_server::serve(state, args.addr)),
    };
    served.with_context(|| format!("serving on {}", args.addr))?;
    Ok(exit::OK)
}
