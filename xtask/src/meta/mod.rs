//! Alibaba's official API metadata as a source of specs: `cargo xtask import-meta` (specs from
//! the metadata, laid over existing ones), `cargo xtask lint-meta` (committed specs checked
//! against it) and `cargo xtask catalogue` (every operation generated and built, as a gate and
//! a benchmark).
//!
//! Two copies are read (see `../shared/official-metadata/README.md`): the ApiDocs files
//! (`<product>__<version>.json`, the complete one: locations, encodings, types, formats,
//! enums, bounds, nesting, endpoints) and aliyun-cli's (`products.json` and a file per
//! operation; coarser, with English descriptions in its `en-US/` twin). Both are read into one
//! model ([`model`]); [`convert`] turns an operation into a spec or a [`Refusal`] naming what
//! the project does not implement.

pub mod apidocs;
pub mod catalogue;
pub mod cli;
pub mod convert;
pub mod darabonba;
pub mod endpoint;
pub mod lint;
pub mod merge;
pub mod model;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::SpecFile;
use codegen::spec::Spec;

pub use convert::Refusal;
pub use model::{Operation, Parameter, Product};

use crate::XtaskError;

/// The `$schema` every spec written under `specs/<module>/` names.
pub const SCHEMA_REF: &str = "../spec.schema.json";

/// Every product version found at `path`: an ApiDocs file, a folder of them, aliyun-cli's
/// folder (holding `products.json`), or a folder holding `apidocs/` and `metadatas/` (the
/// unpacked archives side by side; ApiDocs wins where both have a product version). English
/// descriptions from an `en-US/` folder beside either are added where a parameter has none.
pub fn load(path: &Path) -> Result<Vec<Product>, XtaskError> {
    let mut products = Vec::new();
    let en_us;
    if path.is_file() {
        products.push(read_apidocs(path)?);
        en_us = path
            .parent()
            .and_then(Path::parent)
            .map(|p| p.join("en-US"));
    } else if path.join("products.json").is_file() {
        products = cli::read(path)?;
        en_us = path.parent().map(|p| p.join("en-US"));
    } else if path.join("apidocs").is_dir() || path.join("metadatas").is_dir() {
        if path.join("apidocs").is_dir() {
            products = read_apidocs_dir(&path.join("apidocs"))?;
        }
        if path.join("metadatas").join("products.json").is_file() {
            for p in cli::read(&path.join("metadatas"))? {
                // An index entry whose operation files are absent adds nothing.
                if p.operations.is_empty() {
                    continue;
                }
                let known = products
                    .iter()
                    .any(|q| q.code.eq_ignore_ascii_case(&p.code) && q.version == p.version);
                if !known {
                    products.push(p);
                }
            }
        }
        en_us = Some(path.join("en-US"));
    } else if path.is_dir() {
        products = read_apidocs_dir(path)?;
        en_us = path.parent().map(|p| p.join("en-US"));
    } else {
        return Err(XtaskError::Command(format!(
            "{}: neither a metadata file nor a folder",
            path.display()
        )));
    }
    if let Some(en_us) = en_us.filter(|d| d.is_dir()) {
        for p in &mut products {
            cli::descriptions(&en_us, p);
        }
    }
    // VPC endpoints come from aliyun-cli's index, wherever it is beside the metadata.
    let index = [path.join("metadatas"), path.to_owned()]
        .into_iter()
        .chain(path.parent().map(|p| p.join("metadatas")))
        .chain(
            path.parent()
                .and_then(Path::parent)
                .map(|p| p.join("metadatas")),
        )
        .find(|d| d.join("products.json").is_file());
    if let Some(index) = index {
        let vpc = cli::vpc_endpoints(&index)?;
        for p in &mut products {
            if p.vpc_endpoints.is_empty()
                && let Some(list) = vpc.get(&p.code.to_ascii_lowercase())
            {
                p.vpc_endpoints = list.clone();
            }
        }
    }
    products.sort_by(|a, b| {
        a.code
            .to_ascii_lowercase()
            .cmp(&b.code.to_ascii_lowercase())
            .then_with(|| codegen::names::compare_versions(&a.version, &b.version))
    });
    Ok(products)
}

