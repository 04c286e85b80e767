//! Generation time over synthetic spec sets of growing size (a bench binary, not a timed
//! test): `cargo bench -p codegen`. Each set copies the real ListUserCertificateOrder spec
//! under new action names into one service, so per-operation work is realistic.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use codegen::Layout;

const SIZES: &[usize] = &[125, 250, 500, 1000];
const RUNS: usize = 5;

fn write_spec_set(root: &Path, operations: usize) {
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/cas/2020-04-07");
    let template =
        fs::read_to_string(real.join("ListUserCertificateOrder.yaml")).expect("template spec");
    let service = fs::read_to_string(real.join("service.yaml")).expect("service spec");
    let dir = root.join("specs/cas/2020-04-07");
    fs::create_dir_all(&dir).expect("spec dir");
    fs::write(dir.join("service.yaml"), service).expect("service");
    for index in 0..operations {
        let action = format!("ListUserCertificateOrder{index:04}");
        let text = template.replacen(
            "action: ListUserCertificateOrder",
            &format!("action: {action}"),
            1,
        );
        fs::write(dir.join(format!("{action}.yaml")), text).expect("operation");
    }
}

fn main() {
    let layout = Layout {
        specs: "specs".into(),
        crates: "crates".into(),
        publish: true,
        catalog: Some("alibabacloud-catalog".into()),
        cases: None,
    };
    println!(
        "{:>10} {:>12} {:>14}",
        "operations", "best of 5", "per operation"
    );
    let mut per_op = Vec::new();
    for &size in SIZES {
        let dir = tempfile::tempdir().expect("temp dir");
        write_spec_set(dir.path(), size);
        let mut best = Duration::MAX;
        for _ in 0..RUNS {
            let started = Instant::now();
            let crates = codegen::generate(dir.path(), &layout).expect("valid synthetic specs");
            best = best.min(started.elapsed());
            assert_eq!(crates[0].operations, size);
        }
        let each = best / size as u32;
        per_op.push(each);
        println!(
            "{size:>10} {:>10.1}ms {:>12.1}µs",
            best.as_secs_f64() * 1e3,
            each.as_secs_f64() * 1e6
        );
    }
    stage_breakdown(SIZES[SIZES.len() - 1]);
    let first = per_op[0].as_secs_f64();
    let last = per_op[per_op.len() - 1].as_secs_f64();
    println!(
        "per-operation time, {} ops vs {} ops: {:.2}x (1.00x = linear)",
        SIZES[SIZES.len() - 1],
        SIZES[0],
        last / first
    );
}

/// Where the time goes for one set: parsing, modelling, token building, formatting.
fn stage_breakdown(size: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    write_spec_set(dir.path(), size);
    let started = Instant::now();
    let loaded = codegen::load::load_dir(dir.path(), &dir.path().join("specs")).expect("load");
    let parse = started.elapsed();
    let started = Instant::now();
    let models = codegen::model::build(&loaded).expect("model");
    let model = started.elapsed();
    let started = Instant::now();
    let tokens: Vec<_> = models[0]
        .operations
        .iter()
        .map(codegen::render::operation_module)
        .collect();
    let quote = started.elapsed();
    let started = Instant::now();
    for stream in tokens {
        codegen::render::format_file("", stream).expect("formats");
    }
    let format = started.elapsed();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{size} operations by stage: parse {:.0} ms, model {:.0} ms, quote {:.0} ms, syn + prettyplease {:.0} ms",
        ms(parse),
        ms(model),
        ms(quote),
        ms(format)
    );
}
