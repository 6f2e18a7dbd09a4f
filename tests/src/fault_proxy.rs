//! A fault-injecting HTTP/1.1 proxy for sync tests: [`FaultProxy`].
//!
//! The sync client must survive a bad network: requests that never arrive, answers that are lost after
//! the server applied the request, bodies cut in the middle (a truncated compressed body), answers
//! slower than the client's timeout, temporary 5xx/429 answers, and requests the network delivered
//! twice. `FaultProxy` sits on `127.0.0.1:0` between the client and a [`crate::server::TestServer`]
//! and does exactly one of those to each request, as the test scripts it:
//!
//! ```no_run
//! use teng_tests::fault_proxy::{Fault, FaultProxy};
//! use teng_tests::server::TestServer;
//!
//! let server = TestServer::with_demo(100);
//! let proxy = FaultProxy::start(server.addr()).unwrap();
//! // The next two requests fail; then everything passes.
//! proxy.push_faults([Fault::DropAfterForward, Fault::retry_after(503, 1)]);
//! // Only pushes are replayed; pulls pass meanwhile.
//! proxy.push_faults_on("/v1/sync/push", [Fault::Replay]);
//! // ... point the sync client at proxy.url() and sync ...
//! assert_eq!(proxy.stats().dropped_after_forward, 1);
//! println!("{} bytes on the wire", proxy.stats().bytes_to_client);
//! ```
//!
//! Faults come from a script (a queue; each entry optionally limited to paths starting with a
//! prefix; the first matching entry is used up by the next matching request) and, when no scripted
//! entry matches, from an optional seeded random choice ([`RandomFaults`]); otherwise the request
//! passes.
//!
//! How a request travels: the proxy reads one request from the client (head, then a `Content-Length`
//! body; chunked request bodies are refused with 501), sends it to the upstream on a fresh connection
//! with `Connection: close`, reads the answer to EOF, replaces its `Connection` header with
//! `Connection: close` and then applies the fault. The response body is passed through byte for byte
//! (compressed, chunked: whatever the server sent). So every client request uses its own connection
//! (the client cannot keep a connection alive through the proxy), and [`ProxyStats::bytes_to_client`]
//! counts exactly the bytes a client received, head included.
//!
//! When the upstream cannot be reached (the server is stopped), the proxy closes the client's
//! connection without an answer by default, as an unreachable server would look; see [`UpstreamDown`].
//!
//! Robustness: every socket has timeouts, I/O errors are logged to stderr and end only that
//! connection, delays wake up when the proxy stops, and stopping (or dropping) the proxy closes
//! every open connection and joins every thread.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Largest request or response head the proxy reads.
const MAX_HEAD: usize = 64 * 1024;
/// Largest request body the proxy reads (the server refuses above 1 MiB anyway).
const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;
/// At most this many [`RequestRecord`]s are kept (the oldest are dropped).
const MAX_LOG: usize = 100_000;

/// What the proxy does to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Forward it and answer with the server's answer.
    Pass,
    /// Read the request, then close the client's connection: the server never sees it.
    DropBeforeForward,
    /// Forward it (the server applies it), then close the client's connection without answering:
    /// the answer is lost.
    DropAfterForward,
    /// Forward it, then send only the first `after_bytes` bytes of the answer (counted from the start
    /// of the status line) and close. Larger than the answer: the whole answer, then close.
    CutResponse { after_bytes: usize },
    /// Forward it, then send the answer's head and only the first `after_bytes` bytes of its body as
    /// they are on the wire (compressed, chunk framing included), and close: a drop mid-body.
    CutBody { after_bytes: usize },
    /// Forward it at once, then wait this long before answering (the server has applied it; a client
    /// with a shorter timeout has given up by then).
    Delay(Duration),
    /// Answer this status without forwarding, with a JSON error body `{"error": {"code", "message"}}`
    /// (code `unavailable` for 503, `rate_limited` for 429, `internal` for 500, `resync_required`
    /// for 410, `unauthorized` for 401, `injected` otherwise) and a `Retry-After` header when given.
    Status { code: u16, retry_after: Option<u64> },
    /// Forward it twice (one after the other, each on its own connection) and answer with the second
    /// answer: the server sees a duplicate.
    Replay,
}

