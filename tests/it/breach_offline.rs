//! The offline breach corpora (sorted text, per-prefix directory, kensa index) answer exactly like
//! a brute-force reference, and malformed corpora are errors that name the place.

use std::collections::BTreeMap;
use std::path::Path;

use kensa::breach::offline::{build_index, read_info, verify, OfflineSource};
use kensa::breach::{BreachSource, Lookup, Query};

/// A deterministic generator (splitmix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn hash(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

type Corpus = BTreeMap<Vec<u8>, u64>;

/// A damage done to the lines of a corpus.
type Edit = Box<dyn Fn(&mut Vec<String>)>;

/// `n` random hashes of `bytes` bytes plus a few fixed ones, with counts.
fn corpus(seed: u64, bytes: usize, n: usize) -> Corpus {
    let mut r = Rng(seed);
    let mut c = Corpus::new();
    while c.len() < n {
        let h = r.hash(bytes);
        c.insert(h, 1 + r.next() % 100_000);
    }
    c.insert(vec![0u8; bytes], 7);
    c.insert(vec![0xFFu8; bytes], 9);
    // Two hashes in one prefix bucket, and a count above u32::MAX.
    let mut a = vec![0x12u8; bytes];
    c.insert(a.clone(), 1);
    a[bytes - 1] = 0x13;
    c.insert(a, 5_000_000_000);
    c
}

fn write_text(path: &Path, c: &Corpus, crlf: bool) {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut s = String::new();
    for (h, n) in c {
        s.push_str(&hex::encode_upper(h));
        s.push(':');
        s.push_str(&n.to_string());
        s.push_str(eol);
    }
    std::fs::write(path, s).unwrap();
}

/// Writes the prefix files holding the corpus (with `:0` padding in random order) and, when
/// `full`, empty files for every other prefix.
fn write_dir(dir: &Path, c: &Corpus, crlf: bool, full: bool, extra: &[Vec<u8>]) {
    std::fs::create_dir_all(dir).unwrap();
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut files: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (h, n) in c {
        let x = hex::encode_upper(h);
        files
            .entry(x[..5].to_string())
            .or_default()
            .push(format!("{}:{n}", &x[5..]));
    }
    for h in extra {
        files
            .entry(hex::encode_upper(h)[..5].to_string())
            .or_default();
    }
    let mut r = Rng(99);
    let bytes = c.keys().next().unwrap().len();
    for (p, lines) in files.iter_mut() {
        // Padding: random suffixes with count 0, put first (out of order).
        let pad = hex::encode_upper(r.hash(bytes));
        lines.insert(0, format!("{}:0", &pad[5..]));
        let _ = p;
    }
    if full {
        for p in 0..(1u32 << 20) {
            let name = format!("{p:05X}");
            if !files.contains_key(&name) {
                std::fs::File::create(dir.join(format!("{name}.txt"))).unwrap();
            }
        }
    }
    for (p, lines) in files {
        std::fs::write(dir.join(format!("{p}.txt")), lines.join(eol)).unwrap();
    }
}

fn query(h: &[u8]) -> Query {
    match h.len() {
        20 => Query::Sha1(h.try_into().unwrap()),
        16 => Query::Ntlm(h.try_into().unwrap()),
        _ => unreachable!(),
    }
}

/// Hashes to ask: a sample of the corpus (with its first and last), random misses, neighbours.
fn queries(c: &Corpus, seed: u64) -> Vec<Vec<u8>> {
    let bytes = c.keys().next().unwrap().len();
    let mut r = Rng(seed);
    let mut q: Vec<Vec<u8>> = c.keys().step_by(7).cloned().collect();
    q.push(c.keys().last().unwrap().clone());
    for _ in 0..600 {
        q.push(r.hash(bytes));
    }
    // Just above / below corpus hashes.
    for h in c.keys().step_by(53) {
        let mut up = h.clone();
        let last = up.len() - 1;
        up[last] = up[last].wrapping_add(1);
        q.push(up);
        let mut down = h.clone();
        down[last] = down[last].wrapping_sub(1);
        q.push(down);
    }
    // Duplicates in the batch.
    q.push(q[0].clone());
    q.push(q[3].clone());
    q
}

