//! The API clients jobs and calls outside jobs (voices, the quota) are made with: one per key.

use minimax_api::MiniMaxClient;

use crate::storage::KeyKind;

/// The clients for the two keys. A missing plan key makes plan jobs fail with a clear error.
#[derive(Debug, Clone, Default)]
pub struct ApiClients {
    /// The Token Plan key's client.
    pub plan: Option<MiniMaxClient>,
    /// The pay-as-you-go key's client.
    pub pay_as_you_go: Option<MiniMaxClient>,
}

impl ApiClients {
    /// The client of the key that pays for `key`'s jobs.
    pub fn for_key(&self, key: KeyKind) -> Option<&MiniMaxClient> {
        match key {
            KeyKind::Plan => self.plan.as_ref(),
            KeyKind::PayAsYouGo => self.pay_as_you_go.as_ref(),
        }
    }
}
