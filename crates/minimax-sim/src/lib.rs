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

pub use config::{ChatUsageFrame, SimConfig};
pub use error::{Result, SimError};
pub use faults::{Fault, FaultKind};
pub use server::Simulator;