fn reference(c: &Corpus, q: &[Vec<u8>]) -> Vec<Lookup> {
    q.iter()
        .map(|h| match c.get(h) {
            Some(&n) => Lookup::Found(n),
            None => Lookup::NotFound,
        })
        .collect()
}

fn ask(src: &OfflineSource, q: &[Vec<u8>]) -> Vec<Lookup> {
    let qs: Vec<Query> = q.iter().map(|h| query(h)).collect();
    src.lookup(&qs, &|_| {})
}

/// Index counts are u32 (saturated).
fn saturate(v: Vec<Lookup>) -> Vec<Lookup> {
    v.into_iter()
        .map(|l| match l {
            Lookup::Found(n) => Lookup::Found(n.min(u64::from(u32::MAX))),
            o => o,
        })
        .collect()
}

fn no_progress(_: u64, _: u64) {}

#[test]
fn all_three_kinds_match_the_reference_in_both_modes() {
    let t = tempfile::tempdir().unwrap();
    for (bytes, seed, crlf) in [
        (20usize, 1u64, false),
        (16, 2, true),
        (20, 3, true),
        (16, 4, false),
    ] {
        let c = corpus(seed, bytes, 4000);
        let q = queries(&c, seed + 100);
        let want = reference(&c, &q);
        assert!(
            want.iter()
                .filter(|l| matches!(l, Lookup::Found(_)))
                .count()
                > 500
        );
        assert!(want.iter().filter(|l| **l == Lookup::NotFound).count() > 600);

        let text = t.path().join(format!("corpus-{seed}.txt"));
        write_text(&text, &c, crlf);
        let src = OfflineSource::open(std::slice::from_ref(&text)).unwrap();
        assert_eq!(src.mode().as_str(), "offline");
        assert_eq!(
            ask(&src, &q),
            want,
            "sorted text, {bytes} bytes, crlf={crlf}"
        );
        assert!(src.requests() > 0);
        assert!(src.dataset().contains(&text.display().to_string()));
        assert_eq!(src.date().unwrap().len(), 10);

        let dir = t.path().join(format!("dir-{seed}"));
        write_dir(&dir, &c, crlf, false, &q);
        let src = OfflineSource::open(std::slice::from_ref(&dir)).unwrap();
        assert_eq!(ask(&src, &q), want, "per-prefix directory, {bytes} bytes");
        assert!(src.requests() > 0);

        let idx = t.path().join(format!("idx-{seed}.kidx"));
        let info = build_index(std::slice::from_ref(&text), &idx, &no_progress).unwrap();
        assert_eq!(info.records, c.len() as u64);
        assert_eq!(info.mode, if bytes == 20 { "sha1" } else { "ntlm" });
        let src = OfflineSource::open(std::slice::from_ref(&idx)).unwrap();
        assert_eq!(
            ask(&src, &q),
            saturate(want.clone()),
            "index, {bytes} bytes"
        );
        assert_eq!(src.date(), info.corpus_date);
        assert!(src.dataset().contains("kensa index"));
    }
}

/// Hashes far from uniform: most of them packed into a few narrow ranges (one prefix bucket
/// with thousands of records, long runs sharing their first bytes), the rest spread out.
fn skewed(seed: u64, bytes: usize, n: usize) -> Corpus {
    let mut r = Rng(seed);
    let mut c = corpus(seed, bytes, n / 10);
    while c.len() < n {
        let mut h = r.hash(bytes);
        match r.next() % 3 {
            0 => h[..2].copy_from_slice(&[0x00, 0x00]),
            1 => h[..5].copy_from_slice(&[0x7F, 0xFF, 0xF0, 0x00, 0x00]),
            _ => {
                h[0] = 0xC0;
                h[2] &= 0x0F;
            }
        }
        c.insert(h, 1 + r.next() % 1000);
    }
    c
}

