//! Integration tests: the library against queueing theory, and the binary as users run it.

mod breaches;
mod browser;
mod calibration;
mod cli;
mod common;
mod comparison;
mod details;
mod extends;
mod finance;
mod flow;
mod invalid;
mod layers;
mod limits;
mod output;
mod pathway;
mod placement;
mod properties;
mod queueing;
mod region;
mod report;
mod snapshots;
mod studio;
mod studio_browser;
mod sweep;
mod sweep_checks;
mod transform;
