//! Why a breach source cannot be opened, built or filled, with its exit class. (A lookup that
//! fails is not an error of this kind: it is a [`Lookup::Error`](super::Lookup::Error) in the
//! evidence, and the audit goes on.)

use super::corpus::CorpusError;
use crate::error::{classify, ExitClass};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum BreachError {
    /// `--hibp-url` or a download's base URL is not an HTTP(S) URL.
    #[error("breach API URL `{0}` must start with https:// or http://")]
    BaseUrl(String),
    /// A download's prefix range is not within the 2^20 prefixes.
    #[error("prefix range {first:05X}-{last:05X} is not within 00000-FFFFF")]
    PrefixRange { first: u32, last: u32 },
    /// No offline corpus was given (or none to index).
    #[error("{0}")]
    NoCorpus(&'static str),
    /// Two offline corpora of one mode.
    #[error("two offline {mode} corpora given ({} and {}): give at most one per mode", first.display(), second.display())]
    TwoCorpora {
        mode: &'static str,
        first: PathBuf,
        second: PathBuf,
    },
    /// A download directory already holds ranges of the other mode.
    #[error("{} already holds {} ranges; {} ranges need a directory of their own", dir.display(), have, want)]
    ModeMix {
        dir: PathBuf,
        have: &'static str,
        want: &'static str,
    },
    /// The HTTP client cannot be made (TLS set-up).
    #[error("cannot build the HTTP client: {0}")]
    Client(#[source] reqwest::Error),
    /// An offline corpus, an index, a download directory or its manifest cannot be read, is
    /// malformed, or cannot be written (the message names the file, and the line where there is
    /// one; the class is the cause's).
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// The directories of the breach cache cannot be created.
    #[error("cannot create the breach cache {}: {source}", dir.display())]
    Cache {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

classify!(BreachError, |e| match e {
    BreachError::BaseUrl(_)
    | BreachError::PrefixRange { .. }
    | BreachError::NoCorpus(_)
    | BreachError::TwoCorpora { .. }
    | BreachError::ModeMix { .. } => ExitClass::Usage,
    BreachError::Client(_) => ExitClass::Network,
    BreachError::Corpus(e) => e.class(),
    BreachError::Cache { .. } => ExitClass::Output,
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Classify;

    #[test]
    fn options_are_usage_errors_and_files_input_or_output_errors() {
        let e = super::super::online::check_base_url("ftp://x/").unwrap_err();
        assert_eq!(
            e.to_string(),
            "breach API URL `ftp://x` must start with https:// or http://"
        );
        assert_eq!(e.class(), ExitClass::Usage);
        let e = BreachError::PrefixRange {
            first: 0x10,
            last: 0x100000,
        };
        assert_eq!(
            e.to_string(),
            "prefix range 00010-100000 is not within 00000-FFFFF"
        );
        let e = BreachError::from(CorpusError::Empty { path: "c".into() });
        assert_eq!(e.to_string(), "offline corpus c is empty");
        assert_eq!(e.class(), ExitClass::Input);
        let e = BreachError::from(CorpusError::Writer("index writer panicked"));
        assert_eq!(e.class(), ExitClass::Output);
        let e = super::super::offline::OfflineSource::open(&[])
            .err()
            .unwrap();
        assert_eq!(e.to_string(), "no offline breach corpus given");
        assert_eq!(e.class(), ExitClass::Usage);
    }

    #[test]
    fn a_client_that_cannot_be_built_is_a_network_error() {
        // reqwest cannot be made to fail on demand here; the class is decided by the variant.
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "").unwrap();
        let e = super::super::online::OnlineSource::new(super::super::online::OnlineOptions {
            cache: Some(super::super::online::CacheOptions {
                dir: blocker.join("cache"),
                max_age: std::time::Duration::from_secs(1),
            }),
            ..Default::default()
        })
        .err()
        .unwrap();
        assert!(
            e.to_string().starts_with("cannot create the breach cache "),
            "{e}"
        );
        assert_eq!(e.class(), ExitClass::Output);
    }
}
