//! Endpoint resolution: explicit endpoint, else the spec's regional map, else the
//! product's rule, else its global endpoint; for [`Network::Vpc`], the product's VPC rule
//! for a region.

use crate::error::Error;
use crate::signing::SignatureVersion;

/// Every region id that Alibaba Cloud's published endpoint maps name (the union of the
/// maps of the shipped product versions and of ECS). A region outside a product's own map
/// takes the product's rule only when it is one of these; anything else is a typo or a
/// region this SDK does not know yet, and is refused with the product's regions named.
pub const PUBLISHED_REGIONS: &[&str] = &[
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-2-pop",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ap-southeast-8",
    "cn-beijing",
    "cn-beijing-finance-1",
    "cn-beijing-finance-pop",
    "cn-beijing-gov-1",
    "cn-beijing-nu16-b01",
    "cn-chengdu",
    "cn-edge-1",
    "cn-fujian",
    "cn-fuzhou",
    "cn-guangzhou",
    "cn-haidian-cm12-c01",
    "cn-hangzhou",
    "cn-hangzhou-bj-b01",
    "cn-hangzhou-finance",
    "cn-hangzhou-internal-prod-1",
    "cn-hangzhou-internal-test-1",
    "cn-hangzhou-internal-test-2",
    "cn-hangzhou-internal-test-3",
    "cn-hangzhou-test-306",
    "cn-heyuan",
    "cn-heyuan-acdr-1",
    "cn-hongkong",
    "cn-hongkong-finance-pop",
    "cn-huhehaote",
    "cn-huhehaote-nebula-1",
    "cn-nanjing",
    "cn-north-2-gov-1",
    "cn-qingdao",
    "cn-qingdao-nebula",
    "cn-shanghai",
    "cn-shanghai-et15-b01",
    "cn-shanghai-et2-b01",
    "cn-shanghai-finance-1",
    "cn-shanghai-inner",
    "cn-shanghai-internal-test-1",
    "cn-shenzhen",
    "cn-shenzhen-finance-1",
    "cn-shenzhen-inner",
    "cn-shenzhen-st4-d01",
    "cn-shenzhen-su18-b01",
    "cn-wuhan",
    "cn-wuhan-lr",
    "cn-wulanchabu",
    "cn-wulanchabu-gic-1",
    "cn-yushanfang",
    "cn-zhangbei",
    "cn-zhangbei-na61-b01",
    "cn-zhangjiakou",
    "cn-zhangjiakou-na62-a01",
    "cn-zhengzhou-jva",
    "cn-zhengzhou-nebula-1",
    "cn-zhongwei",
    "eu-central-1",
    "eu-west-1",
    "eu-west-1-oxs",
    "eu-west-2",
    "me-central-1",
    "me-east-1",
    "na-south-1",
    "rus-west-1-pop",
    "us-east-1",
    "us-southeast-1",
    "us-west-1",
];

/// What the generated crate knows about its product and API version.
#[derive(Debug)]
pub struct ServiceInfo {
    /// Product code, e.g. `cas`.
    pub product: &'static str,
    /// API version, e.g. `2020-04-07`.
    pub version: &'static str,
    /// Signature used unless the client config picks another.
    pub signature: SignatureVersion,
    /// Endpoint used when no region is configured.
    pub global_endpoint: Option<&'static str>,
    /// Region id to host, as documented.
    pub regional_endpoints: &'static [(&'static str, &'static str)],
    /// Host pattern for other regions, with `{region}` in it.
    pub endpoint_rule: Option<&'static str>,
    /// Host pattern of the VPC endpoints, with `{region}` in it, if the product has them.
    pub vpc_endpoint_rule: Option<&'static str>,
}

/// Which network a client reaches the service through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Network {
    /// The public endpoints (the default).
    #[default]
    Public,
    /// The VPC endpoints of a region (`sts-vpc.cn-hangzhou.aliyuncs.com`), reachable from
    /// inside an Alibaba Cloud VPC. Without a region, the global endpoint is used.
    Vpc,
}

/// A resolved endpoint: scheme and authority (`host[:port]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// `https` or `http`.
    pub scheme: &'static str,
    /// `host` or `host:port`, exactly as sent in the `host` header.
    pub authority: String,
}

impl Endpoint {
    /// Parses `host`, `host:port`, `https://host[:port]` or `http://host[:port]`.
    pub fn parse(endpoint: &str) -> Result<Self, Error> {
        let (scheme, rest) = if let Some(rest) = endpoint.strip_prefix("https://") {
            ("https", rest)
        } else if let Some(rest) = endpoint.strip_prefix("http://") {
            ("http", rest)
        } else if endpoint.contains("://") {
            return Err(Error::config(format!(
                "endpoint {endpoint:?} uses an unsupported scheme; use https:// or http://"
            )));
        } else {
            ("https", endpoint)
        };
        let authority = rest.trim_end_matches('/');
        if authority.is_empty() || authority.contains(['/', '?', '#', ' ', '@']) {
            return Err(Error::config(format!(
                "endpoint {endpoint:?} is not a host name (expected host, host:port or a URL without a path)"
            )));
        }
        Ok(Self {
            scheme,
            authority: authority.to_ascii_lowercase(),
        })
    }

    /// The base URL, `scheme://authority`.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme, self.authority)
    }
}