fn read_apidocs(path: &Path) -> Result<Product, XtaskError> {
    let text = std::fs::read_to_string(path).map_err(|e| XtaskError::io("reading", path, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    apidocs::read(&text, &format!("apidocs/{name}")).map_err(XtaskError::Command)
}

fn read_apidocs_dir(dir: &Path) -> Result<Vec<Product>, XtaskError> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| XtaskError::io("reading folder", dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|p| read_apidocs(p)).collect()
}

/// Only each product's newest version.
pub fn latest(products: &[Product]) -> Vec<&Product> {
    let mut newest: BTreeMap<String, &Product> = BTreeMap::new();
    for p in products {
        let key = p.code.to_ascii_lowercase();
        let newer = newest
            .get(&key)
            .is_none_or(|q| codegen::names::compare_versions(&p.version, &q.version).is_gt());
        if newer {
            newest.insert(key, p);
        }
    }
    newest.into_values().collect()
}

/// One operation's outcome.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The product code.
    pub product: String,
    /// The API version.
    pub version: String,
    /// The operation.
    pub operation: String,
    /// The spec, or why there is none.
    pub result: Result<Spec, Refusal>,
    /// Whether a source describes the response (the Darabonba model, or the metadata's own
    /// schema): its elements are typed, not only kept as JSON.
    pub typed_response: bool,
    /// Why a paginator the names suggest could not be added, where one could not.
    pub paging: Option<String>,
}

/// Converts every operation of `product` for which `keep` holds, and validates each spec on
/// its own: one that does not validate is refused as a converter gap, with the report.
pub fn convert_product(product: &Product, keep: impl Fn(&Operation) -> bool) -> Vec<Outcome> {
    let (endpoint, endpoint_note) =
        endpoint::infer(&product.code, &product.endpoints, &product.vpc_endpoints);
    product
        .operations
        .iter()
        .filter(|op| keep(op))
        .map(|op| {
            let mut paging = None;
            let result = convert::convert(product, op, &endpoint).and_then(|mut spec| {
                if let Some(text) = &endpoint_note {
                    spec.notes.push(codegen::spec::Note {
                        about: "/endpoint".to_owned(),
                        text: text.clone(),
                    });
                }
                // A typed response shows how a list operation pages (`NextToken`,
                // `PageNumber` with `TotalCount`, `Marker`); a block that does not validate
                // (a method name another operation takes) is left out, and said.
                paging = crate::paging::apply(&mut spec);
                match validate(&spec) {
                    Err(why) if spec.pagination.is_some() => {
                        paging = Some(format!(
                            "the pagination block found does not validate: {why}"
                        ));
                        spec.pagination = None;
                        spec.notes.retain(|n| n.about != "/pagination");
                        validate(&spec).map(|()| spec)
                    }
                    other => other.map(|()| spec),
                }
            });
            Outcome {
                product: product.code.clone(),
                version: product.version.clone(),
                operation: op.name.clone(),
                result,
                typed_response: op.response.as_ref().is_some_and(|r| {
                    r.get(convert::BODY_KIND).is_some()
                        || r.get("properties")
                            .and_then(serde_json::Value::as_object)
                            .is_some_and(|p| !p.is_empty())
                }),
                paging,
            }
        })
        .collect()
}

/// The path a spec is written to under the specs folder: `<module>/<Operation>.json`, or
/// `<module>/<version>/<Operation>.json` where the module holds several versions.
pub fn spec_path(spec: &Spec, versioned: bool) -> String {
    if versioned {
        format!(
            "{}/{}/{}.json",
            spec.product.module, spec.api_version, spec.operation
        )
    } else {
        format!("{}/{}.json", spec.product.module, spec.operation)
    }
}

/// Validates one spec alone, as `cargo xtask codegen` would.
pub fn validate(spec: &Spec) -> Result<(), Refusal> {
    let file = SpecFile::new(
        format!("specs/{}", spec_path(spec, false)),
        spec.to_file_text(),
    );
    codegen::Catalog::load("specs", &[file])
        .map(|_| ())
        .map_err(|e| Refusal::Invalid(e.to_string()))
}

/// Counts of refusals by reason, most frequent first.
pub fn refusals_by_reason(outcomes: &[Outcome]) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for o in outcomes {
        if let Err(r) = &o.result {
            *counts.entry(r.reason()).or_default() += 1;
        }
    }
    let mut list: Vec<(String, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

/// A spec's identity: product code in lower case, operation, API version.
pub type SpecKey = (String, String, String);

/// The specs already in `dir`, by [`SpecKey`]: path and spec. Files that do not read as specs
/// are skipped here (`cargo xtask codegen` reports them).
pub fn existing_specs(
    root: &Path,
    dir: &Path,
) -> Result<BTreeMap<SpecKey, (String, Spec)>, XtaskError> {
    let mut out = BTreeMap::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for file in crate::read_specs(root, dir)? {
        if let Ok(spec) = serde_json::from_slice::<Spec>(&file.contents) {
            let key = (
                spec.product.code.to_ascii_lowercase(),
                spec.operation.clone(),
                spec.api_version.clone(),
            );
            out.insert(key, (file.path, spec));
        }
    }
    Ok(out)
}

/// Which operations `import-meta` reads.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// A product code (any case) or module; all products when absent.
    pub product: Option<String>,
    /// One operation; all of the product's when absent.
    pub operation: Option<String>,
    /// One API version; the newest when absent (unless `all_versions`).
    pub version: Option<String>,
    /// Every version the metadata has.
    pub all_versions: bool,
}

