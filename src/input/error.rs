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
}

classify!(ReadError, |e| match e {
    ReadError::UnknownFormat { .. } => ExitClass::Usage,
    ReadError::Undecodable { .. } => ExitClass::Input,
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
