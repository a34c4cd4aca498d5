//! `minimax-sim`: a faithful local MiniMax server for tests, benchmarks and the app's demo mode.
//!
//! It follows the documented API (`minimax-api.md`), quirks included: errors arrive as HTTP 200 with a
//! non-zero `base_resp`, image counts are strings under `metadata`, streamed TTS repeats the whole audio
//! in its final event, async tasks advance over (simulated) time, download links expire, and a Token Plan
//! quota window refuses with `2056` and a reset time. Media are real: MP3/WAV audio whose length follows
//! the text, PNG images at the requested size, an MP4 clip served with HTTP Range support.
//!
//! Tests start it in-process with [`Simulator::start`] on `127.0.0.1:0`; the binary `minimax-sim` serves
//! the same thing on a fixed port. Faults, the clock and the request log are driven through `/_sim/*`
//! (see [`routes::admin`]) or directly through [`Simulator::state`].
//!
//! ```no_run
//! # async fn demo() -> minimax_sim::Result<()> {
//! let sim = minimax_sim::Simulator::start(minimax_sim::SimConfig::default()).await?;
//! let base = sim.base_url(); // e.g. http://127.0.0.1:41234 — give it to the client as its API host
//! sim.advance(std::time::Duration::from_secs(30)); // async tasks finish, links age
//! assert_eq!(sim.validation_failures(), 0);
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # Documented quirks reproduced
//! - Errors are HTTP 200 with a non-zero `base_resp` (`1004` missing key, `2049` wrong key, `2013 invalid
//!   params, <field>: …`); the OpenAI-compatible chat endpoint refuses an exhausted plan with HTTP 429 and
//!   `{"type":"error","error":{…"message":"… resets at <ISO time> (2056)"}}`, the other endpoints with
//!   HTTP 200 and `base_resp` 2056 carrying the same message.
//! - Streamed TTS: `status: 1` chunks with `status_msg: ""`, then a `status: 2` event repeating the whole
//!   audio (unless `stream_options.exclude_aggregated_audio`); no `[DONE]`.
//! - Image counts are strings under `metadata`; `aspect_ratio` wins over `width`/`height`.
//! - Task ids: a string for video, a number for async speech; video `file_id` is a string, async speech's a
//!   number. Video statuses are capitalised (`Preparing`, `Queueing`, `Processing`, `Success`, `Fail`);
//!   async speech uses `Processing`, `Success`, `Failed`, `Expired` (after its 9 h link lifetime).
//! - Async speech uses `audio_sample_rate` / `english_normalization`, sync `sample_rate` /
//!   `text_normalization`; speech-2.8 is accepted by sync, streamed and async speech (minimax-api-2026.md §4.1);
//!   `fluent` and `whisper` only by speech-2.6.
//! - `get_voice` returns `null` for the voice lists not asked for.
//! - Music `extra_info` uses the `music_*` names; lyrics tags differ from music tags (`[Pre-Chorus]`).
//! - Chat: inline `<think>` or `reasoning_content` + `reasoning_details` with `reasoning_split`; stream
//!   chunks carry placeholder usage; the final frame is configurable ([`ChatUsageFrame`]), as are
//!   `data: [DONE]` and cumulative reasoning snapshots; the last chunk's `delta.role` is `""`;
//!   `temperature` is `(0, 1]` for M2.x and `[0, 2]` for M3.
//! - `/v1/token_plan/remains` counts **used** requests, the legacy `coding_plan/remains` **remaining** ones.
//! - Download links expire: video 1 h, async speech 9 h, url outputs 24 h (all configurable); an expired
//!   or forged link gets an object-storage style `403` XML body.
//!
//! - `/v1/token_plan/remains` in three plan generations ([`PlanPayload`]): legacy request counts (default),
//!   the usage-based percent payload (`general` + `video`, statuses, boosts) and the M Plan (`general` only);
//!   under the percent plans video counts only against the weekly window; odd shapes on request
//!   ([`RemainsQuirk`]); spend from another tool on the same key through `/_sim/quota/elsewhere`.
//! - Video V2 (H3): real HTTP statuses with the OpenAI-style body, `queued → running → succeeded`, a fresh
//!   signed `content.url` per query, `expired` after 7 days, paged list, cancel (refunded) and delete; a plan
//!   key without H3 gets `2013` naming the Token Plan.
//! - Music and lyrics answer `2061` for a key without music access; voice cloning needs real-name
//!   verification (`2038`); designed and cloned voices are listed only after their first synthesis.
//! - A chat whose system message carries `tokenplan-film/1` is answered with a shot list (the film draft).
//!
//! # Not simulated
//! File list/delete, `text_file_id`, music cover preprocessing, the ASR check of voice cloning (inject `1043`),
//! the Anthropic-compatible and native v2 chat endpoints, H3-Context-IR and 2K regeneration, WebSocket TTS,
//! callbacks, FLAC and Opus audio (refused with `1000`, uncharged), per-model daily quotas.

pub mod clock;
pub mod config;
pub mod envelope;
pub mod error;
pub mod faults;
pub mod ids;
pub mod media;
pub mod quota;
pub mod request_log;
pub mod routes;
pub mod server;
pub mod state;
pub mod validate;

pub use config::{ChatUsageFrame, PlanPayload, RemainsQuirk, SimConfig};
pub use error::{Result, SimError};
pub use faults::{Fault, FaultKind};
pub use server::Simulator;
