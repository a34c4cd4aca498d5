//! Errors of the simulator itself (starting it, not the MiniMax errors it serves).

/// Everything that can go wrong when starting or running a simulator.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address we tried.
        addr: String,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// A command-line argument is missing or malformed.
    #[error("bad argument: {0}")]
    Argument(String),
    /// The server stopped with an I/O error.
    #[error("server error: {0}")]
    Serve(#[from] std::io::Error),
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, SimError>;
