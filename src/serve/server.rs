//! The connection side of the preview server: accepts TCP connections and speaks HTTP/1.1 on
//! them with hyper, on a single-threaded tokio runtime of its own.
//!
//! Why hyper on tokio (as Zola's `serve` does) rather than tiny_http with limits put in front:
//! every connection — a page load, a download, a live-reload stream — is a task rather than a
//! thread, so a few slow or stalled clients cannot hold up the others and an open page costs a
//! few hundred bytes; and hyper itself bounds what a client may send before anything of ours runs
//! ([`MAX_HEAD`] of request line and headers, a timeout to send them) and never reads a request
//! body unless asked to, which [`super::http`] never does. One thread is plenty: every answer
//! comes from memory.
//!
//! Requests themselves are answered in [`super::http`]; this module only wires the two together
//! and stops them.

use std::convert::Infallible;
use std::future::{self, Future};
use std::io;
use std::net::TcpListener;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::oneshot;
use tokio::time::Sleep;

use super::http;
use super::live::Hub;
use super::state::SiteState;

/// How long a client may keep a connection busy without progress; [`Limits::PREVIEW`] outside
/// of tests.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// How long a client may take to send a request's line and headers, counted from when the
    /// server starts waiting for them; it is also how long an idle keep-alive connection stays
    /// open. A client still sending after this is stalled or hostile; its connection is closed.
    pub(crate) header_timeout: Duration,
    /// How long a write may wait for a client that does not read (a download left paused in a
    /// half-closed tab, a hostile client) before the connection is given up.
    pub(crate) write_stall: Duration,
}

impl Limits {
    /// A browser sends its headers at once and reads as fast as loopback delivers, so these
    /// only ever end connections that are stuck.
    pub(crate) const PREVIEW: Limits =
        Limits { header_timeout: Duration::from_secs(10), write_stall: Duration::from_secs(30) };
}

/// Largest request head (request line plus headers) read into memory; more gets
/// `431 Request Header Fields Too Large`. Generous, because cookies set by other local
/// development servers on `localhost` are sent along too.
const MAX_HEAD: usize = 64 * 1024;
/// Pause after a failed `accept` (out of file descriptors, mostly), so that the loop waits for
/// connections to close instead of spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// The server thread, with its runtime and every connection on it.
pub(crate) struct HttpServer {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl HttpServer {
    /// Starts serving `listener` in a thread of its own.
    pub(crate) fn spawn(listener: TcpListener, state: Arc<SiteState>, hub: Arc<Hub>, limits: Limits) -> io::Result<Self> {
        // Built here rather than on the new thread, so that a failure is reported by `start`.
        let runtime = tokio::runtime::Builder::new_current_thread().enable_io().enable_time().build()?;
        listener.set_nonblocking(true)?;
        let listener = {
            let _context = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let (stop, stopped) = oneshot::channel();
        let thread = thread::Builder::new().name("cityreport-http".into()).spawn(move || {
            runtime.block_on(accept_loop(listener, stopped, state, hub, limits));
            // Dropping the runtime drops every connection task with it, live streams included:
            // their sockets close, and open pages reconnect to the next server (and reload, as
            // their Last-Event-ID is then stale).
            drop(runtime);
        })?;
        Ok(Self { stop: Some(stop), thread: Some(thread) })
    }

    /// Stops accepting, closes every connection and waits for the thread; the listening socket
    /// is closed when this returns.
    pub(crate) fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            // Fails only if the loop has already ended.
            let _ = stop.send(());
        }
        self.wait();
    }

    /// Blocks until the server thread ends (which, unless [`stop`](Self::stop) is called from
    /// another handle, is never: `cityreport serve` runs until interrupted).
    pub(crate) fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    mut stopped: oneshot::Receiver<()>,
    state: Arc<SiteState>,
    hub: Arc<Hub>,
    limits: Limits,
) {
    // The Host every request must name (see host.rs); a listener always has its address.
    let Ok(bound) = listener.local_addr() else { return };
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).max_buf_size(MAX_HEAD);
    loop {
        // Either the next connection, or `None` once asked to stop (or the handle is gone).
        let next = future::poll_fn(|cx| {
            if Pin::new(&mut stopped).poll(cx).is_ready() {
                return Poll::Ready(None);
            }
            listener.poll_accept(cx).map(Some)
        })
        .await;
        let stream = match next {
            None => return,
            Some(Ok((stream, _peer))) => stream,
            Some(Err(_)) => {
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        // Live-reload events are a few bytes each: send them now, not when Nagle's algorithm
        // has waited for an acknowledgement.
        let _ = stream.set_nodelay(true);
        let (state, hub) = (Arc::clone(&state), Arc::clone(&hub));
        let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
            let (state, hub) = (Arc::clone(&state), Arc::clone(&hub));
            async move {
                // A print edition is made when asked for, by the rebuild worker; the connection
                // waits for it without holding up the others.
                if let Some(path) = http::on_demand_path(&request, &state, bound)
                    && let Some(answer) = state.demand(&path)
                    && let Ok(made) = answer.await
                    && let Some(response) = http::demanded(&path, made, request.method() == hyper::Method::HEAD)
                {
                    return Ok::<_, Infallible>(response);
                }
                Ok::<_, Infallible>(http::handle(&request, &state, &hub, bound))
            }
        });
        let connection = http.serve_connection(TokioIo::new(StallGuard::new(stream, limits.write_stall)), service);
        tokio::spawn(async move {
            // An error is a client that went away, timed out or sent garbage (hyper has already
            // answered what deserves an answer); the connection just ends.
            let _ = connection.await;
        });
    }
}

