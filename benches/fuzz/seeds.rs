//! Seeds: the real fixtures (tests/fixtures, examples), each given to the format kensa detects
//! for it, and small hand-written inputs whose secret fields (hashes, passwords, pot plains)
//! carry the marker [`MARKER`]; and the secrets an error message must never show.

use kensa::input::{self, Format};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// Planted in every secret field of the hand-written seeds. No message may ever contain it.
pub const MARKER: &str = "Fz9SECRET";

/// The fixtures, by path, and the format detected for each (if any).
pub struct Fixtures {
    pub files: Vec<(PathBuf, Vec<u8>, Option<Format>)>,
}

impl Fixtures {
    /// Every file under tests/fixtures and examples, but scripts and prose.
    pub fn load(root: &Path) -> Fixtures {
        let mut paths = Vec::new();
        for dir in ["tests/fixtures", "examples"] {
            walk(&root.join(dir), &mut paths);
        }
        paths.sort();
        let files = paths
            .into_iter()
            .filter(|p| {
                let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
                !matches!(ext, "py" | "md" | "rs" | "sh")
            })
            .filter_map(|p| {
                let bytes = std::fs::read(&p).ok()?;
                let name = p.file_name()?.to_string_lossy().to_string();
                let format = input::decode(&bytes)
                    .ok()
                    .and_then(|t| input::detect(&t, &name));
                Some((p, bytes, format))
            })
            .collect();
        Fixtures { files }
    }

    /// The fixtures detected as `format`.
    pub fn of(&self, format: Format) -> Vec<Vec<u8>> {
        self.files
            .iter()
            .filter(|(_, _, f)| *f == Some(format))
            .map(|(_, b, _)| b.clone())
            .collect()
    }

    /// The manifests (`audit.toml`).
    pub fn manifests(&self) -> Vec<Vec<u8>> {
        self.files
            .iter()
            .filter(|(p, _, _)| p.file_name().is_some_and(|n| n == "audit.toml"))
            .map(|(_, b, _)| b.clone())
            .collect()
    }

