//! `apogee serve`: a local preview that rebuilds on every save and reloads the browser.
//!
//! Three parts run side by side: the HTTP server ([`http`], on tokio) answering from the
//! latest build held in memory ([`snapshot`]); the watcher ([`watch`]) turning file system
//! events into batches of changed paths; and the rebuild loop (here, on its own thread),
//! which rebuilds through [`rebuild`] — keeping parsed documents ([`documents`]) and the
//! fingerprints of rendered pages ([`fingerprint`]) between builds — and publishes each
//! result on a `tokio::sync::watch` channel that both the server and the live-reload
//! streams ([`reload`]) read. A failed build publishes its diagnostics over the last good
//! site.
//!
//! This module never writes into the site: nothing is written to disk at all. It reports
//! what happens through a callback, so that printing stays in `cli`.

pub mod connections;
pub mod http;
pub mod rebuild;
pub mod reload;
pub mod snapshot;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch as channel;

use crate::build::BuildOptions;
use crate::diagnostic::Diagnostic;
use crate::load::config;
use rebuild::{Rebuilder, Rebuilt};
use snapshot::Preview;

/// The port `apogee serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 1111;

/// What `apogee serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// The address to listen on (loopback unless the writer says otherwise).
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Include briefings marked `draft: true`.
    pub drafts: bool,
    /// The address links use instead of the local one, for a preview reached through a
    /// proxy or under a path (`https://example.org/preview/`). Its path is served too.
    pub base_url: Option<String>,
}

/// What the preview reports while it runs.
#[derive(Debug)]
pub enum ServeEvent<'a> {
    /// Listening, with the first build done (good or not).
    Listening {
        /// The address to open.
        url: &'a str,
        /// True when the address is reachable from other machines.
        exposed: bool,
    },
    /// A build succeeded.
    Built {
        /// The files held in memory.
        files: usize,
        /// The pages rendered anew (the rest were kept from the previous build).
        rendered: usize,
        /// Wall time of the build.
        elapsed: Duration,
        /// What `apogee check` would warn about, as in a build.
        warnings: &'a [Diagnostic],
        /// How long each stage of the rebuild took (for `--verbose`).
        stages: &'a [(&'static str, Duration)],
    },
    /// A build failed; the last good site is still served, under an overlay.
    Failed {
        /// What is wrong.
        diagnostics: &'a [Diagnostic],
    },
    /// The watcher reported an error; changes may be missed until the next save.
    WatchError {
        /// What the watcher said.
        message: String,
    },
}

/// Why the preview could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Someone else listens on the port.
    #[error(
        "port {port} on {bind} is already in use (another `apogee serve`?): choose another with `--port {next}`, or `--port 0` for any free port",
        next = port.saturating_add(1)
    )]
    PortTaken {
        /// The address asked for.
        bind: IpAddr,
        /// The port asked for.
        port: u16,
    },
    /// The address cannot be listened on.
    #[error("cannot listen on {address}: {source}")]
    Listen {
        /// The address asked for.
        address: SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
    /// The sources cannot be watched.
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify_debouncer_full::notify::Error),
    /// The async runtime or the server failed.
    #[error("the preview server stopped: {0}")]
    Server(std::io::Error),
}

/// Builds the site, serves it and rebuilds it on every change until the process is
/// interrupted. `report` hears everything worth telling the writer.
pub fn run(
    options: &ServeOptions,
    report: impl Fn(ServeEvent) + Send + 'static,
) -> Result<(), ServeError> {
    let address = SocketAddr::new(options.bind, options.port);
    let listener = TcpListener::bind(address).map_err(|source| match source.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::PortTaken {
            bind: options.bind,
            port: options.port,
        },
        _ => ServeError::Listen { address, source },
    })?;
    let local = listener
        .local_addr()
        .map_err(|source| ServeError::Listen { address, source })?;
    let url = format!("http://{}/", browsable(local));

    let public = options.base_url.clone().unwrap_or_else(|| url.clone());
    let prefix = config::BaseUrl::parse(&public).map_or_else(|_| "/".to_owned(), |b| b.path);
    let build_options = BuildOptions {
        base_url: Some(public),
        drafts: options.drafts,
        // The preview renders pages only: the search index (the slowest stage), feeds and
        // sitemap are made by `apogee build`; without search, no page links a missing index.
        search: false,
        ..BuildOptions::new(&options.root)
    };
    let mut rebuilder = Rebuilder::new(build_options);
    let ids = BuildIds::new();
    let first = publish(rebuilder.rebuild(None), None, ids.next(), &report);
    let (sender, receiver) = channel::channel(first);

    let (changes_in, changes_out) = mpsc::channel();
    let mut watcher = watch::start(&options.root, changes_in)?;
    report(ServeEvent::Listening {
        url: &url,
        exposed: !local.ip().is_loopback(),
    });

    // A save cancels the rebuild in progress: the forwarder raises the flag as each batch
    // passes, and the rebuilder stops at its next stage to start over with both batches.
    let cancel = rebuilder.cancel_token();
    let cancelled = rebuilder.cancel_token();
    let (batches_in, batches_out) = mpsc::channel::<watch::Changes>();
    std::thread::spawn(move || {
        for changes in changes_out {
            cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            if batches_in.send(changes).is_err() {
                return;
            }
        }
    });

    std::thread::spawn(move || {
        let mut pending: Option<watch::Changes> = None;
        loop {
            let mut changes = match pending.take() {
                Some(changes) => changes,
                None => match batches_out.recv() {
                    Ok(changes) => changes,
                    Err(_) => return,
                },
            };
            // Cleared before the queue is drained: a save after this point cancels the
            // rebuild below, and one before it is in the batch.
            cancelled.store(false, std::sync::atomic::Ordering::Relaxed);
            // Saves that arrived during the last build are taken together.
            while let Ok(more) = batches_out.try_recv() {
                changes.merge(more);
            }
            if let Err(error) = watcher.watch_new_folders() {
                report(ServeEvent::WatchError {
                    message: error.to_string(),
                });
            }
            let outcome = rebuilder.rebuild(Some(&changes));
            if matches!(outcome, Rebuilt::Cancelled) {
                pending = Some(changes);
                continue;
            }
            let next = publish(outcome, Some(&sender.borrow()), ids.next(), &report);
            if sender.send(next).is_err() {
                return;
            }
        }
    });

    serve(listener, receiver, &prefix)
}