#[test]
fn skewed_and_large_corpora_match_the_reference_and_count_distinct_pages() {
    let t = tempfile::tempdir().unwrap();
    for (bytes, seed) in [(16usize, 11u64), (20, 12)] {
        let c = skewed(seed, bytes, 60_000);
        let mut q = queries(&c, seed + 100);
        // Neighbours inside the dense ranges, where a search from an estimate lands far off.
        let mut r = Rng(seed + 200);
        for _ in 0..2000 {
            let mut h = r.hash(bytes);
            h[..2].copy_from_slice(&[0x00, 0x00]);
            q.push(h);
        }
        let want = reference(&c, &q);
        assert!(
            want.iter()
                .filter(|l| matches!(l, Lookup::Found(_)))
                .count()
                > 7_000
        );

        let text = t.path().join(format!("skewed-{seed}.txt"));
        write_text(&text, &c, true);
        let src = OfflineSource::open(std::slice::from_ref(&text)).unwrap();
        assert_eq!(ask(&src, &q), want, "sorted text, {bytes} bytes");
        let pages = std::fs::metadata(&text).unwrap().len().div_ceil(4096) as usize;
        // Each page counts once: never more than the file has, and the sample of every 7th
        // hash reads most of them.
        assert!(src.requests() <= pages, "{} > {pages}", src.requests());
        assert!(src.requests() > pages / 2, "{} of {pages}", src.requests());

        let idx = t.path().join(format!("skewed-{seed}.kidx"));
        build_index(std::slice::from_ref(&text), &idx, &no_progress).unwrap();
        let src = OfflineSource::open(std::slice::from_ref(&idx)).unwrap();
        assert_eq!(ask(&src, &q), saturate(want), "index, {bytes} bytes");
        let pages = std::fs::metadata(&idx).unwrap().len().div_ceil(4096) as usize;
        assert!(src.requests() <= pages, "{} > {pages}", src.requests());
    }
}

#[test]
fn both_modes_at_once_and_a_mode_without_corpus_is_an_error() {
    let t = tempfile::tempdir().unwrap();
    let s = corpus(10, 20, 3000);
    let n = corpus(11, 16, 3000);
    let sp = t.path().join("sha1.txt");
    let np = t.path().join("ntlm.txt");
    write_text(&sp, &s, true);
    write_text(&np, &n, false);
    let nidx = t.path().join("ntlm.idx");
    build_index(std::slice::from_ref(&np), &nidx, &no_progress).unwrap();

    let qs = queries(&s, 5);
    let qn = queries(&n, 6);
    let mut q = qs.clone();
    q.extend(qn.iter().cloned());
    let mut want = reference(&s, &qs);
    want.extend(reference(&n, &qn));

    let both = OfflineSource::open(&[sp.clone(), nidx.clone()]).unwrap();
    assert_eq!(ask(&both, &q), saturate(want.clone()));
    let d = both.dataset();
    assert!(d.contains("sha1.txt") && d.contains("ntlm.idx"), "{d}");

    let only_sha1 = OfflineSource::open(std::slice::from_ref(&sp)).unwrap();
    let got = ask(&only_sha1, &q);
    assert_eq!(&got[..qs.len()], &want[..qs.len()]);
    for l in &got[qs.len()..] {
        assert_eq!(*l, Lookup::Error("no offline NTLM corpus given".into()));
    }

    // Two corpora of one mode.
    let e = OfflineSource::open(&[np.clone(), nidx.clone()])
        .map_err(|e| e.to_string())
        .err()
        .unwrap();
    assert!(e.contains("NTLM") && e.contains("ntlm.txt"), "{e}");
    assert!(OfflineSource::open(&[]).is_err());
}