    /// Every fixture, to splice from.
    pub fn all(&self) -> Vec<Vec<u8>> {
        self.files.iter().map(|(_, b, _)| b.clone()).collect()
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Hand-written seeds with marked secrets, by format name (`Format::as_str`). Formats with no
/// entry here (policy files, formats added later) are seeded from the fixtures alone.
pub fn marked(format: Format) -> Vec<Vec<u8>> {
    let lm0 = "aad3b435b51404eeaad3b435b51404ee";
    let nt = "8846f7eaee8fb117ad06bdd830b7586c";
    let texts: Vec<String> = match format.as_str() {
        "pwdump" => vec![format!(
            "[*] Dumping Domain Credentials (domain\\uid:rid:lmhash:nthash)\r\n\
             KORO\\alice:1104:{lm0}:{MARKER}00aabbccddeeff00112233:::\r\n\
             KORO\\bob:1105:{MARKER}01lmlmlmlmlmlmlmlmlmlmlm:{nt}::: (status=Enabled)\r\n\
             carol:1106:{lm0}:{MARKER}02:::\r\n\
             dave:1107:{lm0}:{nt}:{MARKER}03:::\r\n\
             KORO\\erin_history0:1108:{lm0}:$NT${MARKER}04ffffffffffffffffff:::\r\n\
             frank:1109:{MARKER}05:{MARKER}06::: (pwdLastSet=2025-10-01 09:00) (status=Disabled)\r\n\
             PC01$:1000:{lm0}:{MARKER}07eeeeeeeeeeeeeeeeeeee:::\r\n\
             grace:1110:{lm0}:{nt}::: (pwdLastSet=never)\r\n\
             KORO\\henry:aes256-cts-hmac-sha1-96:{MARKER}08aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\
             KORO\\ivy:CLEARTEXT:{MARKER}09cleartext\r\n"
        )],
        "shadow" => vec![format!(
            "root:$6${MARKER}10$abcdefghijklmnopqrstuv:19700:0:99999:7:::\n\
             alice:$y$j9T${MARKER}11$xyzxyzxyzxyzxyzxyzxyz:19700:0:90:7:::\n\
             bob:{MARKER}12:19700::::::\n\
             carol:!$6$salt${MARKER}13:19700:0:99999:7:::\n\
             dave:$2b$05${MARKER}14abcdefghijklmnopqrstuvwxyzABCDEFGHIJK:19701:0:60:7:::\n\
             erin:$argon2id$v=19$m=1024,t=1,p=1${MARKER}15$abcdefgh:19702:x:::::\n\
             frank:$1${MARKER}16$zzzzzzzzzzzzzzzzzzzzzz:19703:0:42:7:::\n\
             daemon:*:19700:0:99999:7:::\n"
        )],
        "htpasswd" => vec![format!(
            "admin:$apr1${MARKER}20$HqJZimcKQFAMYayBlzkrA/\n\
             bob:{{SHA}}{MARKER}21W6ph5Mm5Pz8GgiULbPgz=\n\
             carol:$2y$05${MARKER}22abcdefghijklmnopqrstuvwxyzABCDEFGHIJK\n\
             dave:{MARKER}23plain\n\
             erin:$5$rounds=1000${MARKER}24$abcdefghijklmnop\n\
             frank:{MARKER}25abcd\n"
        )],
        "ldif" => vec![format!(
            "version: 1\n\
             \n\
             dn: uid=alice,ou=people,dc=koro,dc=example\n\
             uid: alice\n\
             userPassword: {{SSHA}}{MARKER}30AAAAAAAAAAAAAAAAAAAAAAAAAA=\n\
             \n\
             dn: uid=bob,ou=people,dc=koro,dc=example\n\
             uid: bob\n\
             userPassword: {MARKER}31cleartext\n\
             \n\
             dn: uid=carol,ou=people,dc=koro,dc=example\n\
             uid: carol\n\
             userPassword: {{CRYPT}}$6$salt${MARKER}32\n\
             \n\
             dn: uid=dave,ou=people,dc=koro,dc=example\n\
             uid: dave\n\
             userPassword: {{SSHA}}{MARKER}33AAAAAAAAAA\n \
             AAAAAAAA{MARKER}34=\n\
             \n\
             dn: cn=erin,ou=people,dc=koro,dc=example\n\
             cn: erin\n\
             userPassword:: {}\n",
            b64(&format!("{{SHA}}{MARKER}35abcdefghij="))
        )],
        "inventory" => vec![
            format!(
                "system,account,password,mfa\r\n\
                 router,admin,{MARKER}40,no\r\n\
                 \"sw,01\",oper,\"{MARKER}41,with,commas\",yes\r\n\
                 printer,svc,\"{MARKER}42 \"\"quoted\"\"\",\r\n\
                 ap,guest,{MARKER}43,maybe\r\n\
                 nas,backup,\"{MARKER}44\nsecond line\",はい\r\n"
            ),
            format!(
                "system,account,hash\n\
                 router,admin,$6${MARKER}45$abcdefgh\n\
                 router,oper,{MARKER}46\n\
                 switch,root,{{SSHA}}{MARKER}47AAAAAAAAAAAAAAAAAAAAAA=\n"
            ),
        ],
        "potfile" => vec![format!(
            "{nt}:{MARKER}50\n\
             $6$salt${MARKER}51:{MARKER}52\n\
             {nt}:$HEX[{MARKER}53zz]\n\
             $NT${nt}:{MARKER}54\n\
             e52cac67419a9a22:{}\n\
             $HEX[467a39]:{MARKER}55\n\
             {{SSHA}}{MARKER}56AAAAAAAAAAAAAAA=:{MARKER}57\n\
             # comment {MARKER}58\n",
            MARKER.to_ascii_uppercase()
        )],
        _ => Vec::new(),
    };
    texts.into_iter().map(String::into_bytes).collect()
}

fn b64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// A manifest naming every key, to start the manifest target from.
pub fn manifest_seed() -> Vec<u8> {
    "facility = \"コロ病院\"\nedition = \"R7\"\nchecked_on = \"2026-11-24\"\n\
     target_date = \"2027-03-31\"\ncontext_words = [\"koro\", \"taro\"]\n\
     inputs = [\"vendor-inventory.csv\", \"cracked.potfile\"]\n\n\
     [[system]]\nid = \"ad01\"\nname = \"院内ドメイン\"\nkind = \"server\"\n\
     managed_by = \"vendor\"\nvendor = \"MedNet\"\nmfa = false\nrotation_days = 42\n\
     pin_exempt = true\ninputs = [\"ad01-ntds.txt\", \"ad01-secedit.inf\"]\n"
        .as_bytes()
        .to_vec()
}

/// Hashes with counts, sorted, for the breach-corpus seeds: the fixture's, then made-up ones.
pub fn corpus_hashes(root: &Path, hex_len: usize, n: usize) -> Vec<(String, u64)> {
    let mut rng = crate::mutate::Rng::new(hex_len as u64);
    let mut map: BTreeMap<String, u64> = BTreeMap::new();
    if let Ok(t) = std::fs::read_to_string(root.join("tests/fixtures/breach.tsv")) {
        for l in t.lines() {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() == 3 && f[1].len() == hex_len {
                map.insert(f[1].to_ascii_uppercase(), f[2].parse().unwrap_or(1));
            }
        }
    }
    while map.len() < n {
        let h: String = (0..hex_len)
            .map(|_| char::from(b"0123456789ABCDEF"[rng.below(16)]))
            .collect();
        map.insert(h, 1 + rng.below(5000) as u64);
    }
    map.into_iter().collect()
}

/// Sorted `HASH:COUNT` text corpora (CRLF and LF) of one hash length.
pub fn corpus_text(root: &Path, hex_len: usize) -> Vec<Vec<u8>> {
    let hs = corpus_hashes(root, hex_len, 64);
    let body = |eol: &str| {
        hs.iter()
            .map(|(h, c)| format!("{h}:{c}{eol}"))
            .collect::<String>()
            .into_bytes()
    };
    vec![body("\r\n"), body("\n")]
}

/// Range bodies of one prefix (`SUFFIX:COUNT`, CRLF, with `:0` padding lines), for a
/// suffix of `suffix_len` characters; returns the prefix and the bodies.
pub fn range_bodies(root: &Path, suffix_len: usize) -> (String, Vec<Vec<u8>>) {
    let mut rng = crate::mutate::Rng::new(suffix_len as u64 + 7);
    let prefix = "5BAA6".to_string();
    let mut suffixes: Vec<String> = (0..40)
        .map(|_| {
            (0..suffix_len)
                .map(|_| char::from(b"0123456789ABCDEF"[rng.below(16)]))
                .collect()
        })
        .collect();
    // The fixture's hashes that fall in this prefix.
    for (h, _) in corpus_hashes(root, suffix_len + 5, 0) {
        if let Some(s) = h.strip_prefix(&prefix) {
            suffixes.push(s.to_string());
        }
    }
    suffixes.sort();
    suffixes.dedup();
    let mut plain = String::new();
    let mut padded = String::new();
    for (i, s) in suffixes.iter().enumerate() {
        plain.push_str(&format!("{s}:{}\r\n", 1 + i * 37));
        padded.push_str(&format!("{s}:{}\r\n", 1 + i * 37));
        if i % 3 == 0 {
            let pad: String = (0..suffix_len)
                .map(|_| char::from(b"0123456789ABCDEF"[rng.below(16)]))
                .collect();
            padded.push_str(&format!("{pad}:0\r\n"));
        }
    }
    (prefix, vec![plain.into_bytes(), padded.into_bytes()])
}

/// Everything an error message must not contain: the fixtures' plaintexts and whole hashes
/// (tests/fixtures/secrets.txt), the secrets kensa itself reads from the seeds, and the marker.
pub struct Secrets {
    /// Lower-cased secrets of 8 to 11 bytes, matched whole.
    short: Vec<String>,
    /// Every 12-byte window of the lower-cased secrets of 12 bytes or more: a message may show
    /// at most an 8-character prefix of a hash, so 12 bytes of one are a leak.
    windows: HashSet<[u8; WINDOW], Fast>,
}

/// A cheap hasher for the 12-byte windows (the default one dominates the checks otherwise).
#[derive(Default, Clone, Copy)]
pub struct Fast;

impl std::hash::BuildHasher for Fast {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for c in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..c.len()].copy_from_slice(c);
            self.0 = (self.0.rotate_left(29) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 32)
    }
}

