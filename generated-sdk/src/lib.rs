//! Rust SDK for Alibaba Cloud OpenAPI operations, generated from their reference pages by
//! `cargo xtask codegen`.