impl ServiceInfo {
    /// Resolves the endpoint for a region on a network, unless an explicit endpoint is
    /// given.
    pub fn resolve(
        &self,
        region: Option<&str>,
        explicit: Option<&str>,
        network: Network,
    ) -> Result<Endpoint, Error> {
        if let Some(endpoint) = explicit {
            return Endpoint::parse(endpoint);
        }
        let host = match region {
            Some(region) => {
                if region.is_empty()
                    || !region
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    return Err(Error::config(format!(
                        "region {region:?} is not a region id"
                    )));
                }
                if network == Network::Vpc {
                    let rule = self.vpc_endpoint_rule.ok_or_else(|| {
                        Error::config(format!(
                            "{} {} has no VPC endpoint; use the public network or set an \
                             endpoint explicitly",
                            self.product, self.version
                        ))
                    })?;
                    return Endpoint::parse(&rule.replace("{region}", region));
                }
                match self.regional_endpoints.iter().find(|(id, _)| *id == region) {
                    Some((_, host)) => (*host).to_owned(),
                    None => self.unlisted_region(region)?,
                }
            }
            None => self.global_endpoint.map(str::to_owned).ok_or_else(|| {
                Error::config(format!(
                    "{} {} has no global endpoint; set a region or an endpoint",
                    self.product, self.version
                ))
            })?,
        };
        Endpoint::parse(&host)
    }

    /// The host of a region the product's map does not list: the rule, for a region that
    /// Alibaba Cloud publishes (or for any region of a product without a map); the global
    /// endpoint for a product with neither map nor rule. Otherwise an error naming the
    /// regions the map has.
    fn unlisted_region(&self, region: &str) -> Result<String, Error> {
        let published = PUBLISHED_REGIONS.contains(&region);
        match self.endpoint_rule {
            Some(rule) if published || self.regional_endpoints.is_empty() => {
                return Ok(rule.replace("{region}", region));
            }
            None if self.regional_endpoints.is_empty() => {
                if let Some(global) = self.global_endpoint {
                    return Ok(global.to_owned());
                }
            }
            _ => {}
        }
        let known: Vec<&str> = self.regional_endpoints.iter().map(|(id, _)| *id).collect();
        let why = if published {
            "is not in its endpoint map"
        } else {
            "is not a region Alibaba Cloud publishes"
        };
        Err(Error::config(format!(
            "{} {} has no endpoint for region {region:?}: it {why}; known regions: {}; \
             set an endpoint explicitly to use another host",
            self.product,
            self.version,
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAS: ServiceInfo = ServiceInfo {
        product: "cas",
        version: "2020-04-07",
        signature: SignatureVersion::V3,
        global_endpoint: Some("cas.aliyuncs.com"),
        regional_endpoints: &[("cn-hangzhou", "cas.aliyuncs.com")],
        endpoint_rule: Some("cas.{region}.aliyuncs.com"),
        vpc_endpoint_rule: Some("cas-vpc.{region}.aliyuncs.com"),
    };

    #[test]
    fn explicit_then_map_then_rule_then_global() {
        let host = |region, explicit| {
            CAS.resolve(region, explicit, Network::Public)
                .unwrap()
                .base_url()
        };
        assert_eq!(
            host(Some("cn-hangzhou"), Some("http://127.0.0.1:8080")),
            "http://127.0.0.1:8080"
        );
        assert_eq!(host(Some("cn-hangzhou"), None), "https://cas.aliyuncs.com");
        assert_eq!(
            host(Some("eu-central-1"), None),
            "https://cas.eu-central-1.aliyuncs.com"
        );
        assert_eq!(host(None, None), "https://cas.aliyuncs.com");
    }

    #[test]
    fn an_unknown_region_names_the_known_ones() {
        let error = CAS
            .resolve(Some("cn-hangzou"), None, Network::Public)
            .unwrap_err()
            .to_string();
        assert!(error.contains("\"cn-hangzou\""), "{error}");
        assert!(error.contains("known regions: cn-hangzhou"), "{error}");
        assert!(error.contains("set an endpoint explicitly"), "{error}");
        // An explicit endpoint needs no known region.
        let explicit = CAS.resolve(Some("cn-hangzou"), Some("127.0.0.1:9"), Network::Public);
        assert_eq!(explicit.unwrap().authority, "127.0.0.1:9");
        // Without a rule, a published region outside the map is refused too.
        let no_rule = ServiceInfo {
            endpoint_rule: None,
            ..CAS
        };
        let error = no_rule
            .resolve(Some("eu-central-1"), None, Network::Public)
            .unwrap_err()
            .to_string();
        assert!(error.contains("not in its endpoint map"), "{error}");
    }

    #[test]
    fn bad_endpoints_and_regions_are_config_errors() {
        assert!(Endpoint::parse("ftp://x").is_err());
        assert!(Endpoint::parse("https://host/path").is_err());
        assert!(
            CAS.resolve(Some("cn hangzhou"), None, Network::Public)
                .is_err()
        );
    }

    #[test]
    fn vpc_endpoints_come_from_the_vpc_rule() {
        let host = |region, explicit| {
            CAS.resolve(region, explicit, Network::Vpc)
                .map(|endpoint| endpoint.base_url())
        };
        assert_eq!(
            host(Some("cn-hangzhou"), None).unwrap(),
            "https://cas-vpc.cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(host(None, None).unwrap(), "https://cas.aliyuncs.com");
        assert_eq!(
            host(Some("cn-hangzhou"), Some("http://127.0.0.1:1")).unwrap(),
            "http://127.0.0.1:1"
        );
        let without = ServiceInfo {
            vpc_endpoint_rule: None,
            ..CAS
        };
        let error = without
            .resolve(Some("cn-hangzhou"), None, Network::Vpc)
            .unwrap_err();
        assert!(error.to_string().contains("no VPC endpoint"), "{error}");
    }
}
