//! Fuzz suites, one per reader of outside input: police.uk files, the ONS lookups and
//! populations, values files (CSV and XLSX) and `safer spc analyse`'s CSV. Each starts from the
//! seed corpus in `tests/corpus/` (small excerpts of real files) and mutates it as a careless
//! user or an attacker would: bytes flipped, cut, repeated or spliced from another seed, quotes,
//! separators, line breaks, NULs, bytes that are not UTF-8 and long runs inserted.
//!
//! A reader passes when it returns (rows, problems or an error) without panicking and without
//! allocating past its stated bound: the test binary's allocator is capped at what was in use
//! before the call plus the bound, and an allocation past the cap aborts the test. The number of
//! cases is fixed, so the suites run in CI for a bounded time; a failure found is kept in
//! `proptest-regressions/` and replayed first on every later run.

use cap::Cap;
use proptest::prelude::*;
use safer_core::police::FileName;
use std::alloc::System;
use std::path::Path;

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// Cases per reader: a few seconds each in a debug build.
const CASES: u32 = 2_000;

/// The most a streaming reader (police.uk) may allocate whatever its input: its line limit, its
/// buffers and one row.
const STREAMING_BOUND: usize = 4 * 1024 * 1024;

/// The most a reader that parses a whole file (lookups, values, SPC input) may allocate, as a
/// multiple of the input's size, plus a fixed allowance.
const WHOLE_FILE_FACTOR: usize = 32;
const WHOLE_FILE_ALLOWANCE: usize = 4 * 1024 * 1024;

/// What an XLSX workbook of values may use: what its archive may unpack to, and the cells read.
const WORKBOOK_BOUND: usize = safer_core::limits::XLSX_UNPACKED_BYTES as usize * 2;

/// Runs `read` with the allocator capped at what is in use now plus `bound`.
fn within<T>(bound: usize, read: impl FnOnce() -> T) -> T {
    ALLOCATOR
        .set_limit(ALLOCATOR.allocated() + bound)
        .expect("the cap is above what is in use");
    let out = read();
    ALLOCATOR.set_limit(usize::MAX).expect("the cap is lifted");
    out
}

fn whole_file_bound(input: &[u8]) -> usize {
    input.len() * WHOLE_FILE_FACTOR + WHOLE_FILE_ALLOWANCE
}

fn corpus(folder: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(folder);
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus {} is readable: {e}", dir.display()))
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty(), "{} holds seeds", dir.display());
    seeds
}

/// One change to an input.
#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the byte at (position mod length).
    Set(usize, u8),
    /// Insert bytes at (position mod length + 1).
    Insert(usize, Vec<u8>),
    /// Remove up to n bytes from (position mod length).
    Remove(usize, usize),
    /// Repeat a stretch n times (a line doubled, a field stretched).
    Repeat(usize, usize, usize),
    /// Cut the input off at (position mod length).
    Truncate(usize),
}

fn tokens() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"\"".to_vec()),
        Just(b",".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\0".to_vec()),
        Just(vec![0xff, 0xfe]),
        Just("\u{feff}".as_bytes().to_vec()),
        Just(b"2017-01".to_vec()),
        Just(b"-1e309".to_vec()),
        Just(b"{\"a\":[".to_vec()),
        Just(b"<c r=\"XFD1048576\"><v>1</v></c>".to_vec()),
        (1usize..200_000).prop_map(|n| vec![b'A'; n]),
        proptest::collection::vec(any::<u8>(), 1..16),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        (any::<usize>(), tokens()).prop_map(|(i, t)| Mutation::Insert(i, t)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::Remove(i, n)),
        (any::<usize>(), 1usize..120, 1usize..50).prop_map(|(i, l, n)| Mutation::Repeat(i, l, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut input: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = input.len().max(1);
        match m {
            Mutation::Set(i, b) => {
                if !input.is_empty() {
                    input[i % len] = *b;
                }
            }
            Mutation::Insert(i, bytes) => {
                let at = (i % len + 1).min(input.len());
                input.splice(at..at, bytes.iter().copied());
            }
            Mutation::Remove(i, n) => {
                let at = (i % len).min(input.len());
                let end = (at + n).min(input.len());
                input.drain(at..end);
            }
            Mutation::Repeat(i, l, n) => {
                let at = (i % len).min(input.len());
                let end = (at + l).min(input.len());
                let stretch = input[at..end].to_vec();
                for _ in 0..*n {
                    input.splice(end..end, stretch.iter().copied());
                }
            }
            Mutation::Truncate(i) => input.truncate(i % len),
        }
    }
    input
}

/// A seed from `folder`, mutated: (its name, the bytes).
fn mutated(folder: &str) -> impl Strategy<Value = (String, Vec<u8>)> {
    let seeds = corpus(folder);
    (
        0..seeds.len(),
        0..seeds.len(),
        proptest::collection::vec(mutation(), 0..8),
        any::<bool>(),
    )
        .prop_map(move |(seed, other, mutations, splice)| {
            let (name, bytes) = &seeds[seed];
            let mut bytes = apply(bytes.clone(), &mutations);
            if splice {
                // Half of another seed after this one's first half: files of the wrong kind.
                let other = &seeds[other].1;
                bytes.truncate(bytes.len() / 2);
                bytes.extend_from_slice(&other[other.len() / 2..]);
            }
            (name.clone(), bytes)
        })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn police_uk_files(input in mutated("police-uk")) {
        let (name, bytes) = input;
        let name = FileName::parse(&name).expect("the seeds are named as police.uk names files");
        within(STREAMING_BOUND, || {
            use safer_import::police_uk::{Records, read};
            match read("fuzz.csv", &name, &bytes[..]) {
                Ok(Records::Street(mut rows)) => while rows.next_row().is_some() {},
                Ok(Records::Outcomes(rows)) => rows.for_each(drop),
                Ok(Records::StopAndSearch(rows)) => rows.for_each(drop),
                Err(_) => {}
            }
        });
    }

    #[test]
    fn ons_lookups_and_populations(input in mutated("ons")) {
        let (_, bytes) = input;
        let text = String::from_utf8_lossy(&bytes);
        within(whole_file_bound(&bytes), || {
            let _ = safer_import::ons::read_lookup("fuzz", &text);
            let _ = safer_import::ons::read_population("fuzz", &text);
        });
    }

    #[test]
    fn values_files(input in mutated("values")) {
        let (_, bytes) = input;
        let bound = if bytes.starts_with(b"PK") { WORKBOOK_BOUND } else { whole_file_bound(&bytes) };
        within(bound, || {
            let _ = safer_import::observations::read("fuzz", &bytes);
        });
    }

    #[test]
    fn spc_analyse_input(input in mutated("spc")) {
        let (_, bytes) = input;
        let text = String::from_utf8_lossy(&bytes);
        within(whole_file_bound(&bytes), || {
            if let Ok(series) = safer_spc::input::read_csv(&text) {
                for s in series {
                    let _ = safer_spc::analyse(&s.observations, &safer_spc::Options::default());
                }
            }
        });
    }
}

#[test]
fn the_allocator_cap_catches_an_allocation_past_the_bound() {
    // Not by allocating past it (that aborts the process), but by showing the cap is in force.
    within(1024, || {
        assert!(ALLOCATOR.remaining() <= 1024);
        let small = vec![0u8; 512];
        assert!(ALLOCATOR.remaining() <= 512);
        drop(small);
    });
    assert_eq!(ALLOCATOR.limit(), usize::MAX);
}