#[test]
fn index_build_errors_name_file_and_line() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(20, 20, 2000);
    let good = t.path().join("good.txt");
    write_text(&good, &c, true);
    let text = std::fs::read_to_string(&good).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let out = t.path().join("out.idx");

    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "unsorted",
            Box::new(|l: &mut Vec<String>| l.swap(100, 101)),
            "out of order",
        ),
        (
            "duplicate",
            Box::new(|l: &mut Vec<String>| l[101] = l[100].clone()),
            "duplicate",
        ),
        (
            "length",
            Box::new(|l: &mut Vec<String>| l[101] = l[101][1..].to_string()),
            "39 characters",
        ),
        (
            "count",
            Box::new(|l: &mut Vec<String>| l[101] = l[101].replace(':', ":x")),
            "count",
        ),
        (
            "hex",
            Box::new(|l: &mut Vec<String>| l[101] = format!("G{}", &l[101][1..])),
            "hexadecimal",
        ),
    ];
    for (name, edit, what) in cases {
        let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        edit(&mut l);
        let p = t.path().join(format!("{name}.txt"));
        std::fs::write(&p, l.concat()).unwrap();
        let e = build_index(std::slice::from_ref(&p), &out, &no_progress)
            .map_err(|e| e.to_string())
            .err()
            .unwrap_or_else(|| panic!("{name} accepted"));
        assert!(e.contains(&format!("{}:102", p.display())), "{name}: {e}");
        assert!(e.contains(what), "{name}: {e}");
        assert!(!out.exists() && !t.path().join("out.idx.tmp").exists());
    }

    // Mixing modes.
    let n = t.path().join("ntlm.txt");
    write_text(&n, &corpus(21, 16, 100), false);
    let e = build_index(&[good.clone(), n], &out, &no_progress)
        .map_err(|e| e.to_string())
        .err()
        .unwrap();
    assert!(e.contains("NTLM") && e.contains("SHA-1"), "{e}");

    // A per-prefix directory missing a prefix file.
    let d = t.path().join("sparse");
    write_dir(&d, &c, false, false, &[]);
    let e = build_index(std::slice::from_ref(&d), &out, &no_progress)
        .map_err(|e| e.to_string())
        .err()
        .unwrap();
    assert!(e.contains("missing") && e.contains("00001.txt"), "{e}");

    // A bad range body in a directory looked up in place names file:line.
    let c2 = corpus(22, 20, 50);
    let d2 = t.path().join("baddir");
    write_dir(&d2, &c2, false, false, &[]);
    let (h, _) = c2.iter().nth(10).unwrap();
    let name = format!("{}.txt", &hex::encode_upper(h)[..5]);
    let f = d2.join(&name);
    std::fs::write(&f, "0123:5\n").unwrap();
    let src = OfflineSource::open(std::slice::from_ref(&d2)).unwrap();
    let got = ask(&src, &[h.clone(), c2.keys().next().unwrap().clone()]);
    for l in got {
        match l {
            Lookup::Error(e) => assert!(e.contains(&format!("{name}:1")), "{e}"),
            o => panic!("{o:?}"),
        }
    }
}

