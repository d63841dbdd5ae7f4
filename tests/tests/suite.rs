//! The workspace tests, one module per area, linked into one test binary (as rust-analyzer's
//! `slow-tests` are): every area shares the SDK, the mock, tokio, hyper and reqwest, so one
//! binary instead of fourteen saves most of the link time on a small machine.

mod client;
mod consumer;
mod corpus;
mod credentials;
mod diff;
mod differential;
mod examples;
mod generated;
mod hostile;
mod import;
mod meta;
mod observe;
mod paging;
mod properties;
mod responses;
mod secrets;
mod shapes;
mod signing;
mod specs;
mod torture;
mod wire;
