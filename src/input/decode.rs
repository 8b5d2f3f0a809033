//! Text from an input file's bytes, decoded line by line: one undecodable line is one input error
//! (file:line), never the loss of the whole file.
//!
//! Encodings: UTF-8 (with or without BOM), UTF-16LE/BE (with a BOM, or without one when most odd
//! or even bytes are zero), and for inventories and LDIF also Shift_JIS (CP932, as Excel in Japan
//! saves CSV). Valid UTF-8 is borrowed, never copied (a dump can be 100 MB). A line that cannot be
//! decoded is left in the text as a `#` line, which every parser skips as a comment, so the other
//! lines keep their numbers. Its bytes are never quoted in a message (they may hold a password).

use super::{detect, error, Format};
use crate::model::evidence::Encoding;
use crate::model::InputError;
use std::borrow::Cow;

/// A file's decoded text. A copy (UTF-16, Shift_JIS, or UTF-8 with undecodable lines) is
/// zeroized when dropped: the text of a credential file holds hashes or passwords.
pub struct Decoded<'a> {
    text: Cow<'a, str>,
    /// The encoding the text was read in.
    pub encoding: Encoding,
    /// The 1-based numbers of the lines that could not be decoded, in order.
    pub bad_lines: Vec<usize>,
    /// How many lines the file has (counted only when some are bad: 0 for valid text).
    lines: usize,
}

impl<'a> Decoded<'a> {
    /// The text, undecodable lines replaced by `#`; a leading BOM is not part of it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the text is a copy rather than borrowed from the bytes.
    pub fn is_copy(&self) -> bool {
        matches!(self.text, Cow::Owned(_))
    }

    /// The copied text, moved out (`None` when the text was borrowed from the bytes).
    pub fn take_copy(&mut self) -> Option<String> {
        match std::mem::take(&mut self.text) {
            Cow::Owned(s) => Some(s),
            Cow::Borrowed(b) => {
                self.text = Cow::Borrowed(b);
                None
            }
        }
    }

    /// Is this text at all? A file most of whose lines (and more than [`BINARY_LINES`]) cannot
    /// be decoded is binary (an archive, an image): one error for the file, not one per line.
    pub fn is_text(&self) -> bool {
        !(self.bad_lines.len() > BINARY_LINES && self.bad_lines.len() * 2 > self.lines)
    }

    /// One input error per undecodable line, at `label:line`, with a fixed reason.
    pub fn errors(&self, label: &str) -> Vec<InputError> {
        let message = self.line_message();
        self.bad_lines
            .iter()
            .map(|&n| error(label, n, message.clone()))
            .collect()
    }

    /// Why a line is an error: `line is not valid UTF-8 text` (and so on).
    pub fn line_message(&self) -> String {
        format!("line is not valid {} text", self.encoding.label())
    }

    /// The error for a file that is not text (see [`Self::is_text`]).
    pub fn binary_message(&self) -> String {
        format!(
            "not a text file: {} of {} lines are not valid {} text",
            self.bad_lines.len(),
            self.lines,
            self.encoding.label()
        )
    }
}

impl Drop for Decoded<'_> {
    fn drop(&mut self) {
        if let Cow::Owned(s) = &mut self.text {
            zeroize::Zeroize::zeroize(s);
        }
    }
}

/// More undecodable lines than this, and more than half of all, make a file binary.
pub const BINARY_LINES: usize = 16;

/// Decode the bytes of a file in UTF-8 or UTF-16 (see the module documentation).
pub fn decode_lines(bytes: &[u8]) -> Decoded<'_> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16_lines(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16_lines(rest, false);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8_lines(rest);
    }
    match utf16_without_bom(bytes) {
        Some(le) => utf16_lines(bytes, le),
        None => utf8_lines(bytes),
    }
}

