//! Integration tests: the library against queueing theory, and the binary as users run it.

mod calibration;
mod cli;
mod common;
mod extends;
mod finance;
mod flow;
mod invalid;
mod properties;
mod queueing;
mod sweep;
mod transform;
