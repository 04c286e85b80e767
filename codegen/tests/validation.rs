//! Every class of broken spec gives a clear error naming the file, the operation and the
//! field path (and the line where one can be given), and nothing is written.

use std::fs;
use std::path::Path;

use codegen::{Layout, SpecError};

const SERVICE: &str = r#"
product: demo
title: Demo
version: "2024-01-01"
crate: alibabacloud-demo-20240101
signature: v3
endpoints:
  global: demo.aliyuncs.com
"#;

const VALID: &str = r#"
action: ListThings
summary: Lists things.
method: POST
path: /
request_body: none
pagination: {style: page_number, page: PageNumber, page_size: PageSize, total: TotalCount, items: Things}
request:
  - {name: PageNumber, type: int32}
  - {name: PageSize, type: int32}
response:
  fields:
    - {name: RequestId, type: string, required: true}
    - {name: TotalCount, type: int32}
    - name: Things
      type: list
      items:
        type: object
        struct: Thing
        fields:
          - {name: Name, type: string}
read_only: true
"#;

fn layout() -> Layout {
    Layout {
        specs: "specs".into(),
        crates: "out".into(),
        publish: true,
        catalog: Some("catalog".into()),
        cases: None,
    }
}

/// Writes the service and the given operation files into a fresh workspace.
fn workspace(operations: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec_dir = dir.path().join("specs/demo/2024-01-01");
    fs::create_dir_all(&spec_dir).expect("spec dir");
    fs::write(spec_dir.join("service.yaml"), SERVICE).expect("service");
    for (name, text) in operations {
        fs::write(spec_dir.join(format!("{name}.yaml")), text).expect("operation");
    }
    dir
}

fn errors_for(operations: &[(&str, &str)]) -> Vec<SpecError> {
    let dir = workspace(operations);
    match codegen::generate(dir.path(), &layout()) {
        Ok(_) => panic!("expected spec errors"),
        Err(errors) => errors.0,
    }
}

/// Generates `operations` under `service` (the text of `service.yaml`) and returns the
/// text of the generated file whose path ends with `file`.
fn generated_file(operations: &[(&str, &str)], service: &str, file: &str) -> String {
    let dir = workspace(operations);
    fs::write(
        dir.path().join("specs/demo/2024-01-01/service.yaml"),
        service,
    )
    .expect("write");
    let crates = codegen::generate(dir.path(), &layout()).expect("valid");
    let found = crates[0].files.iter().find(|f| f.path.ends_with(file));
    found.expect("the file is generated").contents.clone()
}

/// The one error for `ListThings.yaml` after replacing `from` with `to` in the valid spec.
fn broken(from: &str, to: &str) -> SpecError {
    assert!(
        VALID.contains(from),
        "test bug: {from:?} not in the valid spec"
    );
    let text = VALID.replacen(from, to, 1);
    let mut errors = errors_for(&[("ListThings", &text)]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error = errors.remove(0);
    assert_eq!(
        error.file,
        Path::new("specs/demo/2024-01-01/ListThings.yaml")
    );
    assert_eq!(error.operation.as_deref(), Some("ListThings"), "{error}");
    error
}

#[test]
fn the_valid_spec_generates() {
    let dir = workspace(&[("ListThings", VALID)]);
    let crates = codegen::generate(dir.path(), &layout()).expect("valid");
    assert_eq!(crates[0].operations, 1);
}

#[test]
fn unknown_keys_are_errors_with_path_and_line() {
    let error = broken(
        "  - {name: PageSize, type: int32}",
        "  - {name: PageSize, type: int32, reqired: true}",
    );
    assert_eq!(
        error.field.as_deref(),
        Some("request[1].reqired"),
        "{error}"
    );
    assert!(
        error
            .message
            .starts_with("unknown field `reqired`, expected one of"),
        "{error}"
    );
    assert_eq!(error.line, Some(10), "{error}");
    let shown = error.to_string();
    let expected = "specs/demo/2024-01-01/ListThings.yaml:10: operation ListThings: field request[1].reqired: unknown field";
    assert!(shown.starts_with(expected), "{shown}");
}

#[test]
fn retired_keys_are_errors_that_say_to_delete_them() {
    for (key, line) in [
        ("style", "style: RPC"),
        ("response_body", "response_body: json"),
    ] {
        let error = broken("method: POST\n", &format!("{line}\nmethod: POST\n"));
        assert_eq!(error.field.as_deref(), Some(key), "{error}");
        assert!(
            error
                .message
                .starts_with(&format!("unknown field `{key}`:"))
                && error.message.contains("delete the line"),
            "{error}"
        );
    }
    // A parameter's `style` is not retired.
    let text = VALID.replacen(
        "  - {name: PageSize, type: int32}",
        "  - {name: PageSize, type: int32}\n  - {name: Ids, type: list, style: flat, items: {type: string}}",
        1,
    );
    let dir = workspace(&[("ListThings", &text)]);
    codegen::generate(dir.path(), &layout()).expect("a parameter style is fine");
    // And service.yaml's `protocol`.
    let dir = workspace(&[("ListThings", VALID)]);
    let service = dir.path().join("specs/demo/2024-01-01/service.yaml");
    fs::write(
        &service,
        SERVICE.replace("signature:", "protocol: https\nsignature:"),
    )
    .unwrap();
    let errors = codegen::generate(dir.path(), &layout()).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field.as_deref(), Some("protocol"));
    assert!(
        errors[0].message.contains("delete the line"),
        "{}",
        errors[0]
    );
}

