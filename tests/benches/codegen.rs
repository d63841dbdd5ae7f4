//! Code generation, in-process: load + validate + generate for the real specs and for
//! synthetic catalogues of 100, 1,000 and 5,000 operations. Throughput is reported per
//! operation, so linear growth shows as a flat time per element. Beside each synthetic size,
//! its floor: the generated files parsed with `syn` and printed with `prettyplease` on as many
//! threads as generation uses, the work any generator formatting that output this way does.
//!
//! `cargo bench -p tests --bench codegen` measures; under `cargo test` (no `--bench`) every
//! benchmark runs once on a 20-operation catalogue instead, as a smoke test.

use std::time::Duration;

use codegen::{Catalog, SpecFile};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

// The allocator `cargo xtask` uses, so the figures are those of `cargo xtask codegen`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn generate(files: &[SpecFile]) -> usize {
    let catalog = Catalog::load("specs", files).expect("benchmark specs are valid");
    codegen::generate(&catalog)
        .expect("benchmark specs generate")
        .len()
}

/// Parses and prints every file, spread over the cores as generation spreads its files: the
/// bytes written back out.
fn format_floor(files: &[String]) -> usize {
    codegen::parallel_map(files, |text| {
        let file = syn::parse_file(text).expect("generated files parse");
        prettyplease::unparse(&file).len()
    })
    .into_iter()
    .sum()
}

fn codegen_benches(c: &mut Criterion) {
    let root = xtask::workspace_root();
    let real = xtask::read_specs(&root, &root.join("specs")).expect("the real specs read");
    let mut group = c.benchmark_group("codegen");
    group.throughput(Throughput::Elements(real.len() as u64));
    group.bench_with_input(BenchmarkId::new("real", real.len()), &real, |b, files| {
        b.iter(|| generate(files))
    });
    let sizes: &[usize] = if measuring() {
        &[100, 1000, 5000]
    } else {
        &[20]
    };
    for &n in sizes {
        let files = xtask::synth::catalogue(n);
        group.throughput(Throughput::Elements(n as u64));
        if n >= 1000 {
            group.sample_size(10);
            group.measurement_time(Duration::from_secs(20));
        }
        group.bench_with_input(BenchmarkId::new("synthetic", n), &files, |b, files| {
            b.iter(|| generate(files))
        });
        let catalog = Catalog::load("specs", &files).expect("benchmark specs are valid");
        let output: Vec<String> = codegen::generate(&catalog)
            .expect("benchmark specs generate")
            .into_values()
            .collect();
        group.bench_with_input(BenchmarkId::new("format-floor", n), &output, |b, output| {
            b.iter(|| format_floor(output))
        });
    }
    group.finish();
}

criterion_group!(benches, codegen_benches);
criterion_main!(benches);