/// The index build reads a text corpus in blocks of 8 MiB parsed in parallel: a corpus of
/// several blocks gives the same index whether it comes in one file or two, and the order
/// checks and line numbers hold across block boundaries exactly as within a block.
#[test]
fn index_build_over_several_blocks_checks_order_and_lines_across_their_boundaries() {
    const BLOCK: usize = 8 << 20;
    let t = tempfile::tempdir().unwrap();
    // Fixed-width lines (32 hex, `:`, 6 digits, CRLF = 41 bytes), so edits keep the layout.
    let mut r = Rng(31);
    let mut c = Corpus::new();
    while c.len() < 2 * BLOCK / 41 + 20_000 {
        c.insert(r.hash(16), 100_000 + r.next() % 900_000);
    }
    let good = t.path().join("big.txt");
    write_text(&good, &c, true);
    let size = std::fs::metadata(&good).unwrap().len() as usize;
    assert!(size > 2 * BLOCK && size.is_multiple_of(41));
    let idx = t.path().join("big.idx");
    let info = build_index(std::slice::from_ref(&good), &idx, &no_progress).unwrap();
    assert_eq!(info.records, c.len() as u64);
    // The same lines split over two files (read one after the other): the same records.
    let text = std::fs::read(&good).unwrap();
    let cut = 41 * (c.len() / 3);
    let (a, b) = (t.path().join("part-a.txt"), t.path().join("part-b.txt"));
    std::fs::write(&a, &text[..cut]).unwrap();
    std::fs::write(&b, &text[cut..]).unwrap();
    let parts = t.path().join("parts.idx");
    let pinfo = build_index(&[a, b], &parts, &no_progress).unwrap();
    assert_eq!(pinfo.checksum, info.checksum);
    let q = queries(&c, 77);
    let src = OfflineSource::open(std::slice::from_ref(&idx)).unwrap();
    assert_eq!(ask(&src, &q), saturate(reference(&c, &q)));

    // The first line of the second block: the last one that starts before 8 MiB, plus one.
    let first_of_second = BLOCK / 41 + 1; // 1-based line number
    let text = String::from_utf8(text).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let out = t.path().join("out.idx");
    let cases: Vec<(&str, usize, Edit, &str)> = vec![
        (
            "swap across the boundary",
            first_of_second,
            Box::new(move |l: &mut Vec<String>| l.swap(first_of_second - 2, first_of_second - 1)),
            "out of order",
        ),
        (
            "duplicate across the boundary",
            first_of_second,
            Box::new(move |l: &mut Vec<String>| {
                l[first_of_second - 1] = l[first_of_second - 2].clone()
            }),
            "duplicate",
        ),
        (
            "bad hex at the start of the third block",
            2 * (BLOCK / 41) + 1,
            Box::new(|l: &mut Vec<String>| {
                let i = 2 * (BLOCK / 41);
                l[i] = format!("Z{}", &l[i][1..]);
            }),
            "hexadecimal",
        ),
        (
            "bad count late in the third block",
            lines.len() - 5,
            Box::new(|l: &mut Vec<String>| {
                let i = l.len() - 6;
                l[i] = l[i].replace(':', ":-");
            }),
            "count",
        ),
    ];
    for (name, line, edit, what) in cases {
        let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        edit(&mut l);
        let p = t.path().join("edited.txt");
        std::fs::write(&p, l.concat()).unwrap();
        let e = build_index(std::slice::from_ref(&p), &out, &no_progress)
            .map_err(|e| e.to_string())
            .err()
            .unwrap_or_else(|| panic!("{name} accepted"));
        assert!(
            e.contains(&format!("{}:{line}:", p.display())),
            "{name}: {e}"
        );
        assert!(e.contains(what), "{name}: {e}");
        assert!(!out.exists());
    }
}

/// What the downloader may write and the build must take: lowercase hex, `:0` lines (also
/// the first line), a count of 20 digits (saturated in the index), no newline after the last
/// line; and what it must refuse: a line longer than a parse block.
#[test]
fn index_build_takes_every_valid_line_shape_and_refuses_an_endless_line() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(41, 16, 3000);
    let mut text = String::new();
    let mut zero = Vec::new();
    for (i, (h, n)) in c.iter().enumerate() {
        let hex = if i % 2 == 0 {
            hex::encode(h)
        } else {
            hex::encode_upper(h)
        };
        let n = match i {
            0 | 7 | 1500 => {
                zero.push(h.clone());
                "0".to_string()
            }
            9 => "18446744073709551615".to_string(),
            _ => n.to_string(),
        };
        text.push_str(&format!("{hex}:{n}\r\n"));
    }
    text.truncate(text.len() - 2);
    let p = t.path().join("shapes.txt");
    std::fs::write(&p, &text).unwrap();
    let idx = t.path().join("shapes.idx");
    let info = build_index(std::slice::from_ref(&p), &idx, &no_progress).unwrap();
    assert_eq!(info.dropped_zero, 3);
    assert_eq!(info.records, c.len() as u64 - 3);
    let mut want: Corpus = c.clone();
    for h in &zero {
        want.remove(h);
    }
    *want.get_mut(c.keys().nth(9).unwrap()).unwrap() = u64::MAX;
    let q: Vec<Vec<u8>> = c.keys().cloned().collect();
    let src = OfflineSource::open(std::slice::from_ref(&idx)).unwrap();
    assert_eq!(ask(&src, &q), saturate(reference(&want, &q)));

    // Two good lines, then 9 MiB without a newline.
    let mut long = text.lines().take(2).collect::<Vec<_>>().join("\n");
    long.push('\n');
    long.push_str(&"A".repeat(9 << 20));
    let p = t.path().join("endless.txt");
    std::fs::write(&p, long).unwrap();
    let e = build_index(std::slice::from_ref(&p), &idx, &no_progress)
        .map_err(|e| e.to_string())
        .err()
        .unwrap();
    assert!(
        e.contains(&format!("{}:3: line too long", p.display())),
        "{e}"
    );
}

