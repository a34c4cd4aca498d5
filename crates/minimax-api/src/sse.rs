//! Server-sent events: `sse-stream` splits the byte stream into events (incrementally: a huge event
//! arriving in many chunks costs linear time), and a per-endpoint
//! `FrameAssembler` turns each `data:` payload into typed events. The stream ends on `data: [DONE]`
//! or at EOF, whichever comes first (minimax-api.md §2.2: `[DONE]` is not guaranteed).

use std::collections::VecDeque;
use std::pin::Pin;
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use sse_stream::SseByteStream;

use crate::envelope::find_api_error;
use crate::error::{Error, ErrorKind, RawBody, Result};
use crate::transport::{MiniMaxClient, RequestSpec, trace_id_of};

/// A boxed stream of typed events, `Send` so it can be driven from any task.
pub type EventStream<T> = Pin<Box<dyn Stream<Item = Result<T>> + Send>>;

/// Whether more frames are expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Keep reading.
    Continue,
    /// The endpoint's own end marker was seen (e.g. T2A `status: 2`); stop reading.
    Finished,
}

/// Turns `data:` payloads into typed events.
pub(crate) trait FrameAssembler {
    /// The typed event.
    type Event;
    /// Handles one payload, pushing events to emit.
    fn frame(&mut self, data: &str, out: &mut VecDeque<Self::Event>) -> Result<Flow>;
    /// Called once at `[DONE]`, EOF, or after [`Flow::Finished`]; may emit a final event or report a
    /// stream that ended too early.
    fn finish(&mut self, out: &mut VecDeque<Self::Event>) -> Result<()>;
}

struct Driver<St, A: FrameAssembler, F> {
    events: St,
    assembler: A,
    pending: VecDeque<A::Event>,
    done: bool,
    map_err: F,
    idle: Duration,
    endpoint: &'static str,
}

/// A transport failure of the byte stream under the SSE parser.
pub(crate) type StreamFailure = Box<dyn std::error::Error + Send + Sync>;

/// Drives an assembler over a byte stream. `map_err` turns a transport failure of the byte stream into
/// an [`Error`]. Generic over the byte source so tests can chunk bodies at arbitrary boundaries.
pub(crate) fn assemble<S, B, E, A, F>(
    bytes: S,
    assembler: A,
    endpoint: &'static str,
    idle: Duration,
    map_err: F,
) -> EventStream<A::Event>
where
    S: Stream<Item = std::result::Result<B, E>> + Send + 'static,
    B: bytes::Buf + Send + 'static,
    E: std::error::Error + Send + Sync + 'static,
    A: FrameAssembler + Send + 'static,
    A::Event: Send + 'static,
    F: Fn(StreamFailure) -> Error + Send + 'static,
{
    let driver = Driver {
        events: Box::pin(SseByteStream::new(bytes)),
        assembler,
        pending: VecDeque::new(),
        done: false,
        map_err,
        idle,
        endpoint,
    };
    Box::pin(futures_util::stream::unfold(driver, move |mut d| async move {
        loop {
            if let Some(event) = d.pending.pop_front() {
                return Some((Ok(event), d));
            }
            if d.done {
                return None;
            }
            let Ok(next) = tokio::time::timeout(d.idle, d.events.next()).await else {
                d.done = true;
                return Some((Err(Error::Stalled { endpoint: d.endpoint.to_owned(), after: d.idle }), d));
            };
            let step = match next {
                Some(Ok(event)) => {
                    let data = event.data.as_deref().unwrap_or_default().trim();
                    if data == "[DONE]" {
                        Ok(Flow::Finished)
                    } else if data.is_empty() {
                        Ok(Flow::Continue)
                    } else {
                        d.assembler.frame(data, &mut d.pending)
                    }
                }
                Some(Err(sse_stream::Error::Body(error))) => Err((d.map_err)(error)),
                Some(Err(error)) => Err(Error::Decode {
                    endpoint: endpoint.to_owned(),
                    reason: format!("invalid event stream: {error}"),
                    trace_id: None,
                    body: RawBody(String::new()),
                }),
                None => Ok(Flow::Finished),
            };
            match step {
                Ok(Flow::Continue) => {}
                Ok(Flow::Finished) => {
                    d.done = true;
                    if let Err(error) = d.assembler.finish(&mut d.pending) {
                        d.pending.clear();
                        return Some((Err(error), d));
                    }
                }
                Err(error) => {
                    d.done = true;
                    d.pending.clear();
                    return Some((Err(error), d));
                }
            }
        }
    }))
}

