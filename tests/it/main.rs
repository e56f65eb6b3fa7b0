//! Integration tests: the library against queueing theory, and the binary as users run it.

mod browser;
mod calibration;
mod cli;
mod common;
mod comparison;
mod extends;
mod finance;
mod flow;
mod invalid;
mod limits;
mod output;
mod properties;
mod queueing;
mod report;
mod studio;
mod studio_browser;
mod sweep;
mod transform;
