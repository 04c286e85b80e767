//! Tags, CAS 2020-04-07 and 2020-06-30: TagResources, UntagResources, ListTagResources and
//! ListTagKeys store and read tags on the resources they name, whichever API version is
//! called. `ResourceType` names the family (case-insensitive):
//!
//! * `cert` (or `certificate`): an uploaded or issued SSL certificate, `ResourceId` its
//!   `CertId`;
//! * `instance` (or `ca`, `pca`, `privateca`): a private CA certificate (CA or end entity),
//!   `ResourceId` its `Identifier`.
//!
//! A resource has at most 20 tags, one value per key. An unknown type is
//! `400 InvalidParameter.ResourceType`, an ID that names nothing
//! `404 InvalidResourceId.NotFound`. ListTagResources filters by `ResourceId` and by `Tag`
//! (every key given must be present, with the value when one is given), token-paged by
//! `MaxResults` / `NextToken`; ListTagKeys counts each key's resources.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::context::Ctx;
use crate::answer::{Body, object};
use crate::data::{DataSet, Tag};
use crate::errors::ApiError;
use crate::request::Params;

/// Most tags one resource carries.
const MAX_TAGS: usize = 20;

/// A resource family that takes tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Certificate,
    PrivateCertificate,
}

fn family(ctx: &Ctx<'_>) -> Result<(Family, String), ApiError> {
    let sent = ctx.text("ResourceType").unwrap_or_default();
    let family = match sent.to_ascii_lowercase().as_str() {
        "cert" | "certificate" => Family::Certificate,
        "instance" | "ca" | "pca" | "privateca" => Family::PrivateCertificate,
        _ => {
            return Err(ApiError::new(
                400,
                "InvalidParameter.ResourceType",
                format!(
                    "The resource type {sent:?} takes no tags here: use cert (certificates) or instance (private CA certificates)."
                ),
            ));
        }
    };
    Ok((family, sent.to_owned()))
}

/// The values of a list parameter (`Name.1`, `Name.2`, ...), in index order.
pub(crate) fn list(params: &Params, name: &str) -> Vec<String> {
    let mut items: Vec<(u64, String)> = params
        .nested(name)
        .filter_map(|(key, value)| {
            let index = key.strip_prefix(name)?.strip_prefix('.')?.parse().ok()?;
            Some((index, value.to_owned()))
        })
        .filter(|(_, value)| !value.is_empty())
        .collect();
    items.sort();
    items.into_iter().map(|(_, v)| v).collect()
}

/// The tags of a `Name.N.Key` / `Name.N.Value` parameter, in index order, without empty
/// keys.
pub(crate) fn tags(params: &Params, name: &str) -> Vec<Tag> {
    let mut by_index: BTreeMap<u64, Tag> = BTreeMap::new();
    for (key, value) in params.nested(name) {
        let Some(rest) = key.strip_prefix(name).and_then(|r| r.strip_prefix('.')) else {
            continue;
        };
        let Some((index, field)) = rest.split_once('.') else {
            continue;
        };
        let Ok(index) = index.parse() else {
            continue;
        };
        let tag = by_index.entry(index).or_insert(Tag {
            key: String::new(),
            value: String::new(),
        });
        match field {
            "Key" => tag.key = value.to_owned(),
            "Value" => tag.value = value.to_owned(),
            _ => {}
        }
    }
    by_index
        .into_values()
        .filter(|t| !t.key.is_empty())
        .collect()
}

