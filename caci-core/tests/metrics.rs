//! Method metrics (cargo feature `metrics`).
