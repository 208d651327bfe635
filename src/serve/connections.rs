//! The preview's connections: how many it holds and how long an idle one may stay.
//!
//! A browser keeps a few connections open; a stuck client, a port scanner or a flood of idle
//! sockets could hold every file descriptor and lock everyone else out (about 1,000 under the
//! usual limit of 1,024). So the server raises its descriptor limit as far as the system
//! allows, caps its connections below that limit (keeping descriptors for reading the
//! site), and closes a connection that neither sends nor receives anything for
//! [`IDLE_TIMEOUT`]. The live-reload stream stays open: it sends a keep-alive more often.
//!
//! It knows nothing of HTTP: [`Guarded`] is an axum listener whose streams time out.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// How long a connection may stay silent both ways. Longer than the live-reload stream's
/// keep-alive interval (15 s), so that it is never cut.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(20);

/// Descriptors kept for everything but connections: the site's files, the watcher, logs.
const RESERVED_DESCRIPTORS: u64 = 256;

/// A listener that holds at most a number of connections at once, each closed when idle.
pub struct Guarded {
    listener: TcpListener,
    permits: Arc<Semaphore>,
    idle: Duration,
}

impl Guarded {
    /// Guards `listener`: at most `max_connections` at once, each closed after `idle`.
    pub fn new(listener: TcpListener, max_connections: usize, idle: Duration) -> Self {
        Guarded {
            listener,
            permits: Arc::new(Semaphore::new(max_connections.max(1))),
            idle,
        }
    }
}

impl axum::serve::Listener for Guarded {
    type Io = Idle<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        // Waits while every connection is taken: the next one is accepted when one closes.
        let permit = self.permits.clone().acquire_owned().await.ok();
        loop {
            match self.listener.accept().await {
                Ok((stream, address)) => return (Idle::new(stream, self.idle, permit), address),
                // Out of descriptors or memory for a moment: let connections close first.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.listener.local_addr()
    }
}

/// A stream that fails with `TimedOut` once nothing has been read or written for a while.
pub struct Idle<S> {
    inner: S,
    idle: Duration,
    last_activity: Instant,
    timer: Pin<Box<Sleep>>,
    /// Given back when the connection closes.
    _permit: Option<OwnedSemaphorePermit>,
}

impl<S> Idle<S> {
    fn new(inner: S, idle: Duration, permit: Option<OwnedSemaphorePermit>) -> Self {
        let now = Instant::now();
        Idle {
            inner,
            idle,
            last_activity: now,
            timer: Box::pin(tokio::time::sleep_until(now + idle)),
            _permit: permit,
        }
    }

    /// Whether the connection has been silent too long; arms the timer to wake the reader
    /// when it will have been.
    fn timed_out(&mut self, cx: &mut Context<'_>) -> bool {
        let deadline = self.last_activity + self.idle;
        if self.timer.deadline() != deadline {
            self.timer.as_mut().reset(deadline);
        }
        self.timer.as_mut().poll(cx).is_ready()
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Idle<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    this.last_activity = Instant::now();
                }
                Poll::Ready(result)
            }
            Poll::Pending if this.timed_out(cx) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the connection was idle too long",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Idle<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.inner).poll_write(cx, data);
        if let Poll::Ready(Ok(count)) = written
            && count > 0
        {
            this.last_activity = Instant::now();
        }
        written
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Raises the soft limit of open descriptors to the hard limit where the system allows, and
/// returns how many connections the server may then hold.
pub fn raise_descriptor_limit() -> usize {
    let limit = descriptor_limit();
    let connections = limit.saturating_sub(RESERVED_DESCRIPTORS).max(64);
    usize::try_from(connections).unwrap_or(usize::MAX)
}

#[cfg(target_os = "linux")]
fn descriptor_limit() -> u64 {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let current = limit.current.unwrap_or(u64::MAX);
    let Some(maximum) = limit.maximum else {
        // No hard limit: take a generous one rather than unlimited.
        let wanted = current.max(65_536);
        let raised = setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(wanted),
                maximum: None,
            },
        );
        return if raised.is_ok() { wanted } else { current };
    };
    if current >= maximum {
        return current;
    }
    let raised = setrlimit(
        Resource::Nofile,
        Rlimit {
            current: Some(maximum),
            maximum: Some(maximum),
        },
    );
    if raised.is_ok() { maximum } else { current }
}

#[cfg(not(target_os = "linux"))]
fn descriptor_limit() -> u64 {
    // Without a way to ask, assume the common default.
    1024
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn an_idle_connection_is_closed_and_an_active_one_is_not() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (client, server) = tokio::io::duplex(64);
            let idle = Duration::from_millis(200);
            let mut server = Idle::new(server, idle, None);
            let mut client = client;
            // Activity within the timeout keeps it open.
            for _ in 0..3 {
                tokio::time::sleep(idle / 2).await;
                client.write_all(b"x").await.unwrap();
                let mut byte = [0; 1];
                server.read_exact(&mut byte).await.unwrap();
            }
            // Silence beyond it closes it.
            let mut byte = [0; 1];
            let error = server.read_exact(&mut byte).await.unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        });
    }

    #[test]
    fn the_descriptor_limit_leaves_room_for_connections() {
        assert!(raise_descriptor_limit() >= 64);
    }
}