const WINDOW: usize = 12;

impl Secrets {
    pub fn new() -> Secrets {
        Secrets {
            short: Vec::new(),
            windows: HashSet::default(),
        }
    }

    pub fn add(&mut self, secret: &str) {
        let s = secret.trim().to_ascii_lowercase();
        if s.len() >= WINDOW {
            for w in s.as_bytes().windows(WINDOW) {
                self.windows.insert(w.try_into().expect("window"));
            }
        } else if s.len() >= 8 && !self.short.contains(&s) {
            self.short.push(s);
        }
    }

    /// The fixtures' leak-scan list (hex-encoded secrets; `#not-scannable` lines left out).
    pub fn add_scan_list(&mut self, path: &Path) {
        let Ok(text) = std::fs::read_to_string(path) else {
            return;
        };
        for l in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            if let Some(s) = hex::decode(l.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
            {
                self.add(&s);
            }
        }
    }

    /// The secrets kensa reads from a (valid) input: stored hashes, known plaintexts, pot lines.
    pub fn add_parsed(&mut self, format: Format, bytes: &[u8]) {
        let Ok(text) = input::decode(bytes) else {
            return;
        };
        for s in parsed_secrets(format, &text, 0) {
            self.add(&s);
        }
    }

    /// What in `message` is a secret, if anything (described, for the report).
    pub fn leak(&self, message: &str) -> Option<String> {
        let m = message.to_ascii_lowercase();
        if m.contains(&MARKER.to_ascii_lowercase()) {
            return Some(format!("the marker {MARKER}"));
        }
        if let Some(w) = m
            .as_bytes()
            .windows(WINDOW)
            .find(|w| self.windows.contains(*w))
        {
            return Some(format!(
                "12 bytes of a fixture secret ({:?})",
                String::from_utf8_lossy(w)
            ));
        }
        self.short
            .iter()
            .find(|s| m.contains(s.as_str()))
            .map(|s| format!("a whole fixture secret ({s:?})"))
    }
}

/// The secret fields kensa reads from `text` as `format`, of at least `min` bytes: stored
/// hashes (NT, LM, salted), known plaintexts, and the hash and plain of each pot line.
pub fn parsed_secrets(format: Format, text: &str, min: usize) -> Vec<String> {
    let mut out = Vec::new();
    let p = input::parse(format, text, "seed");
    for a in &p.accounts {
        for h in [&a.hash, &a.lm].into_iter().flatten() {
            out.push(h.text.expose().to_string());
        }
        if let Some(pl) = &a.plaintext {
            out.push(pl.expose().to_string());
        }
    }
    if format == Format::Potfile {
        for (_, l) in input::potfile::lines(text) {
            if let Ok(l) = l {
                out.push(l.plain.to_string());
                if let input::potfile::PotHash::Salted(_, h) = l.hash {
                    out.push(h.to_string());
                }
            }
        }
    }
    out.retain(|s| s.len() >= min);
    out
}
