//! Endpoint resolution: explicit endpoint, else the spec's regional map, else the
//! product's rule, else its global endpoint; for [`Network::Vpc`], the product's VPC rule
//! for a region.

use crate::error::Error;
use crate::signing::SignatureVersion;

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
                    None => match self.endpoint_rule {
                        Some(rule) => rule.replace("{region}", region),
                        None => self.global_endpoint.map(str::to_owned).ok_or_else(|| {
                            Error::config(format!(
                                "{} {} has no endpoint for region {region}; set an endpoint explicitly",
                                self.product, self.version
                            ))
                        })?,
                    },
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
