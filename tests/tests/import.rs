//! `cargo xtask import`: each of the four pages, in its layout, imported into its committed
//! spec gives that spec back, but for the fields listed here as hand-curated; a changed page
//! shows up; broken, truncated or unrelated text gives a partial spec and a report, never a
//! panic.

use proptest::prelude::*;
use serde_json::Value;
use xtask::import::{Layout, import, layout};

fn page(name: &str) -> String {
    std::fs::read_to_string(
        tests::fixtures()
            .join("api-pages")
            .join(format!("{name}.txt")),
    )
    .unwrap()
}

fn committed(module: &str, operation: &str) -> Value {
    let path = tests::root()
        .join("specs")
        .join(module)
        .join(format!("{operation}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A spec as the importer takes it.
fn typed(spec: &Value) -> codegen::spec::Spec {
    serde_json::from_value(spec.clone()).unwrap()
}

/// What the page cannot give back, by page: JSON pointers into the spec, and why.
const HAND_CURATED: &[(&str, &str, &str)] = &[(
    "bssopenapi-CreateInstance",
    "/request/parameters/9/description",
    "PricingCycle's bullets ('PricingCycle=1 indicates ...') were turned into the enum's \
     meanings by hand, and the description's missing full stop added (see the spec's notes)",
)];

fn without_curated(name: &str, mut spec: Value) -> Value {
    for (page, pointer, _) in HAND_CURATED {
        if *page == name
            && let Some(v) = spec.pointer_mut(pointer)
        {
            *v = Value::Null;
        }
    }
    spec
}

#[test]
fn each_page_reproduces_its_committed_spec() {
    for (name, module, operation, expected_layout) in [
        (
            "ice-CreateIpcOrder",
            "ice",
            "CreateIpcOrder",
            Layout::Bulleted,
        ),
        (
            "aiworkspace-CreateProductOrders",
            "aiworkspace",
            "CreateProductOrders",
            Layout::Bulleted,
        ),
        (
            "bssopenapi-CreateInstance",
            "bssopenapi",
            "CreateInstance",
            Layout::MachineTranslated,
        ),
        (
            "vpcipam-OpenVpcIpamService",
            "vpcipam",
            "OpenVpcIpamService",
            Layout::PipeTable,
        ),
    ] {
        let text = page(name);
        assert_eq!(layout(&text), expected_layout, "{name}");
        let spec = committed(module, operation);
        let imported = import(&text, &format!("{name}.txt"), Some(&typed(&spec)), None);
        assert!(imported.usable, "{name}");
        assert_eq!(
            imported.findings,
            [],
            "{name}: every row placed, nothing left over"
        );
        let got = without_curated(name, imported.spec);
        let want = without_curated(name, spec);
        assert_eq!(
            serde_json::to_string_pretty(&got).unwrap(),
            serde_json::to_string_pretty(&want).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn the_curated_fields_do_differ() {
    // If the importer learns to read one of them, it leaves this list.
    for (name, pointer, why) in HAND_CURATED {
        let (module, operation) = name.split_once('-').unwrap();
        let spec = committed(module, operation);
        let imported = import(
            &page(name),
            &format!("{name}.txt"),
            Some(&typed(&spec)),
            None,
        );
        assert_ne!(
            imported.spec.pointer(pointer),
            spec.pointer(pointer),
            "{name} {pointer}: {why}"
        );
    }
}

#[test]
fn a_new_enum_value_on_the_page_reaches_the_spec() {
    let text = page("ice-CreateIpcOrder").replace(
        "  • year: An annual subscription, calculated as 365 days.",
        "  • year: An annual subscription, calculated as 365 days.\n\n  • week: A weekly subscription, calculated as 7 days.",
    );
    let spec = committed("ice", "CreateIpcOrder");
    let imported = import(&text, "ice-CreateIpcOrder.txt", Some(&typed(&spec)), None);
    let values: Vec<&Value> = imported.spec["request"]["parameters"][2]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["value"])
        .collect();
    assert_eq!(values, ["month", "quarter", "year", "week"]);
    assert_eq!(imported.findings.len(), 1);
    assert!(imported.findings[0].message.contains("new value \"week\""));
    // The rest of the spec is untouched, and the diff calls it additive.
    let lowered = |spec: &Value| {
        let file =
            codegen::SpecFile::new("ice/CreateIpcOrder.json", serde_json::to_vec(spec).unwrap());
        codegen::Catalog::load("specs", &[file]).unwrap().specs()[0]
            .model
            .clone()
    };
    let changes = xtask::diff::diff(&[lowered(&spec)], &[lowered(&imported.spec)]);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].impact, xtask::diff::Impact::Additive);
}

#[test]
fn without_a_spec_the_page_gives_a_partial_spec_and_says_what_is_missing() {
    let imported = import(
        &page("vpcipam-OpenVpcIpamService"),
        "vpcipam-OpenVpcIpamService.txt",
        None,
        None,
    );
    assert!(imported.usable);
    let spec = committed("vpcipam", "OpenVpcIpamService");
    for key in ["summary", "authorization", "errors"] {
        assert_eq!(imported.spec[key], spec[key], "{key}");
    }
    // The response as the page describes it; whether it is open (kept open for what the
    // Darabonba model may lag behind) is the model's to say, not the page's.
    for key in ["description", "fields", "example"] {
        assert_eq!(
            imported.spec["response"][key], spec["response"][key],
            "response {key}"
        );
    }
    let names: Vec<&Value> = imported.spec["request"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["name"])
        .collect();
    assert_eq!(names, ["ClientToken", "RegionId"]);
    assert!(
        imported
            .findings
            .iter()
            .any(|f| f.message.contains("API version"))
    );

    // Nesting the cell-per-line layouts cannot show is reported with its line.
    let pai = import(
        &page("aiworkspace-CreateProductOrders"),
        "p.txt",
        None,
        None,
    );
    assert!(
        pai.findings
            .iter()
            .any(|f| f.line == 95 && f.message.contains("check the structure"))
    );
}

#[test]
fn broken_or_unrelated_text_is_reported_not_guessed() {
    let nothing = import("", "empty.txt", None, None);
    assert!(!nothing.usable);
    let unrelated = import(
        "Lorem ipsum dolor sit amet.\n\nConsectetur adipiscing elit.",
        "x.txt",
        None,
        None,
    );
    assert!(!unrelated.usable);
    assert!(
        unrelated
            .findings
            .iter()
            .any(|f| f.message.contains("no request parameter table"))
    );

    // Cut off in the middle of the parameter table: what was read is kept, the rest reported.
    let full = page("bssopenapi-CreateInstance");
    let cut: String = full.lines().take(70).collect::<Vec<_>>().join("\n");
    let partial = import(&cut, "cut.txt", None, None);
    assert!(partial.usable);
    assert!(
        partial.spec["request"]["parameters"]
            .as_array()
            .is_some_and(|p| !p.is_empty())
    );
    assert!(partial.spec.get("errors").is_none());
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>(), cut in 0usize..400) {
        let _ = import(&text, "any.txt", None, None);
        // Real pages cut anywhere, too.
        let page = page("vpcipam-OpenVpcIpamService");
        let at = page.char_indices().nth(cut * 6).map_or(page.len(), |(i, _)| i);
        let _ = import(&page[..at], "cut.txt", None, None);
    }
}

/// A numbered listing whose items cannot be told apart gets no paginator, and the importer
/// says why; a spec's own pagination block is never replaced.
#[test]
fn paging_is_inferred_only_when_the_items_are_certain() {
    use codegen::spec::{Field, Pagination};
    use xtask::paging::{Inference, apply, infer};
    let mut spec = typed(&committed("ecs", "DescribeImages"));
    let own = spec.pagination.clone().unwrap();
    assert!(matches!(infer(&spec), Inference::Paged(ref p, _) if *p == own));
    // A spec's own block stays, whatever the names say.
    let mut edited = spec.clone();
    if let Some(Pagination::Page { total_count, .. }) = &mut edited.pagination {
        *total_count = None;
    }
    let kept = edited.pagination.clone();
    assert_eq!(apply(&mut edited), None);
    assert_eq!(edited.pagination, kept);
    // A second list beside `Images.Image`: which one holds the items is not certain.
    spec.pagination = None;
    let second: Field = serde_json::from_value(serde_json::json!({
        "name": "Warnings", "type": "array", "items": { "type": "string" }
    }))
    .unwrap();
    spec.response.fields.push(second);
    let Some(why) = apply(&mut spec) else {
        panic!("an uncertain listing must be reported")
    };
    assert!(
        why.contains("Images.Image") && why.contains("Warnings"),
        "{why}"
    );
    assert!(spec.pagination.is_none());
}
