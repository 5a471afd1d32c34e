//! The binary's own code: the command line (`args`) and the commands (`run`).
pub mod args;
mod direct;
pub mod run;
