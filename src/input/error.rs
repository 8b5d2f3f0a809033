//! Why an input argument or a whole file cannot be read, with its exit class. (A malformed line is
//! not an error of this kind: it becomes an input error in the evidence and the file goes on.)

use crate::error::{classify, ExitClass};
use crate::model::evidence::Encoding;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// `FORMAT:PATH` with a format name kensa does not know (`known` lists the names it does).
    #[error("`{name}` is not a known input format (in `{arg}`); known: {known}")]
    UnknownFormat {
        name: String,
        arg: String,
        known: String,
    },
    /// A file read whole has a line that does not decode (the caller adds the path).
    #[error("line {line}: line is not valid {} text", encoding.label())]
    Undecodable { line: usize, encoding: Encoding },
    /// `kensa policy` was given a directory to read as another format than pwquality drop-ins.
    #[error("{path}: a directory is read as pwquality.conf drop-ins only")]
    DirectoryNotDropIns { path: String },
    /// A file or directory that cannot be opened or read (`why`: the system's reason).
    #[error("{path}: cannot read: {why}")]
    Unreadable { path: String, why: String },
    /// A file most of whose lines do not decode (the message counts the lines, see
    /// `Decoded::binary_message`).
    #[error("{0}")]
    NotText(String),
    /// Text whose format cannot be told from its content (`known` lists the format names).
    #[error("cannot tell the format from the content; name it as FORMAT:PATH (one of {known})")]
    UnknownContent { known: String },
    /// `kensa policy` was given a file that is not one of the policy formats.
    #[error("{path}: not a policy file (secedit, netaccounts, login.defs, pwquality.conf, pam, faillock.conf, policy)")]
    NotPolicy { path: String },
    /// A whole-file error with the path in front.
    #[error("{path}: {cause}")]
    At { path: String, cause: Box<ReadError> },
}

classify!(ReadError, |e| match e {
    ReadError::UnknownFormat { .. }
    | ReadError::DirectoryNotDropIns { .. }
    | ReadError::NotPolicy { .. } => ExitClass::Usage,
    ReadError::Undecodable { .. }
    | ReadError::Unreadable { .. }
    | ReadError::NotText(_)
    | ReadError::UnknownContent { .. } => ExitClass::Input,
    ReadError::At { cause, .. } => crate::error::Classify::class(cause.as_ref()),
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Classify;

    #[test]
    fn an_unknown_format_is_a_usage_error_and_a_bad_line_an_input_error() {
        let e = super::super::split_format("nosuch:a.txt").unwrap_err();
        assert_eq!(e.class(), ExitClass::Usage);
        assert!(e.to_string().starts_with(
            "`nosuch` is not a known input format (in `nosuch:a.txt`); known: pwdump, "
        ));
        let e = super::super::decode(b"ok\n\xff\xfe\x00bad\n").unwrap_err();
        assert_eq!(e.class(), ExitClass::Input);
        assert_eq!(e.to_string(), "line 2: line is not valid UTF-8 text");
    }
}