/// Sets `new` on `tags` (one value per key), refusing more than [`MAX_TAGS`].
pub(crate) fn apply(tags: &mut Vec<Tag>, new: &[Tag]) -> Result<(), ApiError> {
    for tag in new {
        match tags.iter_mut().find(|t| t.key == tag.key) {
            Some(existing) => existing.value = tag.value.clone(),
            None => tags.push(tag.clone()),
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(ApiError::new(
            400,
            "QuotaExceeded.TagNum",
            format!("A resource carries at most {MAX_TAGS} tags."),
        ));
    }
    tags.sort();
    Ok(())
}

/// The `Tags` list of a detail: `TagKey`, `TagValue` rows.
pub(crate) fn rows(tags: &[Tag]) -> Value {
    Value::Array(
        tags.iter()
            .map(|t| json!({ "TagKey": t.key, "TagValue": t.value }))
            .collect(),
    )
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        404,
        "InvalidResourceId.NotFound",
        format!("The specified resource {id} does not exist."),
    )
}

/// Every `(resource ID, its tags)` of a family.
fn resources(data: &DataSet, family: Family) -> Vec<(String, &Vec<Tag>)> {
    match family {
        Family::Certificate => data
            .certificates
            .iter()
            .map(|c| (c.certificate_id.to_string(), &c.tags))
            .collect(),
        Family::PrivateCertificate => data
            .private_certificates
            .iter()
            .map(|c| (c.identifier.clone(), &c.tags))
            .collect(),
    }
}

fn tags_of<'d>(data: &'d mut DataSet, family: Family, id: &str) -> Option<&'d mut Vec<Tag>> {
    match family {
        Family::Certificate => data
            .certificates
            .iter_mut()
            .find(|c| c.certificate_id.to_string() == id)
            .map(|c| &mut c.tags),
        Family::PrivateCertificate => data
            .private_certificates
            .iter_mut()
            .find(|c| c.identifier == id)
            .map(|c| &mut c.tags),
    }
}

/// The resources `ResourceId.N` names, each checked to exist.
fn named(ctx: &Ctx<'_>, data: &mut DataSet, family: Family) -> Result<Vec<String>, ApiError> {
    let ids = list(ctx.params, "ResourceId");
    if ids.is_empty() {
        return Err(ApiError::missing("ResourceId"));
    }
    for id in &ids {
        if tags_of(data, family, id).is_none() {
            return Err(not_found(id));
        }
    }
    Ok(ids)
}

/// TagResources: sets `Tag.N` on every resource of `ResourceId.N`.
pub(crate) fn tag(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let (family, _) = family(ctx)?;
    // No tag (optional in the metadata): the resources are checked, nothing is set.
    let new = tags(ctx.params, "Tag");
    let mut data = ctx.state.data_mut();
    let ids = named(ctx, &mut data, family)?;
    // Checked on copies first: either every resource takes the tags or none does.
    let mut updated = Vec::new();
    for id in &ids {
        let mut tags = tags_of(&mut data, family, id).cloned().unwrap_or_default();
        apply(&mut tags, &new)?;
        updated.push(tags);
    }
    for (id, tags) in ids.iter().zip(updated) {
        if let Some(stored) = tags_of(&mut data, family, id) {
            *stored = tags;
        }
    }
    Ok(Body::new())
}

/// UntagResources: removes the keys `TagKey.N` (or every tag with `All=true`) from every
/// resource of `ResourceId.N`.
pub(crate) fn untag(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let (family, _) = family(ctx)?;
    let keys = list(ctx.params, "TagKey");
    let all = ctx
        .text("All")
        .is_some_and(|a| a.eq_ignore_ascii_case("true"));
    let mut data = ctx.state.data_mut();
    for id in named(ctx, &mut data, family)? {
        if let Some(tags) = tags_of(&mut data, family, &id) {
            tags.retain(|t| !all && !keys.contains(&t.key));
        }
    }
    Ok(Body::new())
}

/// Whether `tags` holds every tag of the `Tag.N` filter (a filter without a value asks
/// for the key only).
fn matches_filter(tags: &[Tag], filter: &[Tag]) -> bool {
    filter.iter().all(|f| {
        tags.iter()
            .any(|t| t.key == f.key && (f.value.is_empty() || t.value == f.value))
    })
}

