//! A typed async client for the MiniMax HTTP API as documented in `shared/minimax-api.md`:
//! text chat (plain and streamed), speech (sync, streamed, async, voices), video (Hailuo and V2 / H3),
//! image, music, lyrics, files and the Token Plan remains endpoint (with its interpretation,
//! [`plan::interpret`]), plus the model table the UI shows ([`models`]).
//!
//! Every call validates its request against the documented limits before sending
//! ([`ValidationError`] names the field and the allowed values), checks `base_resp` even on HTTP 200,
//! understands the `{"type":"error"}` shape and its trailing `(NNNN)` code, keeps the trace id, and
//! retries only retryable failures with bounded, jittered backoff. A paid call whose answer was lost
//! (timeout or cut after sending, gateway 502/504) is never repeated: it fails with
//! [`ErrorKind::OutcomeUnknown`].
//!
//! Entry points: [`MiniMaxClient::new`], then `client.text()`, `.speech()`, `.video()`, `.video_v2()`,
//! `.image()`, `.music()`, `.files()`, `.plan()`. Streams ([`sse::EventStream`]) are boxed `Send` streams.
//!
//! ```no_run
//! # async fn demo() -> minimax_api::Result<()> {
//! use minimax_api::{ApiKey, Config, MiniMaxClient, Region};
//! let client = MiniMaxClient::new(Config::new(Region::Global, ApiKey::new("sk-cp-...")))?;
//! let remains = client.plan().remains().await?;
//! println!("{} buckets", remains.model_remains.len());
//! # Ok(()) }
//! ```

pub mod config;
pub mod envelope;
pub mod error;
pub mod files;
pub mod hex;
pub mod image;
#[cfg(test)]
mod json_strategies;
pub mod models;
pub mod music;
pub mod plan;
pub mod reset_time;
pub mod speech;
pub mod sse;
pub mod task;
pub mod text;
mod transport;
pub mod validation;
pub mod video;
pub mod video_v2;
pub mod wire;

pub use config::{ApiKey, Config, KeyType, Region, RetryPolicy};
pub use envelope::BaseResp;
pub use error::{ApiError, Error, ErrorKind, RawBody, Result};
pub use reset_time::ResetTime;
pub use task::TaskStatus;
pub use transport::MiniMaxClient;
pub use validation::ValidationError;
