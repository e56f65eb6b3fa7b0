//! Integration tests: the library against queueing theory, and the binary as users run it.

mod cli;
mod common;
mod invalid;
mod properties;
mod queueing;