impl Fault {
    /// `Status { code, retry_after: None }`.
    pub fn status(code: u16) -> Fault {
        Fault::Status {
            code,
            retry_after: None,
        }
    }

    /// `Status { code, retry_after: Some(seconds) }`.
    pub fn retry_after(code: u16, seconds: u64) -> Fault {
        Fault::Status {
            code,
            retry_after: Some(seconds),
        }
    }
}

/// Faults chosen at random (when no scripted fault matches): with `probability`, one of `faults`
/// (uniformly); otherwise `Pass`. The same seed and the same order of requests give the same faults.
#[derive(Debug, Clone)]
pub struct RandomFaults {
    pub seed: u64,
    /// 0.0 ..= 1.0 (clamped).
    pub probability: f64,
    pub faults: Vec<Fault>,
    /// Only requests whose target (path and query) starts with this are considered; `None`: all.
    pub path_prefix: Option<String>,
}

/// What the client sees when the upstream cannot be reached or fails mid-answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UpstreamDown {
    /// Close the connection without answering (as if the server were unreachable).
    #[default]
    Close,
    /// Answer `502` with `{"error": {"code": "bad_gateway", …}}`, as a reverse proxy would.
    BadGateway,
}

#[derive(Debug, Clone)]
pub struct ProxyOptions {
    /// Read and write timeout on client connections (reading the request, writing the answer).
    pub client_timeout: Duration,
    /// Connect, read and write timeout towards the upstream.
    pub upstream_timeout: Duration,
    pub upstream_down: UpstreamDown,
}

impl Default for ProxyOptions {
    fn default() -> Self {
        ProxyOptions {
            client_timeout: Duration::from_secs(10),
            upstream_timeout: Duration::from_secs(30),
            upstream_down: UpstreamDown::Close,
        }
    }
}

/// Counters since the start (or the last [`FaultProxy::reset_stats`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyStats {
    /// Connections accepted.
    pub connections: u64,
    /// Complete requests read from clients.
    pub requests: u64,
    /// Requests sent to the upstream (a replay counts twice) that got an answer.
    pub forwarded: u64,
    pub passed: u64,
    pub dropped_before_forward: u64,
    pub dropped_after_forward: u64,
    /// `CutResponse` and `CutBody`.
    pub cut: u64,
    pub delayed: u64,
    /// `Status` answers made up by the proxy.
    pub status_injected: u64,
    pub replayed: u64,
    /// Upstream connections that failed (refused, timed out, unreadable answer).
    pub upstream_errors: u64,
    /// Request bytes read from clients (heads and bodies).
    pub bytes_from_client: u64,
    /// Response bytes written to clients (heads and bodies, as on the wire).
    pub bytes_to_client: u64,
}

/// One request the proxy handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    /// Path and query, as the client sent it.
    pub target: String,
    pub fault: Fault,
    /// The status of the (last) upstream answer; `None` when not forwarded or it failed.
    pub upstream_status: Option<u16>,
    /// The request's `Range` header (a resumed download), if any.
    pub range: Option<String>,
}

/// A fault-injecting proxy in front of one upstream; see the module docs.
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