/// What `import-meta` did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Spec files written (relative to the root).
    pub written: Vec<String>,
    /// Spec files already up to date.
    pub unchanged: Vec<String>,
    /// Operations refused: product, version, operation, why.
    pub refused: Vec<(String, String, String, Refusal)>,
    /// What merging over existing specs dropped or kept: file, finding.
    pub findings: Vec<(String, String)>,
}

/// Converts the selected operations and writes their specs under `out` (a specs folder),
/// each laid over the spec already there for the same product, operation and version.
pub fn import(
    root: &Path,
    products: &[Product],
    selection: &Selection,
    out: &Path,
) -> Result<ImportReport, XtaskError> {
    let wanted = |p: &Product| {
        selection.product.as_deref().is_none_or(|want| {
            p.code.eq_ignore_ascii_case(want) || convert::module_name(&p.code) == want
        }) && selection.version.as_deref().is_none_or(|v| p.version == v)
    };
    let chosen: Vec<&Product> = if selection.all_versions || selection.version.is_some() {
        products.iter().filter(|p| wanted(p)).collect()
    } else {
        latest(products).into_iter().filter(|p| wanted(p)).collect()
    };
    if chosen.is_empty() {
        return Err(XtaskError::Command(format!(
            "no product in the metadata matches {}",
            selection.product.as_deref().unwrap_or("(any)")
        )));
    }
    let existing = existing_specs(root, out)?;
    // Versions per module, among what is there and what comes.
    let mut versions: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for (_, spec) in existing.values() {
        versions
            .entry(spec.product.module.clone())
            .or_default()
            .insert(spec.api_version.clone());
    }
    for p in &chosen {
        versions
            .entry(convert::module_name(&p.code))
            .or_default()
            .insert(p.version.clone());
    }
    let mut report = ImportReport::default();
    let mut found_operation = false;
    for product in chosen {
        let outcomes = convert_product(product, |op| {
            selection.operation.as_deref().is_none_or(|o| op.name == o)
        });
        for outcome in outcomes {
            found_operation = true;
            let paging = outcome.paging;
            let fresh = match outcome.result {
                Ok(spec) => spec,
                Err(why) => {
                    report
                        .refused
                        .push((outcome.product, outcome.version, outcome.operation, why));
                    continue;
                }
            };
            let key = (
                fresh.product.code.to_ascii_lowercase(),
                fresh.operation.clone(),
                fresh.api_version.clone(),
            );
            let (rel, spec) = match existing.get(&key) {
                Some((path, old)) => {
                    let mut findings = Vec::new();
                    let mut merged = merge::merge(old, fresh, &product.endpoints, &mut findings);
                    // A response a page described may show paging the metadata alone cannot.
                    if let Some(why) = crate::paging::apply(&mut merged) {
                        findings.push(format!("no paginator: {why}"));
                    }
                    for f in findings {
                        report.findings.push((path.clone(), f));
                    }
                    (path.clone(), merged)
                }
                None => {
                    let several = versions
                        .get(&fresh.product.module)
                        .is_some_and(|v| v.len() > 1);
                    let rel = crate::display_path(root, &out.join(spec_path(&fresh, several)));
                    let mut fresh = fresh;
                    if several {
                        fresh.schema = Some(format!("../{SCHEMA_REF}"));
                    }
                    if let Some(why) = paging {
                        report
                            .findings
                            .push((rel.clone(), format!("no paginator: {why}")));
                    }
                    (rel, fresh)
                }
            };
            let mut spec = spec;
            // An example response the described response no longer fits is dropped, and said.
            if spec.response.example.is_some() && validate(&spec).is_err() {
                let mut without = spec.clone();
                without.response.example = None;
                if validate(&without).is_ok() {
                    report.findings.push((
                        rel.clone(),
                        "the spec's example response does not fit the response the Darabonba model describes; it is dropped".to_owned(),
                    ));
                    spec = without;
                }
            }
            if let Err(why) = validate(&spec) {
                report
                    .refused
                    .push((spec.product.code, spec.api_version, spec.operation, why));
                continue;
            }
            let path = root.join(&rel);
            let text = spec.to_file_text();
            if std::fs::read_to_string(&path).is_ok_and(|have| have == text) {
                report.unchanged.push(rel);
                continue;
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| XtaskError::io("creating folder", parent, e))?;
            }
            std::fs::write(&path, text).map_err(|e| XtaskError::io("writing", &path, e))?;
            report.written.push(rel);
        }
    }
    if !found_operation {
        return Err(XtaskError::Command(format!(
            "no operation {} in the selected product(s)",
            selection.operation.as_deref().unwrap_or("(any)")
        )));
    }
    Ok(report)
}

