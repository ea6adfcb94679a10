//! Assertions over telemetry captured by CACI.