#[test]
fn in_place_text_errors_name_file_line_and_offset_and_fail_the_whole_mode() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(30, 16, 5000);
    let good = t.path().join("good.txt");
    write_text(&good, &c, false);
    let text = std::fs::read_to_string(&good).unwrap();
    let lines: Vec<String> = text.split_inclusive('\n').map(String::from).collect();
    let target = 2500;
    let key = hex::decode(&lines[target][..32]).unwrap();
    let other = c.keys().next().unwrap().clone();

    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "count",
            Box::new(move |l: &mut Vec<String>| l[target] = l[target].replace(':', ":-")),
            "count",
        ),
        (
            "length",
            Box::new(move |l: &mut Vec<String>| l[target] = format!("0{}", l[target])),
            "33 characters",
        ),
        (
            "unsorted",
            Box::new(move |l: &mut Vec<String>| {
                l.swap(target, target + 1);
                l.swap(target - 1, target);
            }),
            "out of order",
        ),
    ];
    for (name, edit, what) in cases {
        let mut l = lines.clone();
        edit(&mut l);
        let p = t.path().join(format!("{name}.txt"));
        std::fs::write(&p, l.concat()).unwrap();
        let src = OfflineSource::open(std::slice::from_ref(&p)).unwrap();
        let got = ask(&src, &[key.clone(), other.clone()]);
        for g in got {
            match g {
                Lookup::Error(e) => {
                    assert!(e.contains(&p.display().to_string()), "{name}: {e}");
                    assert!(e.contains("byte offset"), "{name}: {e}");
                    assert!(e.contains(what), "{name}: {e}");
                    // The line is named (1-based); an order error may be seen from a neighbour.
                    let named = (target..=target + 2)
                        .any(|n| e.contains(&format!("{}:{}:", p.display(), n)));
                    assert!(named, "{name}: no file:line in {e}");
                    assert!(e.contains("kensa hibp index"), "{name}: {e}");
                }
                o => panic!("{name}: {o:?}"),
            }
        }
    }
    // Not a corpus at all.
    let junk = t.path().join("junk.txt");
    std::fs::write(&junk, "hello world\n").unwrap();
    assert!(OfflineSource::open(&[junk]).is_err());
}

#[test]
fn index_is_deterministic_checksummed_and_equal_from_directory_and_text() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(40, 20, 4000);
    let text = t.path().join("pwned-sha1.txt");
    write_text(&text, &c, true);
    let a = t.path().join("a.idx");
    let b = t.path().join("b.idx");
    let seen = std::sync::Mutex::new(Vec::new());
    let progress = |done: u64, total: u64| seen.lock().unwrap().push((done, total));
    let ia = build_index(std::slice::from_ref(&text), &a, &progress).unwrap();
    let ib = build_index(std::slice::from_ref(&text), &b, &no_progress).unwrap();
    let size = std::fs::metadata(&text).unwrap().len();
    assert_eq!(seen.lock().unwrap().last(), Some(&(size, size)));
    let strip = |mut i: kensa::breach::offline::IndexInfo| {
        i.built_at.clear();
        i
    };
    assert_eq!(strip(ia.clone()), strip(ib.clone()));
    assert_eq!(read_info(&a).unwrap(), ia);
    assert_eq!(verify(&a).unwrap(), ia);
    assert_eq!(ia.sources.len(), 1);
    assert_eq!(ia.sources[0].size, size);
    assert_eq!(ia.sources[0].kind, "sorted-text");
    assert!(ia.checksum.starts_with("xxh3-64:"));
    let (ba, bb) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let body = ba.len() - serde_json::to_vec_pretty(&ia).unwrap().len();
    assert_eq!(ba[..body], bb[..body]);
    assert_eq!(&ba[..8], b"KENSAIDX");

    // A flipped byte anywhere (the table, the padding that aligns the records to 4 KiB, the
    // records) is caught by verify.
    let table_end: usize = 64 + (((1 << 20) + 1) * 8);
    let records = table_end.div_ceil(4096) * 4096;
    for (at, what) in [
        // The top byte of table[1]: far beyond the record count.
        (64 + 8 + 7, "prefix table"),
        (table_end + 100, "padding"),
        (records + 100, "checksum"),
    ] {
        let mut bad = ba.clone();
        bad[at] ^= 0x01;
        let f = t.path().join("flipped.idx");
        std::fs::write(&f, &bad).unwrap();
        let e = verify(&f).err().unwrap().to_string();
        assert!(e.contains(what), "{at}: {e}");
    }
    let f = t.path().join("flipped.idx");
    // A truncated index does not open.
    std::fs::write(&f, &ba[..ba.len() - 3]).unwrap();
    assert!(OfflineSource::open(&[f]).is_err());
}

