//! The class of every error, attached where the error happens, so the exit code (contract §5) is
//! decided by the code that knows what went wrong and not guessed from a message at the top.
//!
//! Each module has its own error enum (made with `thiserror`, its `Display` the message the user
//! reads) and implements [`Classify`]; the CLI turns any of them into an [`Error`] and its class into
//! an exit code with [`ExitClass::exit_code`].

use std::fmt;

/// Why a run could not complete (contract §5, the rows of exit code 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExitClass {
    /// The command line or the manifest asks for something impossible (a bad date, an unknown
    /// format, a file that is not what the option expects).
    Usage,
    /// An input, a corpus or a wordlist cannot be read or is malformed.
    Input,
    /// A breach lookup or a download failed (network, server, or the answer it gave).
    Network,
    /// A file kensa was asked to write cannot be written.
    Output,
}

impl ExitClass {
    /// The process exit code of a run that stopped on an error of this class. Contract §5 gives
    /// every class the same code today (2: the evidence is incomplete); the classes are kept apart
    /// so that the table can grow without touching the places errors are made.
    pub fn exit_code(self) -> u8 {
        match self {
            ExitClass::Usage | ExitClass::Input | ExitClass::Network | ExitClass::Output => 2,
        }
    }
}

/// An error that knows its exit class.
pub trait Classify: std::error::Error {
    fn class(&self) -> ExitClass;
}

/// Any classified error, as the CLI holds it: the message the user reads and its class.
///
/// `?` converts every module error into it; a message made by the CLI itself gets its class with
/// [`Error::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    class: ExitClass,
    message: String,
}

impl Error {
    pub fn new(class: ExitClass, message: impl Into<String>) -> Error {
        Error {
            class,
            message: message.into(),
        }
    }

    /// A usage error (the common case of a message made by the CLI).
    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(ExitClass::Usage, message)
    }

    pub fn class(&self) -> ExitClass {
        self.class
    }

    pub fn exit_code(&self) -> u8 {
        self.class.exit_code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl<E: Classify> From<E> for Error {
    fn from(e: E) -> Error {
        Error::new(e.class(), e.to_string())
    }
}

/// `Classify` for an error enum: its class, from a match over its variants.
macro_rules! classify {
    ($ty:ty, |$e:ident| $body:expr) => {
        impl $crate::error::Classify for $ty {
            fn class(&self) -> $crate::error::ExitClass {
                let $e = self;
                $body
            }
        }
    };
}
pub(crate) use classify;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("lookup failed")]
    struct Lookup;
    classify!(Lookup, |_e| ExitClass::Network);

    #[test]
    fn every_class_is_exit_code_two_as_the_contract_says() {
        for c in [
            ExitClass::Usage,
            ExitClass::Input,
            ExitClass::Network,
            ExitClass::Output,
        ] {
            assert_eq!(c.exit_code(), 2);
        }
    }

    #[test]
    fn a_module_error_keeps_its_class_and_message() {
        let e: Error = Lookup.into();
        assert_eq!(e.class(), ExitClass::Network);
        assert_eq!(e.to_string(), "lookup failed");
        assert_eq!(Error::usage("bad").class(), ExitClass::Usage);
    }
}