/// A socket whose writes fail once they have waited `limit` for the client to read.
/// hyper has a timeout for reading headers but none for writing, and a client that never reads
/// would otherwise keep its connection (and the site snapshot it is being sent) forever.
struct StallGuard<T> {
    io: T,
    limit: Duration,
    /// Running while a write is pending; cleared by any progress.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<T> StallGuard<T> {
    fn new(io: T, limit: Duration) -> Self {
        Self { io, limit, stalled: None }
    }

    /// `result` of a write attempt, turned into an error once writes have been pending too long.
    fn check<R>(&mut self, cx: &mut Context<'_>, result: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        if result.is_ready() {
            self.stalled = None;
            return result;
        }
        let limit = self.limit;
        let stalled = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match stalled.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "client stopped reading"))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for StallGuard<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for StallGuard<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.io).poll_write(cx, buf);
        self.check(cx, result)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.check(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let result = Pin::new(&mut self.io).poll_flush(cx);
        self.check(cx, result)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let result = Pin::new(&mut self.io).poll_shutdown(cx);
        self.check(cx, result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::SiteFiles;
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpStream};

    const WAIT: Duration = Duration::from_secs(10);
    const SHORT: Limits = Limits { header_timeout: Duration::from_millis(200), write_stall: Duration::from_millis(200) };

    fn serve(site: SiteFiles) -> (HttpServer, SocketAddr) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(SiteState::new());
        state.publish(Ok(site));
        (HttpServer::spawn(listener, state, Arc::new(Hub::new()), SHORT).unwrap(), addr)
    }

    fn connect(addr: SocketAddr) -> TcpStream {
        let stream = TcpStream::connect_timeout(&addr, WAIT).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        stream
    }

    /// Reads until the server closes the connection; an error means it was still open after
    /// [`WAIT`] (or reset it, which the tests below do not expect).
    fn read_until_closed(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        stream.read_to_end(&mut out).map(|_| out)
    }

    #[test]
    fn clients_stalled_in_their_headers_or_idle_are_disconnected() {
        let mut site = SiteFiles::new();
        site.insert("index.html", "home");
        let (server, addr) = serve(site);

        let mut stalled = connect(addr);
        stalled.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ").unwrap();
        let answer = read_until_closed(&mut stalled).expect("the server closes a stalled request");
        assert!(answer.is_empty(), "no answer to half a request: {:?}", String::from_utf8_lossy(&answer));

        // A keep-alive connection is answered, then closed once it has been idle as long.
        let mut idle = connect(addr);
        idle.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let answer = read_until_closed(&mut idle).expect("the server closes an idle connection");
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n") && answer.ends_with("\r\n\r\nhome"), "{answer}");
        server.stop();
    }

    /// A client that has stopped reading: every write waits, for ever.
    struct NeverReads {
        attempts: usize,
    }

    impl AsyncRead for NeverReads {
        fn poll_read(self: Pin<&mut Self>, _: &mut Context<'_>, _: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
            Poll::Pending
        }
    }

    impl AsyncWrite for NeverReads {
        fn poll_write(mut self: Pin<&mut Self>, _: &mut Context<'_>, _: &[u8]) -> Poll<io::Result<usize>> {
            self.attempts += 1;
            Poll::Pending
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    #[test]
    fn a_write_to_a_client_that_stopped_reading_fails_after_the_limit() {
        // (Through a real socket this needs more data than loopback buffers hold, which on
        // Linux can be well over 64 MB; the guard is the same either way.)
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        let mut guard = StallGuard::new(NeverReads { attempts: 0 }, SHORT.write_stall);
        let write = std::future::poll_fn(|cx| Pin::new(&mut guard).poll_write(cx, b"page"));
        let result = runtime.block_on(async { tokio::time::timeout(WAIT, write).await }).expect("the write gives up by itself");
        let error = result.expect_err("a write nobody reads cannot succeed");
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        // Woken by the timer, the write was tried once more before giving up.
        assert_eq!(guard.io.attempts, 2);
    }
}