/// Writes 2^20 prefix files: about 2.5 minutes of file-system time on a slow disk.
#[test]
#[ignore = "creates 2^20 files; run with `cargo test --test it breach_offline -- --ignored`"]
fn index_from_a_complete_directory_equals_the_index_from_the_sorted_file() {
    let t = tempfile::tempdir().unwrap();
    let c = corpus(40, 20, 4000);
    let text = t.path().join("pwned-sha1.txt");
    write_text(&text, &c, true);
    let a = t.path().join("a.idx");
    let ia = build_index(std::slice::from_ref(&text), &a, &no_progress).unwrap();
    let ba = std::fs::read(&a).unwrap();
    let body = ba.len() - serde_json::to_vec_pretty(&ia).unwrap().len();

    // The same corpus as a complete per-prefix directory gives the same records and table.
    let dir = t.path().join("ranges");
    write_dir(&dir, &c, false, true, &[]);
    let d = t.path().join("d.idx");
    let id = build_index(std::slice::from_ref(&dir), &d, &no_progress).unwrap();
    assert_eq!(id.checksum, ia.checksum);
    assert_eq!(id.records, ia.records);
    let buckets: std::collections::BTreeSet<String> = c
        .keys()
        .map(|h| hex::encode_upper(h)[..5].to_string())
        .collect();
    assert_eq!(id.dropped_zero, buckets.len() as u64);
    assert_eq!(id.sources[0].kind, "prefix-dir");
    let bd = std::fs::read(&d).unwrap();
    assert_eq!(bd[..body], ba[..body]);
}

/// Timing on a large corpus: `KENSA_BENCH_CORPUS=sorted.txt cargo test --release --test
/// breach_offline -- --ignored --nocapture bench`.
#[test]
#[ignore = "needs KENSA_BENCH_CORPUS"]
fn bench_build_and_lookup() {
    let Some(corpus) = std::env::var_os("KENSA_BENCH_CORPUS") else {
        return;
    };
    let corpus = std::path::PathBuf::from(corpus);
    let t = tempfile::tempdir().unwrap();
    let idx = t.path().join("bench.idx");
    let t0 = std::time::Instant::now();
    let info = build_index(std::slice::from_ref(&corpus), &idx, &no_progress).unwrap();
    eprintln!("build: {} records in {:?}", info.records, t0.elapsed());
    let bytes = if info.mode == "sha1" { 20 } else { 16 };
    let mut r = Rng(7);
    let q: Vec<Vec<u8>> = (0..1_000_000).map(|_| r.hash(bytes)).collect();
    for p in [&idx, &corpus] {
        let src = OfflineSource::open(std::slice::from_ref(p)).unwrap();
        let t0 = std::time::Instant::now();
        let got = ask(&src, &q);
        let errors = got.iter().filter(|l| matches!(l, Lookup::Error(_))).count();
        assert_eq!(errors, 0);
        eprintln!(
            "lookup 1e6 in {}: {:?}, {} pages",
            p.display(),
            t0.elapsed(),
            src.requests()
        );
    }
}