/// Lints every spec under `dir` whose product version and operation the metadata has; specs
/// it does not have are listed with an empty result. With Darabonba `sources`, each spec's
/// wire is also compared with the official SDKs' ([`lint::lint_wire`]). Returns (file,
/// disagreements).
pub fn lint_specs(
    root: &Path,
    dir: &Path,
    products: &[Product],
    sources: &[darabonba::Source],
) -> Result<Vec<(String, Vec<lint::Disagreement>)>, XtaskError> {
    let mut out = Vec::new();
    for (_, (path, spec)) in existing_specs(root, dir)? {
        let product = products.iter().find(|p| {
            p.code.eq_ignore_ascii_case(&spec.product.code) && p.version == spec.api_version
        });
        let Some(product) = product else {
            let message = format!(
                "the metadata has no {} {}",
                spec.product.code, spec.api_version
            );
            let found = lint::disagreement(&spec, "/api_version".to_owned(), message);
            out.push((path, vec![found]));
            continue;
        };
        let Some(op) = product.operation(&spec.operation) else {
            let message = format!(
                "the metadata of {} has no {}",
                product.source, spec.operation
            );
            let found = lint::disagreement(&spec, "/operation".to_owned(), message);
            out.push((path, vec![found]));
            continue;
        };
        let (endpoint, _) =
            endpoint::infer(&product.code, &product.endpoints, &product.vpc_endpoints);
        let found = match convert::convert(product, op, &endpoint) {
            Ok(meta) => {
                let mut found =
                    lint::lint(&spec, &meta, &product.endpoints, &product.vpc_endpoints);
                if let Some(source) = darabonba::find(sources, &product.code, &product.version)
                    && let Some(tea) = source.operations.get(&spec.operation)
                {
                    found.extend(lint::lint_wire(&spec, &source.module, tea));
                }
                found
            }
            Err(why) => vec![lint::disagreement(
                &spec,
                "/style".to_owned(),
                format!("the metadata's operation is refused: {why}"),
            )],
        };
        out.push((path, found));
    }
    Ok(out)
}

/// The spec of operation `operation` converted from the metadata, for `import --meta`: the
/// product is the one named (code or module), else the only product version (newest first)
/// that has the operation. A refused operation is an error naming why.
pub fn operation_spec(
    products: &[Product],
    operation: &str,
    product: Option<&str>,
) -> Result<Spec, String> {
    let mut candidates: Vec<&Product> = products
        .iter()
        .filter(|p| p.operation(operation).is_some())
        .filter(|p| {
            product.is_none_or(|want| {
                p.code.eq_ignore_ascii_case(want) || convert::module_name(&p.code) == want
            })
        })
        .collect();
    // The newest version of each product.
    candidates.sort_by(|a, b| codegen::names::compare_versions(&b.version, &a.version));
    candidates.dedup_by(|a, b| a.code.eq_ignore_ascii_case(&b.code));
    let found = match candidates.as_slice() {
        [] => return Err(format!("the metadata has no operation {operation}")),
        [one] => *one,
        several => {
            let codes: Vec<&str> = several.iter().map(|p| p.code.as_str()).collect();
            return Err(format!(
                "{operation} is an operation of {}; name the product with --product",
                codes.join(", ")
            ));
        }
    };
    let outcome = convert_product(found, |op| op.name == operation);
    match outcome.into_iter().next().map(|o| o.result) {
        Some(Ok(spec)) => Ok(spec),
        Some(Err(why)) => Err(format!("{} {operation}: {why}", found.code)),
        None => Err(format!("the metadata has no operation {operation}")),
    }
}

