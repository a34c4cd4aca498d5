//! `--api-key`: a value that never shows in `Debug` output, and a warning when it was typed on the command
//! line, where every user of the machine can read it (`ps`, `/proc/PID/cmdline`) and the shell keeps it in
//! its history.

use std::fmt;
use std::str::FromStr;

use clap::ArgMatches;
use clap::parser::ValueSource;

/// The id of the `--api-key` argument in the parsed matches.
const API_KEY_ARG: &str = "api_key";

/// An API key from the command line or `MINIMAX_API_KEY`; `Debug` shows `<redacted>`.
#[derive(Clone)]
pub struct SecretArg(String);

impl SecretArg {
    /// The key itself, to hand to the session.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Debug for SecretArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl FromStr for SecretArg {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(SecretArg(value.to_owned()))
    }
}

/// The warning for a key typed as `--api-key`, or `None` when it came from the environment (or not at all).
pub fn command_line_key_warning(matches: &ArgMatches) -> Option<&'static str> {
    (matches.value_source(API_KEY_ARG) == Some(ValueSource::CommandLine)).then_some(
        "tokenplan: warning: --api-key puts the key on the command line, where other users of this computer \
         can see it (ps, /proc) and your shell history keeps it; prefer MINIMAX_API_KEY or the key saved by \
         the app",
    )
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;
    use crate::Cli;

    fn matches(args: &[&str]) -> ArgMatches {
        Cli::command().try_get_matches_from(args).unwrap()
    }

    #[test]
    fn a_typed_key_warns_and_an_environment_key_does_not() {
        let typed = matches(&["tokenplan", "--api-key", "sk-cp-SECRET", "jobs"]);
        let warning = command_line_key_warning(&typed).unwrap();
        assert!(warning.contains("MINIMAX_API_KEY") && warning.contains("other users"), "{warning}");
        let after = matches(&["tokenplan", "jobs", "--api-key", "sk-cp-SECRET"]);
        assert!(command_line_key_warning(&after).is_some(), "a global flag after the subcommand counts too");
        assert!(command_line_key_warning(&matches(&["tokenplan", "jobs"])).is_none());
    }

    #[test]
    fn the_parsed_key_is_redacted_in_debug() {
        let cli = Cli::try_parse_from(["tokenplan", "--api-key", "sk-cp-SECRET", "jobs"]).unwrap();
        let shown = format!("{cli:?}");
        assert!(!shown.contains("SECRET") && shown.contains("redacted"), "{shown}");
    }
}
