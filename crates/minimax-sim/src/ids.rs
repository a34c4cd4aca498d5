//! Identifiers shaped like MiniMax's: 15-digit numeric task and file ids, 32-hex-digit trace ids.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// A fresh 15-digit numeric id (task ids and file ids look like `176843862716480`).
pub fn numeric_id() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    let seed = *SEED.get_or_init(|| {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        (millis % 1_000_000) * 1_000_000
    });
    176_000_000_000_000 + seed + NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// A fresh 32-character lowercase hex trace id.
pub fn trace_id() -> String {
    let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    format!(
        "{:016x}{:016x}",
        fnv1a(&n.to_le_bytes()) ^ 0x5a5a_0000_1111_2222,
        n.wrapping_mul(0x9e37_79b9_7f4a_7c15)
    )
}

tokio::task_local! {
    /// The trace id of the request being served (set by the server's gate around each handler).
    static REQUEST_TRACE: String;
}

/// Runs `future` with `trace` as the trace id of the request it serves.
pub async fn with_request_trace<F: std::future::Future>(trace: String, future: F) -> F::Output {
    REQUEST_TRACE.scope(trace, future).await
}

/// The trace id of the request being served (the same value the `Trace-Id` header carries), or a fresh
/// one outside a request.
pub fn request_trace_id() -> String {
    REQUEST_TRACE.try_with(Clone::clone).unwrap_or_else(|_| trace_id())
}

/// FNV-1a over bytes: the simulator's deterministic hash (prompt → image pattern, URL signatures).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_fifteen_digits_and_unique() {
        let a = numeric_id();
        let b = numeric_id();
        assert_ne!(a, b);
        assert_eq!(a.to_string().len(), 15, "{a}");
        assert_eq!(trace_id().len(), 32);
    }
}