/// ListTagResources: one row per (resource, tag), filtered by `ResourceId.N` and `Tag.N`,
/// token-paged; `nested` (2020-06-30) answers under `Data`.
pub(crate) fn list_tag_resources(ctx: &Ctx<'_>, nested: bool) -> Result<Body, ApiError> {
    let (family, sent_type) = family(ctx)?;
    let wanted = list(ctx.params, "ResourceId");
    let filter = tags(ctx.params, "Tag");
    let data = ctx.state.data();
    let mut rows = Vec::new();
    for (id, tags) in resources(&data, family) {
        if (!wanted.is_empty() && !wanted.contains(&id)) || !matches_filter(tags, &filter) {
            continue;
        }
        for tag in tags {
            rows.push(json!({
                "ResourceId": id,
                "ResourceType": sent_type,
                "TagKey": tag.key,
                "TagValue": tag.value,
            }));
        }
    }
    let (page, next) = token_page(ctx, &rows)?;
    let mut body = object(json!({
        "TagResources": page,
        "NextToken": next,
        "MaxResults": ctx.int("MaxResults", DEFAULT_PAGE),
    }));
    // 2020-06-30 nests the list under `Data`.
    if nested {
        body = object(json!({ "Data": body }));
    }
    Ok(body)
}

/// ListTagKeys: each key used on the family's resources and how many carry it.
pub(crate) fn list_tag_keys(ctx: &Ctx<'_>) -> Result<Body, ApiError> {
    let (family, _) = family(ctx)?;
    let group = ctx.text("ResourceGroupId");
    let data = ctx.state.data();
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    let in_group = |g: &str| group.is_none_or(|wanted| wanted == g);
    let tag_sets: Vec<&Vec<Tag>> = match family {
        Family::Certificate => data
            .certificates
            .iter()
            .filter(|c| in_group(&c.resource_group_id))
            .map(|c| &c.tags)
            .collect(),
        Family::PrivateCertificate => data
            .private_certificates
            .iter()
            .filter(|c| in_group(&c.resource_group_id))
            .map(|c| &c.tags)
            .collect(),
    };
    for tags in tag_sets {
        for tag in tags {
            *counts.entry(tag.key.clone()).or_default() += 1;
        }
    }
    let rows: Vec<Value> = counts
        .into_iter()
        .map(|(key, count)| json!({ "TagKey": key, "TagCount": count }))
        .collect();
    let total = rows.len();
    let (page, next) = token_page(ctx, &rows)?;
    Ok(object(json!({
        "TagKeys": page,
        "NextToken": next,
        "TotalCount": total,
        "MaxResults": ctx.int("MaxResults", DEFAULT_PAGE),
        "PageSize": ctx.int("PageSize", DEFAULT_PAGE),
        "CurrentPage": ctx.int("CurrentPage", 1),
    })))
}

/// Rows per page when the caller names no size.
const DEFAULT_PAGE: i64 = 50;

/// The page of `rows` that `NextToken` (an offset this emulator gave) starts, of
/// `MaxResults` (or `PageSize`) rows, and the next token (empty on the last page).
fn token_page(ctx: &Ctx<'_>, rows: &[Value]) -> Result<(Vec<Value>, String), ApiError> {
    let size = ctx
        .params
        .non_empty("MaxResults")
        .or_else(|| ctx.params.non_empty("PageSize"))
        .and_then(|s| s.trim().parse::<i64>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_PAGE);
    let start = match ctx.text("NextToken") {
        None => 0,
        Some(token) => token
            .strip_prefix("tags-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= rows.len())
            .ok_or_else(|| {
                ApiError::new(
                    400,
                    "InvalidParameter",
                    "Specified parameter NextToken is not valid.",
                )
            })?,
    };
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    let end = start.saturating_add(size).min(rows.len());
    let next = if end < rows.len() {
        format!("tags-{end}")
    } else {
        String::new()
    };
    Ok((rows[start..end].to_vec(), next))
}
