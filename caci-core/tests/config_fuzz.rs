//! The stable twin of the `config_load` fuzz target: the same property
//! (`fuzz_support/config_load.rs`) on inputs from a seeded generator and on
//! byte-level mutations of every file in `config_corpus/`, deterministically.
//!
//! `CACI_FUZZ_ITERATIONS` sets how many inputs are generated (default
//! [`DEFAULT_ITERATIONS`]) and `CACI_FUZZ_SEED` the seed. A failing input is
//! written under the target directory and named in the panic message.

#[path = "fuzz_support/config_load.rs"]
pub mod config_load;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Instant;

use config_load::Tally;

/// Inputs generated when `CACI_FUZZ_ITERATIONS` is not set: 6 to 7 s in a
/// debug build on a 2-core machine, under 10 s with both cores busy.
pub const DEFAULT_ITERATIONS: usize = 15_000;

const DEFAULT_SEED: u64 = 0xCAC1_C0DF_F022_5EED;

/// Corpus files larger than this are checked as they are but not mutated: a
/// mutation of the 1 MB string costs as much as hundreds of small cases.
const MAX_MUTATION_BASE: usize = 32 * 1024;

/// Pieces of JSON and TOML the text generator strings together.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "[[",
    "]]",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    ":",
    "=",
    ",",
    ".",
    "::",
    " ",
    "\n",
    "\r\n",
    "\t",
    "#",
    "\\",
    "\\u",
    "\\uD800",
    "\\u00e9",
    "\\x41",
    "\\e",
    "true",
    "false",
    "null",
    "0",
    "1",
    "-1",
    "3.0",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "0x1F",
    "0o7",
    "0b1",
    "1_000",
    "18446744073709551616",
    "1979-05-27",
    "07:32:00",
    "1979-05-27T07:32:00Z",
    "é",
    "日本",
    "\u{1F600}",
    "\u{feff}",
    "\0",
    "\u{7f}",
    "\u{200b}",
    "limits",
    "[limits]",
    "plan",
    "email",
    "uuid",
    "integer",
    "my_app::Business",
    "a.b",
];

/// splitmix64: small, seeded and good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be 0.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn byte(&mut self) -> u8 {
        self.next() as u8
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => {
            let text = text.trim().replace('_', "");
            match text.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => text.parse(),
            }
            .unwrap_or_else(|err| panic!("{name}={text:?} is not a number: {err}"))
        }
        Err(_) => default,
    }
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/config_corpus")
}

/// Every corpus file, by name.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("the corpus directory exists")
        .map(|entry| {
            let path = entry.expect("a readable directory entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("a readable corpus file"))
        })
        .collect();
    files.sort();
    files
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let len = rng.below(512);
    (0..len).map(|_| rng.byte()).collect()
}

fn token_soup(rng: &mut Rng) -> Vec<u8> {
    let count = 1 + rng.below(40);
    let mut out = Vec::new();
    for _ in 0..count {
        match rng.below(8) {
            0 => out.extend_from_slice(rng.pick(config_load::KEY_POOL).name.as_bytes()),
            1 => out.extend_from_slice(rng.pick(config_load::STRING_POOL).as_bytes()),
            _ => out.extend_from_slice(rng.pick(TOKENS).as_bytes()),
        }
    }
    out
}

