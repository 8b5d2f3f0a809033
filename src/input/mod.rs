//! Input formats: decode bytes, detect the format from content, parse into plain model data.
//!
//! Each format lives in a file of its own and exposes `parse(text, label) -> ParsedInput`;
//! `label` is the file name used in `file:line` sources.

use crate::model::ParsedInput;

/// Every input format kensa reads (contract §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Pwdump,
    Shadow,
    Htpasswd,
    Ldif,
    Inventory,
    Potfile,
    Secedit,
    LoginDefs,
    Pwquality,
    Policy,
}

impl Format {
    pub const ALL: [Format; 10] = [
        Format::Pwdump,
        Format::Shadow,
        Format::Htpasswd,
        Format::Ldif,
        Format::Inventory,
        Format::Potfile,
        Format::Secedit,
        Format::LoginDefs,
        Format::Pwquality,
        Format::Policy,
    ];
    /// The stable name used in evidence and in `FORMAT:PATH` arguments.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pwdump => "pwdump",
            Format::Shadow => "shadow",
            Format::Htpasswd => "htpasswd",
            Format::Ldif => "ldif",
            Format::Inventory => "inventory",
            Format::Potfile => "potfile",
            Format::Secedit => "secedit",
            Format::LoginDefs => "login.defs",
            Format::Pwquality => "pwquality.conf",
            Format::Policy => "policy",
        }
    }
    /// Parse a format name as written in `FORMAT:PATH` (aliases: `ldap`, `pot`, `logindefs`, `pwquality`).
    pub fn from_name(name: &str) -> Option<Format> {
        let n = name.to_ascii_lowercase();
        Some(match n.as_str() {
            "pwdump" | "ntds" | "sam" => Format::Pwdump,
            "shadow" => Format::Shadow,
            "htpasswd" => Format::Htpasswd,
            "ldif" | "ldap" => Format::Ldif,
            "inventory" | "csv" => Format::Inventory,
            "potfile" | "pot" => Format::Potfile,
            "secedit" | "inf" => Format::Secedit,
            "login.defs" | "logindefs" | "login_defs" => Format::LoginDefs,
            "pwquality.conf" | "pwquality" => Format::Pwquality,
            "policy" | "toml" => Format::Policy,
            _ => return None,
        })
    }
    /// Formats that carry policy settings rather than accounts.
    pub fn is_policy(self) -> bool {
        matches!(
            self,
            Format::Secedit | Format::LoginDefs | Format::Pwquality | Format::Policy
        )
    }
}

/// Decode raw file bytes: UTF-16LE/BE with BOM, UTF-8 with or without BOM.
/// Errors name the reason only (the caller adds the path).
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "not valid UTF-8 or UTF-16 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

fn utf16(bytes: &[u8], f: fn([u8; 2]) -> u16) -> Result<String, String> {
    if bytes.len() % 2 != 0 {
        return Err("UTF-16 text with an odd number of bytes".into());
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| f([c[0], c[1]])).collect();
    String::from_utf16(&units).map_err(|_| "invalid UTF-16 text".into())
}

/// Guess the format of a decoded file from its content (the file name is only a tie-breaker).
pub fn detect(text: &str, file_name: &str) -> Option<Format> {
    let _ = (text, file_name);
    None
}

/// Parse `text` as `format`; `label` is the file name used in `file:line` sources.
pub fn parse(format: Format, text: &str, label: &str) -> ParsedInput {
    let _ = (format, text, label);
    ParsedInput::default()
}