#[test]
fn wrong_types_are_errors() {
    let error = broken(
        "type: int32}\n  - {name: PageSize",
        "type: integer}\n  - {name: PageSize",
    );
    assert_eq!(error.field.as_deref(), Some("request[0].type"), "{error}");
    assert!(
        error.message.contains("unknown variant `integer`"),
        "{error}"
    );
    let error = broken("method: POST", "method: [POST]");
    assert_eq!(error.field.as_deref(), Some("method"), "{error}");
}

#[test]
fn duplicate_field_names_are_errors() {
    let error = broken(
        "  - {name: PageSize, type: int32}",
        "  - {name: PageNumber, type: int64}",
    );
    assert_eq!(
        error.field.as_deref(),
        Some("request.PageNumber"),
        "{error}"
    );
    assert!(
        error.message.contains("duplicate field name PageNumber"),
        "{error}"
    );
    assert!(error.line.is_some(), "{error}");
}

#[test]
fn duplicate_type_names_are_errors() {
    let error = broken("struct: Thing", "struct: ListThingsRequest");
    assert!(
        error
            .message
            .contains("duplicate type name ListThingsRequest"),
        "{error}"
    );
    assert_eq!(error.field.as_deref(), Some("response.Things[]"), "{error}");
    assert_eq!(error.line, Some(19), "{error}");
}

#[test]
fn pagination_fields_must_exist() {
    let error = broken("page_size: PageSize", "page_size: Size");
    assert_eq!(
        error.field.as_deref(),
        Some("pagination.page_size"),
        "{error}"
    );
    assert!(
        error
            .message
            .contains("request parameter Size does not exist"),
        "{error}"
    );

    let error = broken("total: TotalCount", "total: Data.TotalCount");
    assert_eq!(error.field.as_deref(), Some("pagination.total"), "{error}");
    assert!(
        error.message.contains("Data.TotalCount does not exist"),
        "{error}"
    );

    let error = broken("items: Things", "items: TotalCount");
    assert_eq!(error.field.as_deref(), Some("pagination.items"), "{error}");
    assert!(error.message.contains("not a list"), "{error}");
}

#[test]
fn an_enum_needs_values() {
    let error = broken(
        "{name: Name, type: string}",
        "{name: Name, type: string, enum: []}",
    );
    assert_eq!(
        error.field.as_deref(),
        Some("response.Things[].Name"),
        "{error}"
    );
    assert!(
        error.message.contains("an enum needs at least one value"),
        "{error}"
    );
}

#[test]
fn enums_only_on_strings_and_lists_need_items() {
    let error = broken(
        "{name: PageSize, type: int32}",
        "{name: PageSize, type: bool, enum: [{value: A}]}",
    );
    assert!(error.message.contains("`enum` does not apply"), "{error}");
    let error = broken(
        "{name: PageSize, type: int32}",
        "{name: PageSize, type: int32, enum: [{value: A}]}",
    );
    assert!(error.message.contains("must be integers"), "{error}");
    let error = broken(
        "    - {name: TotalCount, type: int32}",
        "    - {name: TotalCount, type: list}",
    );
    assert!(error.message.contains("a list needs `items`"), "{error}");
}

#[test]
fn body_parameters_need_a_body() {
    let error = broken(
        "  - {name: PageSize, type: int32}",
        "  - {name: PageSize, type: int32, in: body}",
    );
    assert!(
        error.message.contains("needs request_body form or json"),
        "{error}"
    );
}

