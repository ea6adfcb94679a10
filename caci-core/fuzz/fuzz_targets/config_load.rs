//! Fuzzes the configuration loaders with the property shared with the stable
//! twin, `caci-core/tests/config_fuzz.rs`.

#![no_main]

// The stable twin uses the rest of the file.
#[allow(dead_code)]
#[path = "../../tests/fuzz_support/config_load.rs"]
mod config_load;

libfuzzer_sys::fuzz_target!(|data: &[u8]| config_load::check(data));
