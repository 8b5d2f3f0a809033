//! Why an input argument or a whole file cannot be read, with its exit class ([`ReadError`]), and
//! why one line of an input is not read ([`LineError`]: a reason in the evidence, the file goes on).

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

/// Why one line (or record) of an input is not read. It becomes an input error in the evidence
/// (its `Display` is the reason) and the file goes on. No variant holds a value of the file: field
/// names, counts and line numbers only, never a password or a hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("malformed shadow line: {0} fields, expected name:hash:lastchg:min:max:warn:inactive:expire:")]
    ShadowFields(usize),
    #[error("malformed shadow line: empty user name")]
    ShadowEmptyUser,
    /// The 1-based number of the aging field that is not a number.
    #[error("malformed shadow line: field {0} is not a number")]
    ShadowNotNumber(usize),
    #[error("malformed htpasswd line: no ':' between user and hash")]
    HtpasswdNoColon,
    #[error("malformed htpasswd line: empty user name")]
    HtpasswdEmptyUser,
    #[error("malformed htpasswd line: more than one ':' (htdigest file?)")]
    HtpasswdColons,
    #[error("malformed htpasswd line: empty hash")]
    HtpasswdEmptyHash,
    #[error("malformed pwdump line: {0} fields, expected user:rid:lmhash:nthash:::")]
    PwdumpFields(usize),
    #[error("malformed pwdump line: empty user name")]
    PwdumpEmptyUser,
    #[error("malformed pwdump line: the RID is not a number")]
    PwdumpRid,
    #[error("malformed pwdump line: LM hash is not 32 hex digits")]
    PwdumpLm,
    #[error("malformed pwdump line: NT hash is not 32 hex digits")]
    PwdumpNt,
    #[error("malformed pwdump line: pwdLastSet is not a date (YYYY-MM-DD HH:MM), never or N/A")]
    PwdumpLastSet,
    /// A hash of a real scheme kensa cannot verify (`scheme`: its name, e.g. `DES crypt`).
    #[error("{field}: unsupported hash scheme ({scheme})")]
    UnsupportedScheme {
        field: &'static str,
        scheme: &'static str,
    },
    /// A value that is no hash scheme kensa knows (not shown: it may be a password).
    #[error("{field}: not a hash scheme kensa recognises (the value is not shown)")]
    UnknownScheme { field: &'static str },
    #[error("malformed LDIF line: no ':' after the attribute name")]
    LdifNoColon,
    /// `0`: the attribute's name when kensa reads it, else `(other)`.
    #[error("LDIF attribute {0}: base64 value is not UTF-8 text")]
    LdifNotUtf8(&'static str),
    #[error("LDIF attribute {0}: invalid base64 value")]
    LdifBase64(&'static str),
    #[error("LDIF attribute {0}: URL values (':<') are not supported")]
    LdifUrl(&'static str),
    #[error("LDIF entry without a 'dn:' line")]
    LdifNoDn,
    #[error("LDIF entry: no uid, cn or dn value to name the account")]
    LdifNoName,
    #[error("no usable userPassword")]
    LdifNoPassword,
    #[error("unterminated quoted CSV cell")]
    CsvUnterminated,
    #[error("inventory header has no 'account' column")]
    InventoryNoAccount,
    #[error("inventory header has no 'password' or 'hash' column")]
    InventoryNoSecret,
    #[error(
        "inventory row has {fields} fields, the header has {header} (unquoted ',' in a cell?)"
    )]
    InventoryWidth { fields: usize, header: usize },
    #[error("inventory row with an empty account cell")]
    InventoryEmptyAccount,
    #[error("inventory row with an empty hash cell")]
    InventoryEmptyHash,
    /// The cell is not shown: a row with an extra comma puts the password here.
    #[error("unrecognised mfa value (use true/false)")]
    InventoryMfa,
    /// Not quoted: an unknown name may be a password typed on the wrong line.
    #[error("an unknown option (not a pwquality.conf option)")]
    PwqualityUnknown,
    #[error("{0}: the value is not a whole number")]
    PwqualityNotNumber(&'static str),
    #[error("deny: the value is not a whole number from 0 to 65535")]
    FaillockDeny,
    /// `never`: the option also takes `never`.
    #[error(
        "{name}: the value is not a number of seconds up to {}{}",
        super::faillock::MAX_TIME_INTERVAL,
        if *never { " or `never`" } else { "" }
    )]
    FaillockSeconds { name: &'static str, never: bool },
    #[error("expected a whole number of days")]
    PolicyDays,
    #[error("expected true or false")]
    PolicyBool,
    #[error("expected a whole number of minutes")]
    PolicyMinutes,
    #[error("expected a non-negative whole number")]
    PolicyCount,
    #[error("expected a list such as [\"letter\", \"digit\", \"symbol\"]")]
    PolicyList,
    #[error("unknown class (expected letter, digit, symbol, upper, lower)")]
    PolicyClass,
    /// Not quoted: an unknown key may be a password typed on the wrong line.
    #[error("an unknown key (not quoted; expected {})", super::policy::KEYS.join(", "))]
    PolicyUnknownKey,
}

classify!(LineError, |_e| ExitClass::Input);

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

    #[test]
    fn a_line_error_is_an_input_error_whose_text_is_the_reason() {
        let e = LineError::FaillockSeconds {
            name: "unlock_time",
            never: true,
        };
        assert_eq!(e.class(), ExitClass::Input);
        assert_eq!(
            e.to_string(),
            "unlock_time: the value is not a number of seconds up to 604800 or `never`"
        );
        assert_eq!(
            LineError::InventoryWidth {
                fields: 4,
                header: 3
            }
            .to_string(),
            "inventory row has 4 fields, the header has 3 (unquoted ',' in a cell?)"
        );
        assert!(LineError::PolicyUnknownKey
            .to_string()
            .starts_with("an unknown key (not quoted; expected min_length, "));
    }
}
