//! apogee's integration tests, in one binary (one link, one run): each module builds real
//! sites in temporary folders through the fixture builder of [`common`] and asserts on what
//! the commands print and write.

mod common;
#[path = "../support/jsr.rs"]
#[allow(dead_code)]
mod jsr;

mod build;
mod cli;
mod content;
mod door;
mod everyday;
mod jsr_records;
mod limits;
mod links;
mod no_panic;
mod output_folder;
mod publish;
mod rebuild;
mod records;
mod scale;
mod serve;
mod snapshots;
mod theme_contract;
mod yaml_messages;
