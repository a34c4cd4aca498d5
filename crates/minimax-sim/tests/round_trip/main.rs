//! Round trips with `reqwest` against an in-process simulator: every endpoint's shape, validation, auth,
//! task progression on the test clock, URL expiry, Range requests, quota, faults and the request log.

mod common;

mod admin_and_faults;
mod chat;
mod custom_voices;
mod entitlements;
mod film_draft;
mod image;
mod mcp_peer;
mod music;
mod plan;
mod plan_generations;
mod speech;
mod video;
mod video_v2;