struct Shared {
    upstream: SocketAddr,
    options: ProxyOptions,
    stopping: AtomicBool,
    state: Mutex<State>,
    /// Signalled when `in_flight` drops and when stopping (wakes delays).
    changed: Condvar,
    /// Open sockets, shut down when the proxy stops so no thread waits on them.
    sockets: Mutex<HashMap<u64, TcpStream>>,
    next_socket: AtomicU64,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

#[derive(Default)]
struct State {
    script: VecDeque<(Option<String>, Fault)>,
    random: Option<(RandomFaults, ChaCha8Rng)>,
    stats: ProxyStats,
    log: VecDeque<RequestRecord>,
    /// The serial number of `log.front()`; serials count every record ever logged.
    log_start: u64,
    in_flight: usize,
}

impl FaultProxy {
    /// A proxy on `127.0.0.1:0` in front of `upstream`, passing everything until scripted.
    pub fn start(upstream: SocketAddr) -> io::Result<FaultProxy> {
        Self::start_with(upstream, ProxyOptions::default())
    }

    pub fn start_with(upstream: SocketAddr, options: ProxyOptions) -> io::Result<FaultProxy> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            upstream,
            options,
            stopping: AtomicBool::new(false),
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
            sockets: Mutex::new(HashMap::new()),
            next_socket: AtomicU64::new(0),
            workers: Mutex::new(Vec::new()),
        });
        let accepting = Arc::clone(&shared);
        let acceptor = std::thread::Builder::new()
            .name("fault-proxy-accept".into())
            .spawn(move || accept_loop(listener, accepting))?;
        Ok(FaultProxy {
            addr,
            shared,
            acceptor: Some(acceptor),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`: give this to the client instead of the server's URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Appends faults for the next requests, in order (any path).
    pub fn push_faults(&self, faults: impl IntoIterator<Item = Fault>) {
        let mut state = self.shared.lock();
        state.script.extend(faults.into_iter().map(|f| (None, f)));
    }

    /// Appends faults for the next requests whose target (path and query) starts with
    /// `path_prefix`, e.g. `"/v1/sync/push"`; other requests do not use them up.
    pub fn push_faults_on(&self, path_prefix: &str, faults: impl IntoIterator<Item = Fault>) {
        let mut state = self.shared.lock();
        state.script.extend(
            faults
                .into_iter()
                .map(|f| (Some(path_prefix.to_string()), f)),
        );
    }

    /// Scripted faults not used yet.
    pub fn pending_faults(&self) -> usize {
        self.shared.lock().script.len()
    }

    /// Forgets the scripted faults not used yet.
    pub fn clear_faults(&self) {
        self.shared.lock().script.clear();
    }

    /// Sets (or with `None`, removes) the random faults used when no scripted fault matches. The
    /// random sequence starts over from the seed.
    pub fn set_random_faults(&self, random: Option<RandomFaults>) {
        self.shared.lock().random = random.map(|r| {
            let rng = ChaCha8Rng::seed_from_u64(r.seed);
            (r, rng)
        });
    }

    pub fn stats(&self) -> ProxyStats {
        self.shared.lock().stats.clone()
    }

    /// Zeroes the counters and forgets the request log (e.g. between a benchmark's warm-up and run).
    pub fn reset_stats(&self) {
        let mut state = self.shared.lock();
        state.stats = ProxyStats::default();
        state.log_start += state.log.len() as u64;
        state.log.clear();
    }

    /// The requests handled, in the order their faults were chosen (the newest 100,000).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.lock().log.iter().cloned().collect()
    }

    /// Waits until no connection is being handled (e.g. a `Delay` still sleeping after the client
    /// gave up, or a `DropAfterForward` still reading the server's answer). False on timeout.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let state = self.shared.lock();
        let (state, _) = self
            .shared
            .changed
            .wait_timeout_while(state, timeout, |s| s.in_flight > 0)
            .unwrap_or_else(|e| e.into_inner());
        state.in_flight == 0
    }

    /// Stops accepting, closes every open connection, wakes delays and joins every thread. Dropping
    /// the proxy does the same.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let Some(acceptor) = self.acceptor.take() else {
            return;
        };
        {
            // Set under the lock, so a delay between its check and its wait cannot miss it.
            let _state = self.shared.lock();
            self.shared.stopping.store(true, Ordering::SeqCst);
            self.shared.changed.notify_all();
        }
        // Wake the blocking accept with a connection of our own; the loop sees `stopping`.
        if let Err(e) = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)) {
            eprintln!("fault proxy: waking the accept loop: {e}");
        }
        if acceptor.join().is_err() {
            eprintln!("fault proxy: the accept thread panicked");
        }
        for (_, socket) in self
            .shared
            .sockets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain()
        {
            let _ = socket.shutdown(Shutdown::Both);
        }
        let workers = std::mem::take(
            &mut *self
                .shared
                .workers
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        );
        for worker in workers {
            if worker.join().is_err() {
                eprintln!("fault proxy: a connection thread panicked");
            }
        }
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Sleeps for `duration` unless the proxy stops first; true when the whole time passed.
    fn sleep(&self, duration: Duration) -> bool {
        let deadline = Instant::now() + duration;
        let mut state = self.lock();
        loop {
            if self.stopping() {
                return false;
            }
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            state = self
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Keeps a clone of `socket` so stopping can shut it down; the guard forgets it.
    fn register(self: &Arc<Self>, socket: &TcpStream) -> SocketGuard {
        let id = self.next_socket.fetch_add(1, Ordering::Relaxed);
        match socket.try_clone() {
            Ok(clone) => {
                self.sockets
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(id, clone);
            }
            Err(e) => eprintln!("fault proxy: cannot track a socket: {e}"),
        }
        // Stopping drains `sockets` after setting `stopping`: a socket added after the drain is
        // shut down here instead.
        if self.stopping() {
            let _ = socket.shutdown(Shutdown::Both);
        }
        SocketGuard {
            shared: Arc::clone(self),
            id,
        }
    }

    /// Counts the request, chooses its fault, counts the fault and logs the request; returns the
    /// fault and the record's serial number.
    fn choose(&self, request: &Request) -> (Fault, u64) {
        let mut state = self.lock();
        state.stats.requests += 1;
        state.stats.bytes_from_client += request.wire_len as u64;
        let target = request.target.as_str();
        let matches =
            |prefix: &Option<String>| prefix.as_ref().is_none_or(|p| target.starts_with(p));
        let scripted = state.script.iter().position(|(prefix, _)| matches(prefix));
        let fault = match scripted.and_then(|i| state.script.remove(i)) {
            Some((_, fault)) => fault,
            None => match &mut state.random {
                Some((random, rng))
                    if matches(&random.path_prefix) && !random.faults.is_empty() =>
                {
                    if rng.random_bool(random.probability.clamp(0.0, 1.0)) {
                        random.faults[rng.random_range(0..random.faults.len())].clone()
                    } else {
                        Fault::Pass
                    }
                }
                _ => Fault::Pass,
            },
        };
        let stats = &mut state.stats;
        match &fault {
            Fault::Pass => stats.passed += 1,
            Fault::DropBeforeForward => stats.dropped_before_forward += 1,
            Fault::DropAfterForward => stats.dropped_after_forward += 1,
            Fault::CutResponse { .. } | Fault::CutBody { .. } => stats.cut += 1,
            Fault::Delay(_) => stats.delayed += 1,
            Fault::Status { .. } => stats.status_injected += 1,
            Fault::Replay => stats.replayed += 1,
        }
        if state.log.len() >= MAX_LOG {
            state.log.pop_front();
            state.log_start += 1;
        }
        state.log.push_back(RequestRecord {
            method: request.method.clone(),
            target: request.target.clone(),
            fault: fault.clone(),
            upstream_status: None,
            range: request.range.clone(),
        });
        let serial = state.log_start + state.log.len() as u64 - 1;
        (fault, serial)
    }

    /// Notes the upstream's status on the record `serial` (if still kept).
    fn note_upstream_status(&self, serial: u64, status: u16) {
        let mut state = self.lock();
        let Some(index) = serial.checked_sub(state.log_start) else {
            return;
        };
        if let Some(record) = usize::try_from(index)
            .ok()
            .and_then(|i| state.log.get_mut(i))
        {
            record.upstream_status = Some(status);
        }
    }

    fn count(&self, f: impl FnOnce(&mut ProxyStats)) {
        f(&mut self.lock().stats);
    }
}

struct SocketGuard {
    shared: Arc<Shared>,
    id: u64,
}

impl Drop for SocketGuard {
    fn drop(&mut self) {
        self.shared
            .sockets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.id);
    }
}

/// Counts a connection as in flight until dropped.
struct InFlight(Arc<Shared>);

impl InFlight {
    fn new(shared: &Arc<Shared>) -> InFlight {
        shared.lock().in_flight += 1;
        InFlight(Arc::clone(shared))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.in_flight -= 1;
        self.0.changed.notify_all();
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for incoming in listener.incoming() {
        if shared.stopping() {
            break;
        }
        let stream = match incoming {
            Ok(s) => s,
            Err(e) => {
                eprintln!("fault proxy: accept: {e}");
                // E.g. out of file descriptors: do not spin.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        shared.count(|s| s.connections += 1);
        let in_flight = InFlight::new(&shared);
        let handling = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("fault-proxy-conn".into())
            .spawn(move || {
                let _in_flight = in_flight;
                handle(&handling, stream);
            });
        let mut workers = shared.workers.lock().unwrap_or_else(|e| e.into_inner());
        workers.retain(|w| !w.is_finished());
        match spawned {
            Ok(worker) => workers.push(worker),
            Err(e) => eprintln!("fault proxy: cannot start a connection thread: {e}"),
        }
    }
}

/// One client connection: one request, one fault, then the connection is closed.
fn handle(shared: &Arc<Shared>, mut client: TcpStream) {
    let _guard = shared.register(&client);
    let timeout = Some(shared.options.client_timeout);
    if let Err(e) = client
        .set_read_timeout(timeout)
        .and_then(|()| client.set_write_timeout(timeout))
        .and_then(|()| client.set_nodelay(true))
    {
        eprintln!("fault proxy: client socket options: {e}");
        return;
    }
    let request = match read_request(&mut client) {
        Ok(Some(request)) => request,
        Ok(None) => return, // connected and closed without a request (e.g. our own wake-up)
        Err(e) => {
            eprintln!("fault proxy: reading a request: {e}");
            let status = if e.kind() == io::ErrorKind::Unsupported {
                501
            } else {
                400
            };
            if e.kind() != io::ErrorKind::UnexpectedEof && e.kind() != io::ErrorKind::TimedOut {
                let answer = error_response(status, None, "bad_request", &e.to_string());
                send(shared, &mut client, &answer);
            }
            return;
        }
    };
    let (fault, serial) = shared.choose(&request);
    let response = match &fault {
        Fault::DropBeforeForward => return,
        Fault::Status { code, retry_after } => {
            let answer = error_response(
                *code,
                *retry_after,
                injected_code(*code),
                "injected by the fault proxy",
            );
            send(shared, &mut client, &answer);
            return;
        }
        Fault::Replay => forward(shared, &request).and_then(|_| forward(shared, &request)),
        _ => forward(shared, &request),
    };
    let response = match response {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "fault proxy: upstream {} for {} {}: {e}",
                shared.upstream, request.method, request.target
            );
            shared.count(|s| s.upstream_errors += 1);
            if shared.options.upstream_down == UpstreamDown::BadGateway {
                let answer = error_response(502, None, "bad_gateway", "the upstream failed");
                send(shared, &mut client, &answer);
            }
            return;
        }
    };
    shared.note_upstream_status(serial, response.status);
    match fault {
        Fault::DropAfterForward => {}
        Fault::CutResponse { after_bytes } => {
            let end = after_bytes.min(response.bytes.len());
            send(shared, &mut client, &response.bytes[..end]);
        }
        Fault::CutBody { after_bytes } => {
            let end = response
                .head_len
                .saturating_add(after_bytes)
                .min(response.bytes.len());
            send(shared, &mut client, &response.bytes[..end]);
        }
        Fault::Delay(duration) => {
            if shared.sleep(duration) {
                send(shared, &mut client, &response.bytes);
            }
        }
        _ => send(shared, &mut client, &response.bytes),
    }
}

/// Writes `bytes` to the client and half-closes; counts what was written. Errors (the client went
/// away) are logged, not raised.
fn send(shared: &Shared, client: &mut TcpStream, bytes: &[u8]) {
    // Counted before writing, so a client that has read the answer sees it counted; what could not
    // be written is taken back below.
    shared.count(|s| s.bytes_to_client += bytes.len() as u64);
    let mut written = 0;
    while written < bytes.len() {
        match client.write(&bytes[written..]) {
            Ok(0) => break,
            Ok(n) => written += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                eprintln!("fault proxy: writing to the client: {e}");
                break;
            }
        }
    }
    if written < bytes.len() {
        let unsent = (bytes.len() - written) as u64;
        shared.count(|s| s.bytes_to_client -= unsent);
    }
    let _ = client.flush();
    // FIN after the data, so the client reads everything sent and then EOF.
    let _ = client.shutdown(Shutdown::Write);
}

struct Request {
    method: String,
    target: String,
    range: Option<String>,
    /// The head as forwarded: `Connection: close`.
    head: Vec<u8>,
    body: Vec<u8>,
    /// Bytes read from the client.
    wire_len: usize,
}

struct Response {
    status: u16,
    /// The answer as sent to the client (`Connection: close`).
    bytes: Vec<u8>,
    head_len: usize,
}

/// Reads one request; `Ok(None)` when the client closed before sending a byte.
fn read_request(stream: &mut TcpStream) -> io::Result<Option<Request>> {
    let mut buf = Vec::with_capacity(4096);
    let head_end = loop {
        if let Some(end) = find_head_end(&buf) {
            break end;
        }
        if buf.len() > MAX_HEAD {
            return Err(invalid("request head too large"));
        }
        let mut chunk = [0u8; 8192];
        let n = read_some(stream, &mut chunk)?;
        if n == 0 {
            if buf.is_empty() {
                return Ok(None);
            }
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "client closed mid-head",
            ));
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = Head::parse(&buf[..head_end])?;
    let mut parts = head.first_line.split(' ');
    let (Some(method), Some(target), Some(_version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("malformed request line"));
    };
    if head.value("transfer-encoding").is_some() {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "the fault proxy reads Content-Length bodies only",
        ));
    }
    let length = match head.value("content-length") {
        Some(v) => v
            .trim()
            .parse::<usize>()
            .map_err(|_| invalid("bad Content-Length"))?,
        None => 0,
    };
    if length > MAX_REQUEST_BODY {
        return Err(invalid("request body too large for the fault proxy"));
    }
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 16 * 1024];
        let n = read_some(stream, &mut chunk)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "client closed mid-body",
            ));
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let wire_len = head_end + body.len();
    // Nothing follows one request: the client waits for the answer (no pipelining).
    body.truncate(length);
    Ok(Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        range: head.value("range").map(|v| v.trim().to_string()),
        head: head.with_connection_close(&["proxy-connection"]),
        body,
        wire_len,
    }))
}

/// Sends the request to the upstream on a fresh connection and reads the answer to EOF.
fn forward(shared: &Arc<Shared>, request: &Request) -> io::Result<Response> {
    let timeout = shared.options.upstream_timeout;
    let mut upstream = TcpStream::connect_timeout(&shared.upstream, timeout)?;
    let _guard = shared.register(&upstream);
    upstream.set_read_timeout(Some(timeout))?;
    upstream.set_write_timeout(Some(timeout))?;
    upstream.set_nodelay(true)?;
    upstream.write_all(&request.head)?;
    upstream.write_all(&request.body)?;
    upstream.flush()?;
    let mut bytes = Vec::new();
    upstream.read_to_end(&mut bytes)?;
    let head_end = find_head_end(&bytes).ok_or_else(|| invalid("incomplete answer head"))?;
    let head = Head::parse(&bytes[..head_end])?;
    let status = head
        .first_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| invalid("malformed status line"))?;
    let mut out = head.with_connection_close(&[]);
    let head_len = out.len();
    out.extend_from_slice(&bytes[head_end..]);
    shared.count(|s| s.forwarded += 1);
    Ok(Response {
        status,
        bytes: out,
        head_len,
    })
}

/// `read`, retried on EINTR; a read timeout becomes `TimedOut`.
fn read_some(stream: &mut TcpStream, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match stream.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                return Err(io::Error::new(io::ErrorKind::TimedOut, e))
            }
            other => return other,
        }
    }
}

/// The end of the head (just after `\r\n\r\n`), if it has arrived.
fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_string())
}

/// A request or response head: the start line and raw header lines.
struct Head<'a> {
    first_line: String,
    headers: Vec<&'a [u8]>,
}

impl<'a> Head<'a> {
    /// `bytes` ends with the blank line.
    fn parse(bytes: &'a [u8]) -> io::Result<Head<'a>> {
        let mut lines = bytes
            .split(|b| *b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .filter(|l| !l.is_empty());
        let first = lines.next().ok_or_else(|| invalid("empty head"))?;
        let first_line = std::str::from_utf8(first)
            .map_err(|_| invalid("start line is not UTF-8"))?
            .to_string();
        Ok(Head {
            first_line,
            headers: lines.collect(),
        })
    }

    /// A header line's name and value, both trimmed (the value empty when there is no colon).
    fn split(line: &[u8]) -> (&[u8], &[u8]) {
        match line.iter().position(|b| *b == b':') {
            Some(colon) => (line[..colon].trim_ascii(), line[colon + 1..].trim_ascii()),
            None => (line.trim_ascii(), &[]),
        }
    }

    fn name_of(line: &[u8]) -> &[u8] {
        Self::split(line).0
    }

    /// The first value of header `name`.
    fn value(&self, name: &str) -> Option<String> {
        self.headers.iter().find_map(|line| {
            let (n, value) = Self::split(line);
            n.eq_ignore_ascii_case(name.as_bytes())
                .then(|| String::from_utf8_lossy(value).into_owned())
        })
    }

    /// The head again, without `Connection`, `Keep-Alive` and the `also_drop` headers (lowercase),
    /// plus `Connection: close`.
    fn with_connection_close(&self, also_drop: &[&str]) -> Vec<u8> {
        let mut out = Vec::with_capacity(512);
        out.extend_from_slice(self.first_line.as_bytes());
        out.extend_from_slice(b"\r\n");
        for line in &self.headers {
            let name = Self::name_of(line);
            let dropped = ["connection", "keep-alive"]
                .iter()
                .chain(also_drop)
                .any(|d| name.eq_ignore_ascii_case(d.as_bytes()));
            if !dropped {
                out.extend_from_slice(line);
                out.extend_from_slice(b"\r\n");
            }
        }
        out.extend_from_slice(b"Connection: close\r\n\r\n");
        out
    }
}

fn injected_code(status: u16) -> &'static str {
    match status {
        503 => "unavailable",
        429 => "rate_limited",
        500 => "internal",
        410 => "resync_required",
        401 => "unauthorized",
        _ => "injected",
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        410 => "Gone",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Injected",
    }
}

/// A complete answer in the server's error shape.
fn error_response(status: u16, retry_after: Option<u64>, code: &str, message: &str) -> Vec<u8> {
    let body = serde_json::json!({ "error": { "code": code, "message": message } }).to_string();
    let mut out = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        reason(status),
        body.len()
    );
    if let Some(seconds) = retry_after {
        out.push_str(&format!("Retry-After: {seconds}\r\n"));
    }
    out.push_str("Connection: close\r\n\r\n");
    out.push_str(&body);
    out.into_bytes()
}