/// Decode the bytes of an input file and tell its format (`forced`, or detected from the text
/// and the file name `name`). A file that is not valid UTF-8 (nor UTF-16) is read as Shift_JIS
/// when that leaves fewer lines undecodable and the text is an inventory, LDIF, or `net accounts`
/// output (cmd.exe on Japanese Windows redirects it in Shift_JIS).
pub fn decode_input<'a>(
    bytes: &'a [u8],
    forced: Option<Format>,
    name: &str,
) -> (Decoded<'a>, Option<Format>) {
    let utf = decode_lines(bytes);
    let legacy = |f: Format| matches!(f, Format::Inventory | Format::Ldif | Format::NetAccounts);
    // A UTF-8 BOM says UTF-8: its bad lines stay bad.
    if utf.encoding == Encoding::Utf8
        && !utf.bad_lines.is_empty()
        && !bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        && forced.is_none_or(legacy)
    {
        let sjis = shift_jis_lines(bytes);
        if sjis.bad_lines.len() < utf.bad_lines.len() {
            let format = forced.or_else(|| detect(sjis.text(), name));
            if format.is_some_and(legacy) {
                return (sjis, format);
            }
        }
    }
    let format = forced.or_else(|| detect(utf.text(), name));
    (utf, format)
}

/// UTF-8: borrowed when valid; else a copy with each undecodable line replaced by `#`.
fn utf8_lines(bytes: &[u8]) -> Decoded<'_> {
    let valid_up_to = match std::str::from_utf8(bytes) {
        Ok(text) => {
            return Decoded {
                text: Cow::Borrowed(text),
                encoding: Encoding::Utf8,
                bad_lines: Vec::new(),
                lines: 0,
            }
        }
        Err(e) => e.valid_up_to(),
    };
    // The lines before the first bad one are copied in one piece.
    let start = memchr::memrchr(b'\n', &bytes[..valid_up_to]).map_or(0, |i| i + 1);
    let mut text = String::with_capacity(bytes.len());
    text.push_str(std::str::from_utf8(&bytes[..start]).expect("valid before the first error"));
    let first = memchr::memchr_iter(b'\n', &bytes[..start]).count() + 1;
    let mut bad_lines = Vec::new();
    for (i, line) in split_lines(&bytes[start..]).enumerate() {
        if i > 0 {
            text.push('\n');
        }
        match std::str::from_utf8(line) {
            Ok(l) => text.push_str(l),
            Err(_) => {
                text.push('#');
                bad_lines.push(first + i);
            }
        }
    }
    Decoded {
        lines: count_lines(text.as_bytes()),
        text: Cow::Owned(text),
        encoding: Encoding::Utf8,
        bad_lines,
    }
}

/// UTF-16 (after any BOM), line by line: a line with an unpaired surrogate, or a last line cut
/// inside a code unit, is undecodable.
fn utf16_lines(bytes: &[u8], le: bool) -> Decoded<'_> {
    let unit = |c: &[u8]| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    };
    // At most three UTF-8 bytes per code unit: the text never grows (and leaves no copy behind).
    let mut text = String::with_capacity(bytes.len() / 2 * 3 + 1);
    let mut bad_lines = Vec::new();
    let (mut line, mut line_start, mut bad) = (1usize, 0usize, false);
    let end_line = |text: &mut String, line: usize, start: usize, bad: bool, list: &mut Vec<_>| {
        if bad {
            text.truncate(start);
            text.push('#');
            list.push(line);
        }
    };
    for c in char::decode_utf16(bytes.chunks_exact(2).map(unit)) {
        match c {
            Ok('\n') => {
                end_line(&mut text, line, line_start, bad, &mut bad_lines);
                text.push('\n');
                (line, line_start, bad) = (line + 1, text.len(), false);
            }
            Ok(c) => text.push(c),
            Err(_) => bad = true,
        }
    }
    bad |= bytes.len() % 2 == 1;
    end_line(&mut text, line, line_start, bad, &mut bad_lines);
    Decoded {
        lines: count_lines(text.as_bytes()),
        text: Cow::Owned(text),
        encoding: if le {
            Encoding::Utf16Le
        } else {
            Encoding::Utf16Be
        },
        bad_lines,
    }
}

/// Shift_JIS (CP932), line by line (a `\n` byte is never part of a two-byte character).
fn shift_jis_lines(bytes: &[u8]) -> Decoded<'_> {
    use encoding_rs::{DecoderResult, SHIFT_JIS};
    // At most three UTF-8 bytes per byte (half-width katakana): the text never grows.
    let mut text = String::with_capacity(bytes.len().saturating_mul(3).saturating_add(3));
    let mut bad_lines = Vec::new();
    for (i, line) in split_lines(bytes).enumerate() {
        if i > 0 {
            text.push('\n');
        }
        let start = text.len();
        let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
        let (result, _) = decoder.decode_to_string_without_replacement(line, &mut text, true);
        if result != DecoderResult::InputEmpty {
            text.truncate(start);
            text.push('#');
            bad_lines.push(i + 1);
        }
    }
    Decoded {
        lines: count_lines(text.as_bytes()),
        text: Cow::Owned(text),
        encoding: Encoding::ShiftJis,
        bad_lines,
    }
}

