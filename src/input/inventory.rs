//! Credential inventories (CSV `system,account,password|hash[,mfa]`), e.g. a vendor's device list.

use super::{error, identify_hash, unknown_scheme, LineError};
use crate::model::{HashValue, ParsedInput, RawAccount, Secret};

/// Parse an inventory CSV. The header names the columns (any order, case-insensitive).
pub fn parse(text: &str, label: &str) -> ParsedInput {
    let mut out = ParsedInput::default();
    let rows = match csv_records(text) {
        Ok(rows) => rows,
        Err((no, e)) => {
            // Still parse what precedes the broken quote.
            out.errors.push(error(label, no, e.to_string()));
            let cut: String = text
                .split_inclusive('\n')
                .take(no.saturating_sub(1))
                .collect();
            csv_records(&cut).unwrap_or_default()
        }
    };
    let mut rows = rows.into_iter().filter(|r| !is_blank_or_comment(&r.fields));
    let Some(header) = rows.next() else {
        return out;
    };
    let cols = match Columns::from_header(&header.fields) {
        Ok(c) => c,
        Err(e) => {
            out.errors.push(error(label, header.line, e.to_string()));
            return out;
        }
    };
    for row in rows {
        out.records += 1;
        match cols.account(&row.fields) {
            Ok(acc) => out.accounts.push(RawAccount {
                line: row.line,
                ..acc
            }),
            Err(e) => out.errors.push(error(label, row.line, e.to_string())),
        }
    }
    out
}

/// Content looks like an inventory: the first record is a header with account and password/hash columns.
pub fn sniff(text: &str) -> bool {
    let Ok(rows) = csv_records(text) else {
        return false;
    };
    rows.into_iter()
        .find(|r| !is_blank_or_comment(&r.fields))
        .is_some_and(|h| h.fields.len() >= 2 && Columns::from_header(&h.fields).is_ok())
}

/// Column positions found in the header.
struct Columns {
    width: usize,
    system: Option<usize>,
    account: usize,
    password: Option<usize>,
    hash: Option<usize>,
    mfa: Option<usize>,
}

impl Columns {
    fn from_header(fields: &[String]) -> Result<Columns, LineError> {
        let find = |names: &[&str]| {
            fields.iter().position(|f| {
                let f = f.trim().to_lowercase();
                names.iter().any(|n| f == *n)
            })
        };
        let account = find(&[
            "account",
            "user",
            "username",
            "login",
            "アカウント",
            "ユーザー",
            "ユーザ",
        ]);
        let password = find(&["password", "passwd", "pass", "パスワード"]);
        let hash = find(&["hash", "password_hash", "ハッシュ"]);
        let Some(account) = account else {
            return Err(LineError::InventoryNoAccount);
        };
        if password.is_none() && hash.is_none() {
            return Err(LineError::InventoryNoSecret);
        }
        Ok(Columns {
            width: fields.len(),
            system: find(&["system", "system_id", "システム"]),
            account,
            password,
            hash,
            mfa: find(&["mfa", "2fa", "two_factor", "二要素認証", "二要素"]),
        })
    }

    fn account(&self, row: &[String]) -> Result<RawAccount, LineError> {
        if row.len() != self.width {
            return Err(LineError::InventoryWidth {
                fields: row.len(),
                header: self.width,
            });
        }
        let name = row[self.account].trim();
        if name.is_empty() {
            return Err(LineError::InventoryEmptyAccount);
        }
        let mut acc = RawAccount {
            name: name.to_string(),
            system: self
                .system
                .map(|i| row[i].trim().to_string())
                .filter(|s| !s.is_empty()),
            ..RawAccount::default()
        };
        if let Some(i) = self.mfa {
            acc.mfa = parse_mfa(&row[i])?;
        }
        let password = self.password.map(|i| row[i].as_str());
        let hash = self.hash.map(|i| row[i].trim()).filter(|h| !h.is_empty());
        match (password, hash) {
            (Some(p), _) if !p.is_empty() => acc.plaintext = Some(Secret::new(p)),
            (_, Some(h)) => {
                let Some((scheme, text)) = identify_hash(h) else {
                    return Err(unknown_scheme("hash column", h));
                };
                acc.hash = Some(HashValue {
                    scheme,
                    text: Secret::new(text),
                });
            }
            (Some(_), None) => acc.plaintext = Some(Secret::new("")),
            (None, None) => return Err(LineError::InventoryEmptyHash),
        }
        Ok(acc)
    }
}

fn parse_mfa(cell: &str) -> Result<Option<bool>, LineError> {
    let v = cell.trim().to_lowercase();
    Ok(match v.as_str() {
        "" => None,
        "true" | "yes" | "y" | "1" | "on" | "はい" | "有" | "あり" => Some(true),
        "false" | "no" | "n" | "0" | "off" | "いいえ" | "無" | "なし" => Some(false),
        // The cell is not shown: a row with an extra comma puts the password here.
        _ => return Err(LineError::InventoryMfa),
    })
}

/// One CSV record and the 1-based line it starts on.
#[derive(Debug, PartialEq)]
struct Record {
    line: usize,
    fields: Vec<String>,
}

