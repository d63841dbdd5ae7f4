//! `cargo xtask catalogue`: every operation of the metadata (each product's newest version)
//! converted, validated and generated into a scratch workspace of one crate per product, all
//! on the real `sdk-runtime` — the shape the whole catalogue needs, as one crate of 20,000
//! operations cannot be built (see ARCHITECTURE.md). Reports operations generated and refused
//! by reason, time and generated lines per operation.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use codegen::SpecFile;

use super::{Outcome, Product};

/// What a catalogue run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Products (newest versions) read.
    pub products: usize,
    /// Operations of those versions.
    pub operations: usize,
    /// Operations generated, with their real wire encoding.
    pub generated: usize,
    /// Refusals by reason, most frequent first.
    pub refused: Vec<(String, usize)>,
    /// Every refusal: product, operation and the message.
    pub refusals: Vec<(String, String, String)>,
    /// Products whose crate was written, by module.
    pub crates: Vec<String>,
    /// Generated operations whose response a source describes (typed elements).
    pub typed: usize,
    /// Generated operations with a paginator.
    pub paged: usize,
    /// Generated operations that only read (the client may repeat them).
    pub read_only: usize,
    /// Generated operations nothing classifies (treated as changing something).
    pub unclassified: usize,
    /// Generated lines (all files of all crates).
    pub lines: usize,
    /// Seconds spent converting and validating.
    pub convert_secs: f64,
    /// Seconds spent generating and formatting.
    pub generate_secs: f64,
}

impl Report {
    /// The share of operations generated.
    pub fn share(&self) -> f64 {
        if self.operations == 0 {
            return 0.0;
        }
        self.generated as f64 / self.operations as f64
    }

    /// The report as Markdown.
    pub fn render(&self) -> String {
        let mut out = format!(
            "{} product(s), newest versions: {} operation(s); {} generated ({:.2} %), {} refused\n",
            self.products,
            self.operations,
            self.generated,
            self.share() * 100.0,
            self.operations - self.generated
        );
        out.push_str(&format!(
            "convert + validate {:.1} s, generate + format {:.1} s; {} generated line(s), {:.0} per operation\n",
            self.convert_secs,
            self.generate_secs,
            self.lines,
            self.lines as f64 / self.generated.max(1) as f64
        ));
        out.push_str(&format!(
            "typed responses: {} of {} generated operations ({:.2} %)\n",
            self.typed,
            self.generated,
            self.typed as f64 * 100.0 / self.generated.max(1) as f64
        ));
        out.push_str(&format!(
            "paginators: {}; read-only: {}; not classified (never repeated after a lost reply): {}\n",
            self.paged, self.read_only, self.unclassified
        ));
        if !self.refused.is_empty() {
            out.push_str("\n| refused | operations |\n|---|---:|\n");
            for (reason, n) in &self.refused {
                out.push_str(&format!("| {reason} | {n} |\n"));
            }
        }
        out
    }
}

/// Converts and generates `products` (each code's newest version) into `out` (a workspace
/// holding a crate per product under `products/`), or only converts and generates in memory
/// when `out` is `None`.
pub fn run(root: &Path, products: &[Product], out: Option<&Path>) -> Result<Report, String> {
    let latest = super::latest(products);
    let mut report = Report {
        products: latest.len(),
        ..Report::default()
    };
    let started = Instant::now();
    let outcomes: Vec<Vec<Outcome>> =
        codegen::parallel_map(&latest, |p| super::convert_product(p, |_| true));
    report.convert_secs = started.elapsed().as_secs_f64();
    let all: Vec<&Outcome> = outcomes.iter().flatten().collect();
    report.operations = all.len();
    report.generated = all.iter().filter(|o| o.result.is_ok()).count();
    report.typed = all
        .iter()
        .filter(|o| o.typed_response && o.result.is_ok())
        .count();
    for spec in all.iter().filter_map(|o| o.result.as_ref().ok()) {
        report.paged += usize::from(spec.pagination.is_some());
        report.read_only += usize::from(spec.is_read_only());
        report.unclassified +=
            usize::from(spec.operation_type.is_none() && spec.authorization.is_empty());
    }
    let owned: Vec<Outcome> = all.iter().map(|o| (*o).clone()).collect();
    report.refused = super::refusals_by_reason(&owned);
    report.refusals = all
        .iter()
        .filter_map(|o| match &o.result {
            Err(r) => Some((o.product.clone(), o.operation.clone(), r.to_string())),
            Ok(_) => None,
        })
        .collect();

    let started = Instant::now();
    type Crate = (String, codegen::Catalog, BTreeMap<String, String>);
    // Products are generated side by side (each also spreads its files over the cores), so a
    // run of small products keeps every core busy.
    let generated: Vec<Result<Option<Crate>, String>> =
        codegen::parallel_map(&outcomes, |product| {
            let files: Vec<SpecFile> = product
                .iter()
                .filter_map(|o| o.result.as_ref().ok())
                .map(|spec| {
                    SpecFile::new(
                        format!("specs/{}", super::spec_path(spec, false)),
                        spec.to_file_text(),
                    )
                })
                .collect();
            let Some(first) = product.iter().find_map(|o| o.result.as_ref().ok()) else {
                return Ok(None);
            };
            let module = first.product.module.clone();
            let catalog = codegen::Catalog::load("specs", &files)
                .map_err(|e| format!("{module}: specs valid alone fail together:\n{e}"))?;
            let generated = codegen::generate(&catalog).map_err(|e| e.to_string())?;
            Ok(Some((module, catalog, generated)))
        });
    let mut crates: BTreeMap<String, (codegen::Catalog, BTreeMap<String, String>)> =
        BTreeMap::new();
    for result in generated {
        if let Some((module, catalog, generated)) = result? {
            report.lines += generated.values().map(|t| t.lines().count()).sum::<usize>();
            crates.insert(module, (catalog, generated));
        }
    }
    report.generate_secs = started.elapsed().as_secs_f64();
    report.crates = crates.keys().cloned().collect();

    if let Some(out) = out {
        if out.exists() {
            std::fs::remove_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
        }
        let members: Vec<String> = crates.keys().map(|m| format!("products/{m}")).collect();
        let members: Vec<&str> = members.iter().map(String::as_str).collect();
        crate::scratch::write_workspace(root, out, &members)?;
        for (module, (catalog, generated)) in &crates {
            let dir = out.join("products").join(module);
            let package = format!("acs-{}", module.replace('_', "-"));
            crate::scratch::write_sdk_crate(root, &dir, &package, catalog, generated)?;
        }
    }
    Ok(report)
}