#[test]
fn the_action_must_match_the_file() {
    let errors = errors_for(&[(
        "ListThings",
        &VALID.replace("action: ListThings", "action: ListStuff"),
    )]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error = &errors[0];
    assert_eq!(error.field.as_deref(), Some("action"), "{error}");
    assert_eq!(error.line, Some(2), "{error}");
    assert!(
        error
            .message
            .contains(r#"does not match the file name "ListThings""#),
        "{error}"
    );
}

#[test]
fn yaml_syntax_errors_give_the_line() {
    let error = broken("summary: Lists things.", "summary: [unclosed");
    assert!(error.line.is_some(), "{error}");
}

#[test]
fn published_crates_get_metadata_features_a_readme_and_the_license() {
    let dir = workspace(&[("ListThings", VALID)]);
    fs::write(dir.path().join("LICENSE"), "the license text\n").expect("license");
    let crates = codegen::generate(dir.path(), &layout()).expect("valid");
    let demo = &crates[0];
    let manifest = demo
        .files
        .iter()
        .find(|f| f.path.ends_with("Cargo.toml"))
        .expect("a manifest");
    for line in [
        "readme = \"README.md\"",
        "rustls = [\"alibabacloud-core/rustls\"]",
        "native-tls = [\"alibabacloud-core/native-tls\"]",
        "alibabacloud-core.workspace = true",
        "rustdoc-args = [\"--cfg\", \"docsrs\"]",
    ] {
        assert!(
            manifest.contents.contains(line),
            "{line}:\n{}",
            manifest.contents
        );
    }
    assert!(!manifest.contents.contains("publish = false"));
    assert!(demo.files.iter().any(|f| f.path.ends_with("README.md")));

    // The license is a link to the workspace's, written by `write` and checked by `check`.
    assert_eq!(demo.links.len(), 1);
    codegen::write(dir.path(), &crates).expect("write");
    assert!(codegen::check(dir.path(), &crates).is_empty());
    let license = dir.path().join(&demo.links[0].path);
    assert_eq!(fs::read_to_string(&license).unwrap(), "the license text\n");
    fs::remove_file(&license).unwrap();
    assert_eq!(
        codegen::check(dir.path(), &crates),
        [codegen::Drift::Stale(demo.links[0].path.clone())]
    );

    // Unpublished crates (the test fixtures) say so, and link no license.
    let fixture = Layout {
        publish: false,
        ..layout()
    };
    let crates = codegen::generate(dir.path(), &fixture).expect("valid");
    assert!(crates[0].links.is_empty());
    assert!(
        crates[0]
            .files
            .iter()
            .any(|f| f.contents.contains("publish = false\n"))
    );
}

#[test]
fn every_broken_file_is_reported_and_nothing_is_written() {
    let dir = workspace(&[
        ("ListThings", VALID),
        (
            "BrokenOne",
            &VALID
                .replace("action: ListThings", "action: BrokenOne")
                .replace("type: int32}", "type: nope}"),
        ),
        (
            "BrokenTwo",
            &VALID
                .replace("action: ListThings", "action: BrokenTwo")
                .replace("summary: Lists things.", "summary: x\nextra: 1"),
        ),
    ]);
    let errors = codegen::generate(dir.path(), &layout()).unwrap_err().0;
    let files: Vec<_> = errors
        .iter()
        .map(|e| e.file.display().to_string())
        .collect();
    assert_eq!(
        files,
        [
            "specs/demo/2024-01-01/BrokenOne.yaml",
            "specs/demo/2024-01-01/BrokenTwo.yaml"
        ],
        "{errors:?}"
    );
    assert!(!dir.path().join("out").exists(), "nothing may be written");
}

#[test]
fn service_files_are_validated_too() {
    let dir = workspace(&[("ListThings", VALID)]);
    let service = dir.path().join("specs/demo/2024-01-01/service.yaml");
    fs::write(
        &service,
        SERVICE.replace("crate: alibabacloud-demo-20240101", "crate: demo"),
    )
    .expect("write");
    let errors = codegen::generate(dir.path(), &layout()).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field.as_deref(), Some("crate"));
    assert!(
        errors[0].message.contains("alibabacloud-demo-20240101"),
        "{}",
        errors[0]
    );
}

#[test]
fn a_vpc_rule_reaches_the_service_description_and_needs_a_region() {
    let with_vpc = |rule: &str| {
        SERVICE.replace(
            "  global: demo.aliyuncs.com",
            &format!("  global: demo.aliyuncs.com\n  vpc_rule: \"{rule}\""),
        )
    };
    let operations = [("ListThings", VALID)];
    let service_text = with_vpc("demo-vpc.{region}.aliyuncs.com");
    let client = generated_file(&operations, &service_text, "client.rs");
    assert!(
        client.contains("vpc_endpoint_rule: Some(\"demo-vpc.{region}.aliyuncs.com\")"),
        "{client}"
    );
    let dir = workspace(&operations);
    let service = dir.path().join("specs/demo/2024-01-01/service.yaml");
    fs::write(&service, with_vpc("demo-vpc.aliyuncs.com")).expect("write");
    let errors = codegen::generate(dir.path(), &layout()).unwrap_err().0;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field.as_deref(), Some("endpoints.vpc_rule"));
    assert!(errors[0].message.contains("{region}"), "{}", errors[0]);
}

