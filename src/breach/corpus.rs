//! Why an offline corpus, an index or a download directory cannot be opened, read, built or
//! written: typed, each variant carrying the file (and the line, the offset, the I/O error) and
//! displaying the message the user reads, with its exit class.

use std::path::PathBuf;

use crate::error::{classify, ExitClass};

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// A file cannot be opened, read or mapped: `cannot {op} {what}{path}: {source}`, `what`
    /// naming the kind of file (`index `, `offline corpus `, `prefix file `, or nothing).
    #[error("cannot {op} {what}{}: {source}", path.display())]
    Read {
        op: &'static str,
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A prefix file a lookup needs cannot be read.
    #[error("offline corpus {}: cannot read prefix file {}: {source}", dir.display(), file.display())]
    PrefixFile {
        dir: PathBuf,
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file shorter than an index header.
    #[error("{}: not a kensa index (too short)", path.display())]
    TooShort { path: PathBuf },
    /// An index whose header, metadata, table or records are damaged.
    #[error("index {}: {fault}", path.display())]
    Index { path: PathBuf, fault: IndexFault },
    /// A malformed or misordered line of a corpus or prefix file.
    #[error("{}:{line}: {fault}", path.display())]
    Line {
        path: PathBuf,
        line: u64,
        fault: LineFault,
    },
    /// A malformed or misordered line met by a lookup in a sorted text corpus.
    #[error("{}:{line}: {fault} (byte offset {offset}); `kensa hibp index` validates every line of a corpus", path.display())]
    TextLine {
        path: PathBuf,
        line: u64,
        offset: usize,
        fault: LineFault,
    },
    #[error("offline corpus {} is empty", path.display())]
    Empty { path: PathBuf },
    /// A file that is none of the corpus kinds.
    #[error("offline corpus {}: line 1 is not `HASH:COUNT` with a 40-character SHA-1 or 32-character NTLM hash (not a Pwned Passwords file, a per-prefix directory or a kensa index)", path.display())]
    NotCorpus { path: PathBuf },
    #[error("offline corpus directory {}: every prefix file is empty, so the mode (SHA-1 or NTLM) cannot be told", path.display())]
    EmptyDir { path: PathBuf },
    #[error("offline corpus directory {} holds no per-prefix files (00000.txt … FFFFF.txt)", path.display())]
    NoPrefixFiles { path: PathBuf },
    /// A directory to index that lacks one of its prefix files.
    #[error("corpus directory {}: prefix file {} is missing (the directory must hold 00000.txt … FFFFF.txt)", dir.display(), file.display())]
    MissingPrefix { dir: PathBuf, file: PathBuf },
    /// An index given where the text corpus to index is expected.
    #[error("{} is already a kensa index: give the text corpus", path.display())]
    AlreadyIndex { path: PathBuf },
    /// Corpora of two modes given to one index.
    #[error("{}: a {mode} corpus cannot go in the same index as a {prev} corpus", path.display())]
    MixedModes {
        path: PathBuf,
        mode: &'static str,
        prev: &'static str,
    },
    /// A download directory's manifest whose first line is not a kensa header.
    #[error("{} is not a kensa download manifest (first line: expected `# kensa-download … mode=sha1|ntlm`)", path.display())]
    NotManifest { path: PathBuf },
    /// A file or directory to write cannot be created.
    #[error("cannot create {}: {source}", path.display())]
    Create {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot rename {} to {}: {source}", from.display(), to.display())]
    Rename {
        from: PathBuf,
        to: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot encode index metadata: {0}")]
    Encode(#[source] serde_json::Error),
    /// The thread writing an index stopped without saying why (`index writer panicked` …).
    #[error("{0}")]
    Writer(&'static str),
}

classify!(CorpusError, |e| match e {
    CorpusError::AlreadyIndex { .. } | CorpusError::MixedModes { .. } => ExitClass::Usage,
    CorpusError::Create { .. }
    | CorpusError::Write { .. }
    | CorpusError::Rename { .. }
    | CorpusError::Encode(_)
    | CorpusError::Writer(_) => ExitClass::Output,
    _ => ExitClass::Input,
});

/// What is wrong with an index (after `index PATH: `).
#[derive(Debug, thiserror::Error)]
pub enum IndexFault {
    #[error("not a kensa index (wrong magic)")]
    Magic,
    #[error("format version {version}, this kensa reads 1 to {max}: rebuild it")]
    Version { version: u32, max: u32 },
    #[error("unknown hash mode")]
    UnknownMode,
    #[error("record size does not match the mode")]
    RecordSize,
    #[error("sizes in the header do not match the file (truncated or damaged)")]
    Sizes,
    #[error("damaged metadata: {0}")]
    Metadata(serde_json::Error),
    #[error("metadata does not match the header (damaged)")]
    MetadataMismatch,
    #[error("damaged prefix table")]
    PrefixTable,
    #[error("the padding before the records is damaged; rebuild it with `kensa hibp index`")]
    Padding,
    #[error("checksum mismatch: the file is damaged; rebuild it with `kensa hibp index`")]
    Checksum,
    #[error("record {0} is out of order: rebuild it with `kensa hibp index`")]
    RecordOrder(u64),
}

/// What is wrong with one `HASH:COUNT` line (see [`parse_line`](super::offline::parse_line)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseFault {
    #[error("no `:COUNT` after the hash")]
    NoCount,
    #[error("hash of {got} characters where {want} are expected")]
    HashLength { got: usize, want: usize },
    #[error("hash is not hexadecimal")]
    NotHex,
    #[error("count is not a decimal number")]
    Count,
}

/// What is wrong with one line of a corpus or a prefix file (after `FILE:LINE: `).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LineFault {
    /// A line of a text corpus being indexed.
    #[error("{fault} (a {mode} corpus)")]
    Parse {
        fault: ParseFault,
        mode: &'static str,
    },
    /// A line of a text corpus being searched.
    #[error("{fault} (a {mode} corpus line)")]
    ParseLine {
        fault: ParseFault,
        mode: &'static str,
    },
    #[error("duplicate hash")]
    Duplicate,
    #[error("hash out of order (the corpus must be sorted by hash)")]
    OutOfOrder,
    #[error("lines out of order or duplicated (the file must be sorted)")]
    Unsorted,
    #[error("line too long")]
    TooLong,
    #[error("not `HASH:COUNT` with a 40-character SHA-1 or 32-character NTLM hash")]
    NotHashCount,
    #[error("empty line")]
    Empty,
    #[error("no `:COUNT` after the suffix")]
    NoSuffixCount,
    #[error("suffix of {got} characters where {want} are expected ({mode})")]
    SuffixLength {
        got: usize,
        want: usize,
        mode: &'static str,
    },
    #[error("suffix is not hexadecimal")]
    SuffixNotHex,
    #[error("count is not a decimal number")]
    Count,
    #[error("duplicate suffix")]
    DuplicateSuffix,
    #[error("suffix out of order (range bodies are sorted)")]
    SuffixOutOfOrder,
    #[error("not a range body line (`SUFFIX:COUNT` with a 35-character SHA-1 or 27-character NTLM suffix)")]
    NotRangeBody,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Classify;

    #[test]
    fn files_read_are_input_written_are_output_and_misused_are_usage() {
        let io = || std::io::Error::other("boom");
        let e = CorpusError::Read {
            op: "open",
            what: "index ",
            path: "/x.idx".into(),
            source: io(),
        };
        assert_eq!(e.to_string(), "cannot open index /x.idx: boom");
        assert_eq!(e.class(), ExitClass::Input);
        let e = CorpusError::Line {
            path: "c.txt".into(),
            line: 3,
            fault: LineFault::Parse {
                fault: ParseFault::HashLength { got: 4, want: 40 },
                mode: "SHA-1",
            },
        };
        assert_eq!(
            e.to_string(),
            "c.txt:3: hash of 4 characters where 40 are expected (a SHA-1 corpus)"
        );
        let e = CorpusError::Write {
            path: "o.tmp".into(),
            source: io(),
        };
        assert_eq!(e.to_string(), "cannot write o.tmp: boom");
        assert_eq!(e.class(), ExitClass::Output);
        let e = CorpusError::AlreadyIndex {
            path: "a.idx".into(),
        };
        assert_eq!(e.class(), ExitClass::Usage);
    }
}
