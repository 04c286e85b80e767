//! Writes made idempotent by `ClientToken`: the same token with the same parameters answers
//! the first result again and changes nothing; the same token with other parameters is
//! `400 IdempotentParameterMismatch`.
//!
//! Tokens are remembered per account and action for [`TOKEN_LIFETIME_MS`], and at most
//! [`MAX_TOKENS`] at a time (the oldest is forgotten first), so memory stays bounded.

use std::collections::{BTreeMap, VecDeque};

use crate::answer::Body;
use crate::errors::ApiError;
use crate::request::Params;

/// How long a token is remembered: one day.
pub(crate) const TOKEN_LIFETIME_MS: i64 = 86_400_000;

/// How many tokens are remembered at most.
pub(crate) const MAX_TOKENS: usize = 10_000;

/// Who sent a token for what.
type Key = (String, String, String);

#[derive(Debug)]
struct Remembered {
    /// The parameters of the first call, without the token.
    params: BTreeMap<String, String>,
    /// Its answer.
    body: Body,
    at_ms: i64,
}

/// The tokens seen recently.
#[derive(Debug, Default)]
pub(crate) struct ClientTokens {
    answers: BTreeMap<Key, Remembered>,
    order: VecDeque<(Key, i64)>,
}

fn without_token(params: &Params) -> BTreeMap<String, String> {
    let mut params = params.0.clone();
    params.remove("ClientToken");
    params
}

impl ClientTokens {
    fn expire(&mut self, now_ms: i64) {
        while let Some((key, at)) = self.order.front() {
            if *at + TOKEN_LIFETIME_MS > now_ms && self.order.len() <= MAX_TOKENS {
                break;
            }
            if self.answers.get(key).is_some_and(|r| r.at_ms == *at) {
                self.answers.remove(key);
            }
            self.order.pop_front();
        }
    }

    /// The first answer to this token, if it was seen with the same parameters; an error
    /// if it was seen with others.
    pub fn replay(
        &mut self,
        account: &str,
        action: &str,
        params: &Params,
        now_ms: i64,
    ) -> Option<Result<Body, ApiError>> {
        self.expire(now_ms);
        let token = params.non_empty("ClientToken")?;
        let key = (account.to_owned(), action.to_owned(), token.to_owned());
        let seen = self.answers.get(&key)?;
        Some(if seen.params == without_token(params) {
            Ok(seen.body.clone())
        } else {
            Err(ApiError::new(
                400,
                "IdempotentParameterMismatch",
                "The ClientToken was already used with other parameters.",
            ))
        })
    }

    /// Remembers the answer to a call that carried a token.
    pub fn remember(
        &mut self,
        account: &str,
        action: &str,
        params: &Params,
        body: &Body,
        now_ms: i64,
    ) {
        let Some(token) = params.non_empty("ClientToken") else {
            return;
        };
        let key = (account.to_owned(), action.to_owned(), token.to_owned());
        self.order.push_back((key.clone(), now_ms));
        self.answers.insert(
            key,
            Remembered {
                params: without_token(params),
                body: body.clone(),
                at_ms: now_ms,
            },
        );
        self.expire(now_ms);
    }

    /// How many tokens are remembered.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.answers.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn a_token_replays_its_first_answer_and_refuses_other_parameters() {
        let mut tokens = ClientTokens::default();
        let first = params(&[("ClientToken", "t1"), ("Name", "a")]);
        assert!(tokens.replay("acct", "Create", &first, 0).is_none());
        let mut body = Body::new();
        body.insert("Id".into(), json!(7));
        tokens.remember("acct", "Create", &first, &body, 0);
        assert_eq!(
            tokens.replay("acct", "Create", &first, 1).unwrap().unwrap(),
            body
        );
        let other = params(&[("ClientToken", "t1"), ("Name", "b")]);
        assert_eq!(
            tokens
                .replay("acct", "Create", &other, 1)
                .unwrap()
                .unwrap_err()
                .code,
            "IdempotentParameterMismatch"
        );
        // Another action or account is another token.
        assert!(tokens.replay("acct", "Delete", &first, 1).is_none());
        assert!(tokens.replay("other", "Create", &first, 1).is_none());
        // Forgotten after a day.
        assert!(
            tokens
                .replay("acct", "Create", &first, TOKEN_LIFETIME_MS)
                .is_none()
        );
        assert_eq!(tokens.len(), 0);
    }

    #[test]
    fn memory_is_bounded() {
        let mut tokens = ClientTokens::default();
        for i in 0..MAX_TOKENS + 50 {
            let p = params(&[("ClientToken", &i.to_string())]);
            tokens.remember("acct", "Create", &p, &Body::new(), 0);
        }
        assert_eq!(tokens.len(), MAX_TOKENS);
    }
}