/// UTF-16 without a BOM (what `iconv -t UTF-16LE` or a PowerShell redirect can write), told from
/// the zero bytes of the first 4 KiB: `Some(true)` little-endian when zeros sit at odd offsets and
/// hardly any at even ones, `Some(false)` big-endian the other way.
///
/// Every ASCII character (a line break, a digit, `=`, `:`, `,`) is a code unit with a zero high
/// byte; English text is almost all ASCII, Japanese text (an inventory, `net accounts`) has one in
/// five or fewer. So: zeros on one side in at least one code unit of five, at most one in ten on
/// the other (`U+3000`, `一`… have a zero low byte), and the sample decodes without a lone
/// surrogate. UTF-8 text with a stray NUL is none of this.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zeros = |at: usize| {
        sample
            .iter()
            .skip(at)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let looks = |most: usize, few: usize| most >= 2 && most * 5 >= pairs && few * 10 <= pairs;
    let le = if looks(odd, even) && odd > even {
        true
    } else if looks(even, odd) && even > odd {
        false
    } else {
        return None;
    };
    let units = sample.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    // A high surrogate cut off at the end of the sample is not a fault of the text.
    let lone = char::decode_utf16(units)
        .enumerate()
        .filter(|(i, c)| c.is_err() && i + 1 < pairs)
        .count();
    (lone == 0).then_some(le)
}

/// The pieces of `bytes` between `\n`s (joined by `\n` they give the bytes again).
fn split_lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes.split(|&b| b == b'\n')
}

