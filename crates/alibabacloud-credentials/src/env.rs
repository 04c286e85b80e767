//! Where providers read environment variables and the home directory from.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// The environment a provider reads: the process environment by default, or a fixed map
/// (for tests, or to configure a provider without touching the process environment).
///
/// The home directory is read through it too (`HOME`, or `USERPROFILE` on Windows), so a
/// map-backed `Env` also decides where `~/.aliyun/config.json` and
/// `~/.alibabacloud/credentials` are.
///
/// `Debug` shows variable names only, never values.
#[derive(Clone, Default)]
pub struct Env {
    vars: Option<Arc<HashMap<String, String>>>,
}

impl Env {
    /// The process environment, read at each lookup.
    pub fn process() -> Self {
        Self { vars: None }
    }

    /// A fixed set of variables; every other variable is unset.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let vars = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Self {
            vars: Some(Arc::new(vars)),
        }
    }

    /// The value of `name`; `None` when it is unset, empty or not valid Unicode.
    pub fn var(&self, name: &str) -> Option<String> {
        let value = match &self.vars {
            Some(vars) => vars.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        value.filter(|v| !v.is_empty())
    }

    /// Whether `name` is set to `true` (in any case).
    pub fn is_true(&self, name: &str) -> bool {
        self.var(name)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }

    /// The home directory: `HOME`, else (on Windows) `USERPROFILE`.
    pub fn home_dir(&self) -> Option<PathBuf> {
        self.var("HOME")
            .or_else(|| {
                if cfg!(windows) {
                    self.var("USERPROFILE")
                } else {
                    None
                }
            })
            .map(PathBuf::from)
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.vars {
            None => f.write_str("Env::process"),
            Some(vars) => {
                let mut names: Vec<&str> = vars.keys().map(String::as_str).collect();
                names.sort_unstable();
                f.debug_struct("Env").field("names", &names).finish()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_unset_and_debug_hides_values() {
        let env = Env::from_vars([("A", ""), ("B", "TrUe"), ("HOME", "/h"), ("S", "hush")]);
        assert_eq!(env.var("A"), None);
        assert_eq!(env.var("missing"), None);
        assert!(env.is_true("B"));
        assert!(!env.is_true("S"));
        assert_eq!(env.home_dir(), Some(PathBuf::from("/h")));
        let shown = format!("{env:?}");
        assert!(shown.contains("\"S\""), "{shown}");
        assert!(!shown.contains("hush"), "{shown}");
    }
}