/// What laying the Darabonba sources over the metadata did.
#[derive(Debug, Clone, Default)]
pub struct DarabonbaReport {
    /// Source files read.
    pub files: usize,
    /// What could not be read: `file:line:column: message`.
    pub problems: Vec<String>,
    /// Product versions of the metadata with a source.
    pub matched: usize,
    /// Product versions of the metadata without one (`code version`).
    pub unmatched: Vec<String>,
    /// Operations whose response the sources type.
    pub typed: usize,
    /// Operations whose response body is not an object, by `bodyType`.
    pub other_bodies: BTreeMap<String, usize>,
    /// Operations of matched products that their source does not have.
    pub missing_operations: usize,
    /// Those operations by product version (`code version`), most first.
    pub missing_by_product: Vec<(String, usize)>,
    /// Products whose endpoint map came from the source (the metadata lists none).
    pub endpoint_maps: usize,
}

/// Lays the Darabonba `sources` over `products` (see [`darabonba::response::apply`]); a
/// product without endpoints takes its source's `@endpointMap`.
pub fn overlay(products: &mut [Product], sources: &[darabonba::Source]) -> DarabonbaReport {
    let mut report = DarabonbaReport {
        files: sources.len(),
        problems: sources
            .iter()
            .flat_map(darabonba::Source::problem_lines)
            .collect(),
        ..DarabonbaReport::default()
    };
    for p in products.iter_mut() {
        let Some(source) = darabonba::find(sources, &p.code, &p.version) else {
            report.unmatched.push(format!("{} {}", p.code, p.version));
            continue;
        };
        report.matched += 1;
        let done = darabonba::response::apply(p, source);
        report.typed += done.typed;
        report.missing_operations += done.missing.len();
        if !done.missing.is_empty() {
            let key = format!("{} {}", p.code, p.version);
            report.missing_by_product.push((key, done.missing.len()));
        }
        for (body, n) in done.other_bodies {
            *report.other_bodies.entry(body).or_default() += n;
        }
        if p.endpoints.is_empty() && !source.endpoint_map.is_empty() {
            p.endpoints.clone_from(&source.endpoint_map);
            report.endpoint_maps += 1;
        }
    }
    report
        .missing_by_product
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    report
}

impl DarabonbaReport {
    /// A summary of a few lines; every problem with `all_problems`, else the first ten.
    pub fn render(&self, all_problems: bool) -> String {
        let mut out = format!(
            "darabonba: {} file(s) read, {} problem(s); {} product version(s) matched, {} without a source; {} typed response(s), {} operation(s) missing from their source\n",
            self.files,
            self.problems.len(),
            self.matched,
            self.unmatched.len(),
            self.typed,
            self.missing_operations
        );
        if !self.other_bodies.is_empty() {
            let bodies: Vec<String> = self
                .other_bodies
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            out.push_str(&format!(
                "darabonba: responses that are not JSON objects, by body type: {}\n",
                bodies.join(", ")
            ));
        }
        if self.endpoint_maps > 0 {
            out.push_str(&format!(
                "darabonba: {} product(s) without endpoints in the metadata take their source's endpoint map\n",
                self.endpoint_maps
            ));
        }
        if !self.unmatched.is_empty() {
            out.push_str(&format!(
                "darabonba: no source for {}\n",
                self.unmatched.join(", ")
            ));
        }
        if !self.missing_by_product.is_empty() {
            let top: Vec<String> = self
                .missing_by_product
                .iter()
                .take(12)
                .map(|(p, n)| format!("{p} ({n})"))
                .collect();
            out.push_str(&format!(
                "darabonba: operations their source lacks, most first: {}\n",
                top.join(", ")
            ));
        }
        let shown = if all_problems {
            self.problems.len()
        } else {
            10
        };
        for p in self.problems.iter().take(shown) {
            out.push_str(p);
            out.push('\n');
        }
        if self.problems.len() > shown {
            out.push_str(&format!("... and {} more\n", self.problems.len() - shown));
        }
        out
    }
}

/// The ApiDocs wire of every operation of `products` (each product's newest version) that
/// converts, compared with the Darabonba source's ([`lint::lint_wire`]): operation (`code
/// operation`) and disagreements, for the operations that have any.
pub fn lint_catalogue(
    products: &[Product],
    sources: &[darabonba::Source],
) -> Vec<(String, Vec<lint::Disagreement>)> {
    let latest = latest(products);
    let per_product = codegen::parallel_map(&latest, |product| {
        let Some(source) = darabonba::find(sources, &product.code, &product.version) else {
            return Vec::new();
        };
        convert_product(product, |_| true)
            .into_iter()
            .filter_map(|o| {
                let spec = o.result.ok()?;
                let tea = source.operations.get(&spec.operation)?;
                let found = lint::lint_wire(&spec, &source.module, tea);
                (!found.is_empty()).then(|| (format!("{} {}", product.code, spec.operation), found))
            })
            .collect::<Vec<_>>()
    });
    per_product.into_iter().flatten().collect()
}