/// The number of lines as [`super::numbered_lines`] counts them.
fn count_lines(bytes: &[u8]) -> usize {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    memchr::memchr_iter(b'\n', bytes).count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::numbered_lines;

    const NT: &str = "8846f7eaee8fb117ad06bdd830b7586c";
    const LM: &str = "aad3b435b51404eeaad3b435b51404ee";

    fn lines(d: &Decoded<'_>) -> Vec<(usize, String)> {
        numbered_lines(d.text())
            .map(|(n, l)| (n, l.to_string()))
            .collect()
    }

    fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
        }
        for u in text.encode_utf16() {
            out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    fn sjis(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    #[test]
    fn valid_utf8_is_borrowed_with_or_without_bom() {
        let bytes = b"a:1\nb:2\n";
        let d = decode_lines(bytes);
        assert!(!d.is_copy());
        assert_eq!((d.encoding, d.text()), (Encoding::Utf8, "a:1\nb:2\n"));
        assert!(std::ptr::eq(d.text().as_ptr(), bytes.as_ptr()));
        let bom = b"\xEF\xBB\xBFa\r\nb";
        let d = decode_lines(bom);
        assert!(!d.is_copy() && d.bad_lines.is_empty());
        assert_eq!(d.text(), "a\r\nb");
    }

    #[test]
    fn one_undecodable_line_is_one_bad_line_and_the_others_keep_their_numbers() {
        let mut bytes = b"first\r\nsecond\r\n".to_vec();
        bytes.extend_from_slice(b"pa\xE9\xFFss:3\r\n");
        bytes.extend_from_slice("fourth ゆき\r\n\r\nsixth".as_bytes());
        let d = decode_lines(&bytes);
        assert_eq!(d.encoding, Encoding::Utf8);
        assert_eq!(d.bad_lines, [3]);
        assert!(d.is_text());
        assert_eq!(
            lines(&d),
            [
                (1, "first".into()),
                (2, "second".into()),
                (3, "#".into()),
                (4, "fourth ゆき".into()),
                (5, String::new()),
                (6, "sixth".into()),
            ]
        );
        let errs = d.errors("dump.txt");
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].source, "dump.txt:3");
        assert_eq!(errs[0].message, "line is not valid UTF-8 text");
        // First and last lines too; a final newline is kept.
        let d = decode_lines(b"\xFFa\nok\nb\xC3\n");
        assert_eq!(d.bad_lines, [1, 3]);
        assert_eq!(d.text(), "#\nok\n#\n");
    }

    #[test]
    fn utf16_with_a_bom_or_told_from_its_zero_bytes() {
        let text = "[Unicode]\r\nUnicode=yes\r\nユーザー=山田\r\n";
        for (le, bom) in [(true, true), (false, true), (true, false), (false, false)] {
            let bytes = utf16(text, le, bom);
            let d = decode_lines(&bytes);
            let want = if le {
                Encoding::Utf16Le
            } else {
                Encoding::Utf16Be
            };
            assert_eq!((d.encoding, d.text()), (want, text), "le {le} bom {bom}");
            assert!(d.bad_lines.is_empty());
        }
        // Text without zero bytes is not UTF-16.
        assert_eq!(decode_lines(b"abcdef\n").encoding, Encoding::Utf8);
    }

    #[test]
    fn utf16_without_a_bom_holding_mostly_japanese_is_utf16_too() {
        // An inventory and a `net accounts` output, with few ASCII characters.
        for text in [
            "システム,アカウント,パスワード\r\n電子カルテ,山田太郎,テスト\r\n",
            "パスワードの最長有効期間 (日):   42\r\nロックアウトのしきい値:   10\r\n",
            "[Unicode]\r\nUnicode=yes\r\n[System Access]\r\nMinimumPasswordLength = 14\r\n",
        ] {
            for le in [true, false] {
                let bytes = utf16(text, le, false);
                let d = decode_lines(&bytes);
                assert_eq!(d.text(), text, "le {le}");
                assert!(d.bad_lines.is_empty());
            }
        }
        // UTF-8 with a NUL in a name, even at an odd offset, stays UTF-8.
        for text in [
            "a\0dmin:x\nbob:y\n",
            "ad\0min:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/\n",
        ] {
            assert_eq!(
                decode_lines(text.as_bytes()).encoding,
                Encoding::Utf8,
                "{text:?}"
            );
        }
        // Zeros on one side but a lone surrogate: not UTF-16.
        let mut bytes = utf16("ab\ncd\n", true, false);
        bytes.extend_from_slice(&0xDC00u16.to_le_bytes());
        bytes.extend_from_slice(&utf16("ef\n", true, false));
        assert_eq!(decode_lines(&bytes).encoding, Encoding::Utf8);
    }

    #[test]
    fn utf16_lines_with_a_lone_surrogate_or_a_cut_unit_are_bad() {
        let mut bytes = utf16("a:1\nb", true, true);
        bytes.extend_from_slice(&0xD800u16.to_le_bytes());
        bytes.extend_from_slice(&utf16(":2\nc:3\nd", true, false));
        bytes.push(0x41);
        let d = decode_lines(&bytes);
        assert_eq!(d.bad_lines, [2, 4]);
        assert_eq!(d.text(), "a:1\n#\nc:3\n#");
        assert_eq!(d.errors("x")[0].message, "line is not valid UTF-16 text");
    }

    #[test]
    fn a_shift_jis_inventory_is_read_as_shift_jis() {
        let csv = "システム,アカウント,パスワード\r\n電子カルテ,山田太郎,ﾃｽﾄ-Pass1\r\n";
        let bytes = sjis(csv);
        assert!(std::str::from_utf8(&bytes).is_err());
        let (d, format) = decode_input(&bytes, None, "devices.txt");
        assert_eq!(format, Some(Format::Inventory));
        assert_eq!((d.encoding, d.text()), (Encoding::ShiftJis, csv));
        assert!(d.bad_lines.is_empty());
        // Forced too; and LDIF.
        let (d, _) = decode_input(&bytes, Some(Format::Inventory), "x");
        assert_eq!(d.encoding, Encoding::ShiftJis);
        let ldif = "dn: uid=yamada,dc=koro\ncn: 山田\nuserPassword: {SSHA}AAAA\n";
        let bytes = sjis(ldif);
        let (d, format) = decode_input(&bytes, None, "x");
        assert_eq!(
            (format, d.encoding),
            (Some(Format::Ldif), Encoding::ShiftJis)
        );
        assert_eq!(d.text(), ldif);
    }

    #[test]
    fn a_shift_jis_file_with_a_broken_line_keeps_the_others() {
        let mut bytes = sjis("system,account,password\n電子カルテ,山田,x\n");
        bytes.extend_from_slice(b"pacs,\xFD\xFE,y\n");
        bytes.extend_from_slice(&sjis("pacs,佐藤,z\n"));
        let (d, format) = decode_input(&bytes, None, "inv.csv");
        assert_eq!(
            (format, d.encoding),
            (Some(Format::Inventory), Encoding::ShiftJis)
        );
        assert_eq!(d.bad_lines, [3]);
        assert_eq!(
            d.text(),
            "system,account,password\n電子カルテ,山田,x\n#\npacs,佐藤,z\n"
        );
        assert_eq!(
            d.errors("inv.csv")[0].message,
            "line is not valid Shift_JIS text"
        );
    }

    #[test]
    fn japanese_net_accounts_output_is_read_as_shift_jis() {
        // `net accounts > file` on Japanese Windows: cmd.exe writes Shift_JIS.
        let text = "パスワードの最長有効期間 (日):                     42\r\n\
                    パスワードの最短必要長:                            12\r\n\
                    ロックアウトのしきい値:                            10\r\n\
                    コマンドは正常に終了しました。\r\n";
        let bytes = sjis(text);
        let (d, format) = decode_input(&bytes, None, "pc01-net-accounts.txt");
        assert_eq!(
            (format, d.encoding),
            (Some(Format::NetAccounts), Encoding::ShiftJis)
        );
        assert!(d.bad_lines.is_empty());
        assert!(d.text().contains("ロックアウトのしきい値"));
    }

    #[test]
    fn shift_jis_is_only_for_inventories_ldif_and_net_accounts() {
        // A pwdump line in Shift_JIS decodes without error as Shift_JIS, but a dump stays UTF-8.
        let mut bytes = format!("a:500:{LM}:{NT}:::\n").into_bytes();
        bytes.extend_from_slice(&sjis(&format!("山田:1001:{LM}:{NT}:::\n")));
        bytes.extend_from_slice(format!("b:1002:{LM}:{NT}:::\n").as_bytes());
        let (d, format) = decode_input(&bytes, None, "ntds.txt");
        assert_eq!((format, d.encoding), (Some(Format::Pwdump), Encoding::Utf8));
        assert_eq!(d.bad_lines, [2]);
        let (d, _) = decode_input(&bytes, Some(Format::Pwdump), "x");
        assert_eq!(d.encoding, Encoding::Utf8);
        // A UTF-8 BOM says UTF-8.
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(&sjis("system,account,password\nカルテ,山田,x\n"));
        let (d, _) = decode_input(&bom, None, "inv.csv");
        assert_eq!(
            (d.encoding, d.bad_lines.as_slice()),
            (Encoding::Utf8, &[2][..])
        );
        // A UTF-8 inventory with one bad line that Shift_JIS cannot read either stays UTF-8.
        let mut bytes = "system,account,password\nカルテ,山田,x\n"
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(b"pacs,\xFF,y\n");
        let (d, format) = decode_input(&bytes, None, "inv.csv");
        assert_eq!(
            (format, d.encoding),
            (Some(Format::Inventory), Encoding::Utf8)
        );
        assert_eq!(d.bad_lines, [3]);
    }

    #[test]
    fn a_binary_file_is_not_text() {
        let bytes: Vec<u8> = (0..4000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 0x80)
            .flat_map(|b| [b, 0xFF, b'\n'])
            .collect();
        let d = decode_lines(&bytes);
        assert!(!d.is_text());
        assert!(d.binary_message().starts_with("not a text file: 4000 of"));
        // A few bad lines in a small file are lines, not a binary file.
        let d = decode_lines(b"\xFF\n\xFF\nok\n");
        assert!(d.is_text());
    }

    #[test]
    fn copies_are_moved_out_for_pot_files() {
        let mut d = decode_lines(b"ok\n");
        assert_eq!(d.take_copy(), None);
        assert_eq!(d.text(), "ok\n");
        let mut d = decode_lines(b"ok\n\xFF\n");
        assert_eq!(d.take_copy().as_deref(), Some("ok\n#\n"));
    }
}