fn serve(
    listener: TcpListener,
    preview: channel::Receiver<Preview>,
    prefix: &str,
) -> Result<(), ServeError> {
    let max_connections = connections::raise_descriptor_limit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Server)?;
    let result = runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let listener =
            connections::Guarded::new(listener, max_connections, connections::IDLE_TIMEOUT);
        let app = under_prefix(http::router(preview), prefix);
        tokio::select! {
            served = axum::serve(listener, app) => served,
            // Live-reload streams never end by themselves: stop without waiting for them.
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    });
    runtime.shutdown_background();
    result.map_err(ServeError::Server)
}

/// The state to publish after a build, reported to the writer.
fn publish(
    outcome: Rebuilt,
    previous: Option<&Preview>,
    build_id: String,
    report: &impl Fn(ServeEvent),
) -> Preview {
    match outcome {
        Rebuilt::Built {
            snapshot,
            rendered,
            elapsed,
            warnings,
            stages,
        } => {
            report(ServeEvent::Built {
                files: snapshot.len(),
                rendered,
                elapsed,
                warnings: &warnings,
                stages: &stages,
            });
            Preview::built(snapshot, build_id)
        }
        // Never published: the serving loop starts over instead.
        Rebuilt::Cancelled => previous.cloned().unwrap_or_else(|| Preview {
            site: None,
            failure: None,
            build_id: String::new(),
        }),
        Rebuilt::Failed(diagnostics) => {
            report(ServeEvent::Failed {
                diagnostics: &diagnostics,
            });
            let empty = Preview {
                site: None,
                failure: None,
                build_id: String::new(),
            };
            previous.unwrap_or(&empty).failed(diagnostics, build_id)
        }
    }
}

/// The site at `/` and, for a `--base-url` with a path, under that path too: a proxy that
/// forwards `/preview/x` as it is and one that strips `/preview` both reach the page.
fn under_prefix(app: axum::Router, prefix: &str) -> axum::Router {
    let nested = prefix.trim_end_matches('/');
    if nested.is_empty() {
        return app;
    }
    axum::Router::new()
        .nest_service(nested, app.clone())
        .fallback_service(app)
}

/// The address a browser on this machine can open: a wildcard bind is reached via loopback.
fn browsable(local: SocketAddr) -> SocketAddr {
    match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::from([127, 0, 0, 1]), local.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(std::net::Ipv6Addr::LOCALHOST.into(), local.port())
        }
        _ => local,
    }
}

/// Build ids unique across restarts of the server, so that a page reconnecting to a
/// restarted server reloads.
struct BuildIds {
    started: u128,
    count: std::sync::atomic::AtomicU64,
}

impl BuildIds {
    fn new() -> Self {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        BuildIds {
            started,
            count: std::sync::atomic::AtomicU64::new(0),
        }
    }

    fn next(&self) -> String {
        let count = self
            .count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("{:x}-{count}", self.started)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_binds_are_browsed_through_loopback() {
        let any: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert_eq!(browsable(any).to_string(), "127.0.0.1:1111");
        let loopback: SocketAddr = "[::1]:8080".parse().unwrap();
        assert_eq!(browsable(loopback).to_string(), "[::1]:8080");
    }

    #[test]
    fn build_ids_differ() {
        let ids = BuildIds::new();
        assert_ne!(ids.next(), ids.next());
    }

    #[test]
    fn port_taken_says_how_to_choose_another() {
        let message = ServeError::PortTaken {
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 1111,
        }
        .to_string();
        assert!(message.contains("port 1111"), "{message}");
        assert!(message.contains("--port 1112"), "{message}");
    }
}
