//! End-to-end tests: the real `voussoir` binary against temporary field
//! books, one module per capability.

mod util;

mod browser;
mod capture_app;
mod cli;
mod export;
mod fuzz;
mod import;
mod recording;
mod screens;
mod statistics;
mod tidy;