fn is_blank_or_comment(fields: &[String]) -> bool {
    (fields.len() == 1 && fields[0].trim().is_empty())
        || fields.first().is_some_and(|f| f.starts_with('#'))
}

/// RFC 4180 records: `"` quoting with `""` escapes, quoted cells may span lines, CRLF or LF.
/// A leading UTF-8 BOM is dropped. Error: the line of an unterminated quote.
fn csv_records(text: &str) -> Result<Vec<Record>, (usize, LineError)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut cell = String::new();
    let mut line = 1;
    let mut start = 1;
    let mut quoted = false; // inside quotes
    let mut was_quoted = false; // the current cell had quotes
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if cell.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut cell));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut cell));
                records.push(Record {
                    line: start,
                    fields: std::mem::take(&mut fields),
                });
                was_quoted = false;
                line += 1;
                start = line;
            }
            _ => cell.push(c),
        }
    }
    if quoted {
        return Err((start, LineError::CsvUnterminated));
    }
    if !cell.is_empty() || !fields.is_empty() || was_quoted {
        fields.push(cell);
        records.push(Record {
            line: start,
            fields,
        });
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scheme;

    const SAMPLE: &str = "\u{feff}System,Account,Password,MFA,note\r\n\
        router-1,admin,\"pa,ss\"\"word\",no,lobby\r\n\
        ,operator,,はい,\r\n\
        \r\n\
        pacs,service,\"multi\r\nline\",,\r\n\
        pacs,broken,x,maybe,\r\n\
        pacs,short,x\r\n\
        ,,x,,\r\n";

    #[test]
    fn parses_quoted_cells_and_columns() {
        let p = parse(SAMPLE, "vendor.csv");
        assert_eq!(p.accounts.len(), 3);
        let a = &p.accounts[0];
        assert_eq!(
            (a.system.as_deref(), a.name.as_str()),
            (Some("router-1"), "admin")
        );
        assert_eq!(a.plaintext.as_ref().unwrap().expose(), "pa,ss\"word");
        assert_eq!(a.mfa, Some(false));
        assert_eq!(a.source("vendor.csv"), "vendor.csv:2");
        let b = &p.accounts[1];
        assert_eq!(b.system, None);
        assert_eq!(
            b.plaintext.as_ref().unwrap().expose(),
            "",
            "empty cell = empty password"
        );
        assert_eq!(b.mfa, Some(true));
        let c = &p.accounts[2];
        assert_eq!(c.plaintext.as_ref().unwrap().expose(), "multi\r\nline");
        assert_eq!(c.source("vendor.csv"), "vendor.csv:5");
        assert_eq!(c.mfa, None);
        assert_eq!(p.records, 6);
        let errs: Vec<&str> = p.errors.iter().map(|e| e.source.as_str()).collect();
        assert_eq!(errs, ["vendor.csv:7", "vendor.csv:8", "vendor.csv:9"]);
        for e in &p.errors {
            assert!(!e.message.contains("pa,ss"));
        }
    }

    #[test]
    fn a_password_shifted_into_the_mfa_column_is_not_shown() {
        // An extra comma moves the password into the mfa cell (found by benches/fuzz).
        let p = parse(
            "system,account,password,mfa\nrouter,admin,,Koro2025!\n",
            "v.csv",
        );
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].source, "v.csv:2");
        assert!(
            !p.errors[0].message.contains("Koro"),
            "{}",
            p.errors[0].message
        );
    }

    #[test]
    fn hash_column_is_identified() {
        let text = "hash,account\n8846F7EAEE8FB117AD06BDD830B7586C,admin\n$9z$x$y,other\n";
        let p = parse(text, "h.csv");
        assert_eq!(p.accounts.len(), 1);
        let h = p.accounts[0].hash.as_ref().unwrap();
        assert_eq!(h.scheme, Scheme::Nt);
        assert_eq!(h.text.expose(), "8846f7eaee8fb117ad06bdd830b7586c");
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].source, "h.csv:3");
        assert_eq!(
            p.errors[0].message,
            "hash column: not a hash scheme kensa recognises (the value is not shown)"
        );
    }

    #[test]
    fn a_password_in_the_hash_column_is_not_quoted() {
        let p = parse(
            "account,hash
bob,$Winter$2024
carol,{Summer}2024!
",
            "h.csv",
        );
        assert!(p.accounts.is_empty());
        for e in &p.errors {
            assert_eq!(
                e.message,
                "hash column: not a hash scheme kensa recognises (the value is not shown)"
            );
        }
        assert_eq!(p.errors.len(), 2);
    }

    #[test]
    fn unterminated_quote_keeps_earlier_rows() {
        let p = parse("account,password\nadmin,x\nbob,\"oops\n", "q.csv");
        assert_eq!(p.accounts.len(), 1);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].source, "q.csv:3");
    }

    #[test]
    fn missing_columns_is_an_error_and_sniff() {
        let p = parse("system,account\na,b\n", "x.csv");
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].source, "x.csv:1");
        assert!(sniff(SAMPLE));
        assert!(!sniff("system,account\na,b\n"));
        assert!(!sniff("admin:$apr1$abc$def\n"));
    }
}
