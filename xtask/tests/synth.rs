//! The synthetic catalogue: valid, deterministic, shaped like the real pages.

use xtask::synth::{OPS_PER_PRODUCT, catalogue};

#[test]
fn the_synthetic_catalogue_is_valid_and_deterministic() {
    let files = catalogue(400);
    assert_eq!(files.len(), 400);
    let catalog = match codegen::Catalog::load("specs", &files) {
        Ok(c) => c,
        Err(e) => panic!("the synthetic catalogue must validate:\n{e}"),
    };
    assert_eq!(catalogue(400), files, "same n, same bytes");
    // A prefix of a larger catalogue is the smaller one.
    assert_eq!(&catalogue(500)[..400], &files[..]);

    let specs = catalog.specs();
    let products: std::collections::BTreeSet<&str> = specs
        .iter()
        .map(|s| s.spec.product.module.as_str())
        .collect();
    assert_eq!(products.len(), 400 / OPS_PER_PRODUCT);
    let roa = specs
        .iter()
        .filter(|s| s.spec.style == codegen::spec::Style::Roa)
        .count();
    assert!((40..=120).contains(&roa), "about 1 in 5 ROA: {roa}");
    let with_errors = specs.iter().filter(|s| !s.spec.errors.is_empty()).count();
    assert!(
        with_errors > 250,
        "most operations document errors: {with_errors}"
    );
    let text: String = files
        .iter()
        .map(|f| String::from_utf8_lossy(&f.contents).into_owned())
        .collect();
    for shape in [
        "\"enum\"",
        "\"items\"",
        "\"required_if\"",
        "\"range\"",
        "\"json_body\"",
        "\"flat\"",
        "\"idempotency_token\"",
    ] {
        assert!(text.contains(shape), "no {shape} anywhere");
    }
    codegen::generate(&catalog).unwrap();
}