// The keys the importer brought (origin, read_only required, number/any, style, enum
// rust_name, token pagination): one broken spec each.

#[test]
fn read_only_is_required() {
    let error = broken("read_only: true\n", "");
    assert!(
        error.message.contains("missing field `read_only`"),
        "{error}"
    );
}

#[test]
fn origin_takes_imported_or_curated() {
    let error = broken("action: ListThings", "origin: copied\naction: ListThings");
    assert_eq!(error.field.as_deref(), Some("origin"), "{error}");
    assert!(
        error.message.contains("imported") && error.message.contains("curated"),
        "{error}"
    );
}

#[test]
fn a_style_is_one_the_metadata_knows() {
    let error = broken(
        "{name: PageSize, type: int32}",
        "{name: PageSize, type: int32}\n  - {name: Ids, type: list, items: {type: string}, style: repeat}",
    );
    assert!(
        error.message.contains("unknown variant `repeat`"),
        "{error}"
    );
}

#[test]
fn delimited_styles_join_scalars_only() {
    let error = broken(
        "  - {name: PageSize, type: int32}",
        "  - {name: PageSize, type: int32}\n  - {name: Tags, type: list, style: simple, items: {type: object, fields: [{name: Key, type: string, not_secret: a tag key}]}}",
    );
    assert_eq!(error.field.as_deref(), Some("request.Tags"), "{error}");
    assert!(
        error.message.contains("style simple joins scalars"),
        "{error}"
    );
}

#[test]
fn every_type_travels_in_every_position_and_style() {
    let text = VALID.replacen(
        "  - {name: PageSize, type: int32}",
        "  - {name: PageSize, type: int32, style: json}
  - {name: Doc, type: any}
  - {name: Shrunk, type: any, style: json}
  - {name: Ratio, type: number}
  - {name: Filter, type: object, style: flat, in: body, fields: [{name: Code, type: string}, {name: Any, type: any}, {name: Grid, type: list, items: {type: list, items: {type: number}}}]}
  - {name: ByName, type: map, values: {type: object, struct: Named, fields: [{name: Size, type: int64}]}}
  - {name: Lists, type: map, values: {type: list, items: {type: string}}}
  - {name: Ids, type: list, style: simple, items: {type: int64}}
  - {name: Words, type: list, style: spaceDelimited, items: {type: string}}
  - {name: Flags, type: list, style: pipeDelimited, items: {type: bool}}",
        1,
    ).replacen("request_body: none", "request_body: form", 1).replacen(
        "    - {name: TotalCount, type: int32}",
        "    - {name: TotalCount, type: int32}\n    - {name: Score, type: number}\n    - {name: Extra, type: any}\n    - {name: Groups, type: map, values: {type: list, items: {type: string}}}",
        1,
    );
    let dir = workspace(&[("ListThings", &text)]);
    codegen::generate(dir.path(), &layout()).expect("every type, position and style is valid");
}

#[test]
fn enum_rust_names_must_be_type_names() {
    let error = broken(
        "{name: Name, type: string}",
        "{name: Name, type: string, enum: [{value: WILLEXPIRE, rust_name: will_expire}]}",
    );
    assert!(error.message.contains("not a PascalCase name"), "{error}");
}