/// Opens a streamed call and drives `assembler` over its body. A JSON answer instead of an event
/// stream (how MiniMax reports errors such as 2049 with HTTP 200) becomes the error it holds.
/// `make_assembler` receives the `Trace-Id` header.
pub(crate) async fn open_event_stream<A>(
    client: &MiniMaxClient,
    spec: &RequestSpec,
    make_assembler: impl FnOnce(Option<String>) -> A,
) -> Result<EventStream<A::Event>>
where
    A: FrameAssembler + Send + 'static,
    A::Event: Send + 'static,
{
    let endpoint = spec.path;
    let mut retry = 0;
    let (response, trace_id) = loop {
        let response = client.open_stream(spec).await?;
        let trace_id = trace_id_of(response.headers());
        let is_json = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            break (response, trace_id);
        }
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(|e| crate::transport::transport_error(spec, e))?;
        let error = find_api_error(&body, status, trace_id.as_deref()).unwrap_or_else(|| Error::Decode {
            endpoint: endpoint.to_owned(),
            reason: "expected an event stream, got JSON".into(),
            trace_id,
            body: RawBody::from_bytes(&body),
        });
        // A JSON answer means nothing was generated, so a retryable code (e.g. 1002) may be retried.
        let policy = client.retry_policy();
        if !(error.retryable() && retry < policy.max_retries) {
            return Err(error);
        }
        tokio::time::sleep(policy.delay_for(retry)).await;
        retry += 1;
    };
    // A stream broken mid-body is never retried (part of it was delivered), so it is a plain transport error.
    let assembler = make_assembler(trace_id);
    let paid = spec.kind == crate::transport::CallKind::Paid;
    let stream = assemble(
        response.bytes_stream(),
        assembler,
        endpoint,
        client.read_timeout(),
        move |failure: StreamFailure| match failure.downcast::<reqwest::Error>() {
            Ok(error) => {
                let kind = if error.is_timeout() { ErrorKind::Timeout } else { ErrorKind::Network };
                Error::Transport { endpoint: endpoint.to_owned(), kind, source: error.without_url() }
            }
            Err(other) => Error::Io(std::io::Error::other(other)),
        },
    );
    if !paid {
        return Ok(stream);
    }
    // A paid stream whose connection breaks after it started was received and billed: never report it
    // as a retryable network error (a retry would pay twice). (A silent stream stays `Stalled`.)
    Ok(Box::pin(stream.map(move |item| match item {
        Err(error @ Error::Transport { .. }) => Err(Error::OutcomeUnknown {
            endpoint: endpoint.to_owned(),
            reason: format!("the stream broke after it started: {error}"),
        }),
        other => other,
    })))
}

/// A decode error for one event payload (the payload is kept, truncated in `Display`).
pub(crate) fn frame_error(
    endpoint: &str,
    reason: impl Into<String>,
    data: &str,
    trace_id: Option<&str>,
) -> Error {
    Error::Decode {
        endpoint: endpoint.to_owned(),
        reason: reason.into(),
        trace_id: trace_id.map(str::to_owned),
        body: RawBody(data.to_owned()),
    }
}

/// An error for a stream that stopped before its documented end.
pub(crate) fn truncated(endpoint: &str, what: &str, trace_id: Option<&str>) -> Error {
    Error::Decode {
        endpoint: endpoint.to_owned(),
        reason: format!("the stream ended before {what}"),
        trace_id: trace_id.map(str::to_owned),
        body: RawBody(String::new()),
    }
}

/// Runs a future to completion on a fresh current-thread runtime (tests of the pure stream assembly).
#[cfg(test)]
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_time().build().expect("runtime").block_on(future)
}

/// Maps a test byte-source failure (`std::io::Error`) the way the client maps transport failures.
#[cfg(test)]
pub(crate) fn io_failure(failure: StreamFailure) -> Error {
    Error::Io(std::io::Error::other(failure))
}
