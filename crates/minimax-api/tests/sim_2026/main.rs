//! The client against the simulator for the late-2026 API (minimax-api-2026.md): Video V2 (H3), the plan
//! generations of `/v1/token_plan/remains` and their interpretation, music entitlement, speech-2.8,
//! voice design / clone / upload, and the film draft answer. Both sides are written from the docs; after
//! each exchange the simulator must have logged no validation failure unless the test asked for one.

mod common;

mod entitlements;
mod film_draft;
mod plan;
mod video_v2;
mod voices;