#[test]
fn token_pagination_needs_a_string_token_and_a_next_path() {
    let token =
        "pagination: {style: next_token, token: PageNumber, next: NextToken, items: Things}";
    let error = broken(
        "pagination: {style: page_number, page: PageNumber, page_size: PageSize, total: TotalCount, items: Things}",
        token,
    );
    assert!(
        error.message.contains("PageNumber is not a string"),
        "{error}"
    );
    let text = VALID
        .replacen(
            "pagination: {style: page_number, page: PageNumber, page_size: PageSize, total: TotalCount, items: Things}",
            "pagination: {style: next_token, token: NextToken, page_size: PageSize, next: Missing, items: Things}",
            1,
        )
        .replacen("  - {name: PageSize, type: int32}", "  - {name: PageSize, type: int32}\n  - {name: NextToken, type: string}", 1);
    let errors = errors_for(&[("ListThings", &text)]);
    assert!(
        errors[0].message.contains("Missing does not exist"),
        "{errors:?}"
    );
}

#[test]
fn waiters_match_one_existing_field_with_sane_delays() {
    let error = broken(
        "read_only: true\n",
        "read_only: true\nwaiters:\n  - {name: ready, path: Missing, success: [done]}\n",
    );
    assert!(error.message.contains("Missing does not exist"), "{error}");
    let error = broken(
        "read_only: true\n",
        "read_only: true\nwaiters:\n  - {name: ready, path: Things, success: [done]}\n",
    );
    assert!(
        error.message.contains("not a text, enum or integer field"),
        "{error}"
    );
    let error = broken(
        "read_only: true\n",
        "read_only: true\nwaiters:\n  - {name: Ready, path: RequestId, success: [done]}\n",
    );
    assert!(error.message.contains("snake_case"), "{error}");
    let error = broken(
        "read_only: true\n",
        "read_only: true\nwaiters:\n  - {name: ready, path: RequestId, success: [done], min_delay_seconds: 0}\n",
    );
    assert!(error.message.contains("delays must satisfy"), "{error}");
    let text = VALID.replacen(
        "read_only: true\n",
        "read_only: true\nwaiters:\n  - {name: ready, path: RequestId, success: [done], failure: [gone]}\n",
        1,
    );
    let dir = workspace(&[("ListThings", &text)]);
    let crates = codegen::generate(dir.path(), &layout()).expect("a valid waiter");
    let client = crates[0]
        .files
        .iter()
        .find(|f| f.path.ends_with("client.rs"))
        .unwrap();
    assert!(
        client.contents.contains("pub fn wait_until_ready("),
        "{}",
        client.contents
    );
}

#[test]
fn form_data_deprecated_and_portal_code_reach_the_generated_code() {
    let text = VALID
        .replacen("request_body: none", "request_body: form", 1)
        .replacen(
            "  - {name: PageSize, type: int32}",
            "  - {name: PageSize, type: int32}\n  - {name: Note, in: formData, type: string}",
            1,
        )
        .replacen(
            "read_only: true\n",
            "read_only: true\ndeprecated: true\n",
            1,
        );
    let with_code = SERVICE.replace("endpoints:", "portal_code: DemoPortal\nendpoints:");
    let module = generated_file(&[("ListThings", &text)], &with_code, "list_things.rs");
    assert!(
        module.contains("params.write(Location::Body, \"Note\""),
        "formData is the body"
    );
    assert!(module.contains("Deprecated by the service"));
    assert!(module.contains("https://api.aliyun.com/api/DemoPortal/2024-01-01/ListThings"));
    let error = broken(
        "  - {name: PageSize, type: int32}",
        "  - {name: PageSize, type: int32}\n  - {name: Note, in: formData, type: string}",
    );
    assert!(
        error.message.contains("needs request_body form or json"),
        "{error}"
    );
}

#[test]
fn a_field_that_looks_like_key_material_needs_a_decision() {
    for field in [
        "{name: Password, type: string}",
        "{name: Key, type: string}",
        "{name: SignPrivateKey, type: string}",
        "{name: Note, type: string, example: '-----BEGIN PRIVATE KEY----- x'}",
    ] {
        let error = broken("{name: Name, type: string}", field);
        assert!(
            error.message.contains("looks like key material"),
            "{field}: {error}"
        );
        assert!(error.message.contains("not_secret"), "{error}");
    }
    let error = broken(
        "{name: Name, type: string}",
        "{name: Key, type: string, sensitive: true, not_secret: a tag key}",
    );
    assert!(error.message.contains("not both"), "{error}");
    for decided in [
        "{name: Key, type: string, sensitive: true}",
        "{name: Key, type: string, not_secret: a tag key}",
    ] {
        let text = VALID.replacen("{name: Name, type: string}", decided, 1);
        let dir = workspace(&[("ListThings", &text)]);
        codegen::generate(dir.path(), &layout()).expect("a decided field is valid");
    }
}