/// One to four byte-level mutations of a corpus file: flip a bit, insert, delete,
/// splice in part of another file, or overwrite with a byte that matters to
/// a parser.
fn mutate(rng: &mut Rng, bases: &[&[u8]]) -> Vec<u8> {
    const BYTES: &[u8] = b"\"'{}[],:=.\\\n#\x00\xff\xc3\xe2";
    let mut data = rng.pick(bases).to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 if at < data.len() => data[at] ^= 1 << rng.below(8),
            1 => {
                let insert: Vec<u8> = if rng.below(2) == 0 {
                    vec![*rng.pick(BYTES)]
                } else {
                    rng.pick(TOKENS).as_bytes().to_vec()
                };
                data.splice(at..at, insert);
            }
            2 => {
                let end = (at + 1 + rng.below(16)).min(data.len());
                data.drain(at.min(end)..end);
            }
            3 => {
                let other = rng.pick(bases);
                let start = rng.below(other.len() + 1);
                let end = (start + rng.below(64)).min(other.len());
                let cut = (at + rng.below(32)).min(data.len());
                data.splice(at..cut, other[start..end].iter().copied());
            }
            4 if at < data.len() => data[at] = *rng.pick(BYTES),
            _ => {
                let end = (at + rng.below(32)).min(data.len());
                let copy = data[at..end].to_vec();
                data.splice(at..at, copy);
            }
        }
    }
    data
}

/// Runs the property on one input; on a failure, keeps the input and says
/// where, then fails.
fn run(label: &str, data: &[u8], tally: &mut Tally) {
    match catch_unwind(AssertUnwindSafe(|| config_load::check_counted(data))) {
        Ok(counts) => tally.add(counts),
        Err(panic) => {
            let reason = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(not a string)");
            let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("config_fuzz-{label}.bin"));
            std::fs::write(&kept, data).expect("the failing input can be kept");
            let shown: String = String::from_utf8_lossy(data).chars().take(2_000).collect();
            panic!(
                "the property failed on {label} ({} bytes, kept in {}):\n{shown:?}\n{reason}",
                data.len(),
                kept.display()
            );
        }
    }
}

#[test]
fn loaders_keep_the_property_on_generated_and_mutated_inputs() {
    let iterations = usize::try_from(env_number("CACI_FUZZ_ITERATIONS", DEFAULT_ITERATIONS as u64)).unwrap();
    let seed = env_number("CACI_FUZZ_SEED", DEFAULT_SEED);
    let files = corpus();
    assert!(files.len() >= 20, "the corpus has {} files", files.len());
    let bases: Vec<&[u8]> = files
        .iter()
        .map(|(_, data)| data.as_slice())
        .filter(|data| data.len() <= MAX_MUTATION_BASE)
        .collect();

    let started = Instant::now();
    let mut tally = Tally::default();
    for (name, data) in &files {
        run(name, data, &mut tally);
    }
    let mut rng = Rng(seed);
    let (mut generated, mut soups, mut mutations) = (0, 0, 0);
    for iteration in 0..iterations {
        let (kind, data) = match rng.below(10) {
            0..=2 => {
                generated += 1;
                ("bytes", random_bytes(&mut rng))
            }
            3 | 4 => {
                soups += 1;
                ("tokens", token_soup(&mut rng))
            }
            _ => {
                mutations += 1;
                ("mutation", mutate(&mut rng, &bases))
            }
        };
        run(&format!("seed-{seed:#x}-case-{iteration}-{kind}"), &data, &mut tally);
    }
    let elapsed = started.elapsed();
    println!(
        "config_fuzz: {} cases ({} corpus files, {generated} random byte strings, {soups} token soups, \
         {mutations} corpus mutations; seed {seed:#x}) in {:.2} s: {} loads Ok, {} Err; {} generated documents, \
         {} also as TOML, {} JSON/TOML pairs compared",
        files.len() + iterations,
        files.len(),
        elapsed.as_secs_f64(),
        tally.ok,
        tally.err,
        tally.generated,
        tally.generated_toml,
        tally.compared,
    );

    // The inputs reach past the parsers: some load, many do not, and the
    // generated documents are mostly valid JSON and TOML.
    if iterations >= 1_000 {
        assert!(tally.ok * 50 >= tally.generated, "too few loads succeed: {tally:?}");
        assert!(tally.err > tally.ok, "too few loads fail: {tally:?}");
        assert!(
            tally.compared * 2 >= tally.generated,
            "too few JSON/TOML pairs: {tally:?}"
        );
        assert!(
            tally.generated_json_syntax_errors * 5 <= tally.generated,
            "the generator writes too much invalid JSON: {tally:?}"
        );
    }
}
