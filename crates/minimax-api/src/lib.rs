//! A typed async client for the MiniMax HTTP API as documented in `shared/minimax-api.md`:
//! text chat (plain and streamed), speech (sync, streamed, async, voices), video (Hailuo), image, music,
//! lyrics, files and the Token Plan remains endpoint.
//!
//! Every call validates its request against the documented limits before sending, checks `base_resp`
//! even on HTTP 200, understands the `{"type":"error"}` shape, keeps the trace id, and retries only
//! retryable failures. A paid call whose answer was lost is never repeated ([`ErrorKind::OutcomeUnknown`]).
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
pub mod wire;

pub use config::{ApiKey, Config, KeyType, Region, RetryPolicy};
pub use envelope::BaseResp;
pub use error::{ApiError, Error, ErrorKind, RawBody, Result};
pub use reset_time::ResetTime;
pub use task::TaskStatus;
pub use transport::MiniMaxClient;
pub use validation::ValidationError;
