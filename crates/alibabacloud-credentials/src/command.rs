//! Splitting a `process_command` into a program and its arguments, quote-aware and without
//! a shell: nothing is expanded, piped or redirected.

/// Splits `command` into words.
///
/// Words are separated by unquoted whitespace. `'...'` keeps everything inside as it is;
/// `"..."` too, except that a backslash before `"` (and on Unix before `\`, `$` or a
/// backtick) stands for that character. Outside quotes, on Unix a backslash makes the next
/// character literal; on Windows a backslash is always an ordinary character, so that paths
/// such as `C:\tools\helper.exe` need no quoting. `""` is an empty word. The error says what
/// is wrong without quoting the command (it may hold a secret).
pub(crate) fn split(command: &str) -> Result<Vec<String>, String> {
    split_for(command, cfg!(windows))
}

fn split_for(command: &str, windows: bool) -> Result<Vec<String>, String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Quote {
        None,
        Single,
        Double,
    }
    let mut words = Vec::new();
    let mut word = String::new();
    // A word has begun (even an empty one, as `""`).
    let mut started = false;
    let mut quote = Quote::None;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Quote::Single => {
                if c == '\'' {
                    quote = Quote::None;
                } else {
                    word.push(c);
                }
            }
            Quote::Double => match c {
                '"' => quote = Quote::None,
                '\\' => {
                    let escapable = |next: char| {
                        next == '"' || (!windows && matches!(next, '\\' | '$' | '`' | '\n'))
                    };
                    match chars.peek().copied() {
                        Some('\n') if !windows => {
                            chars.next();
                        }
                        Some(next) if escapable(next) => {
                            word.push(next);
                            chars.next();
                        }
                        _ => word.push('\\'),
                    }
                }
                _ => word.push(c),
            },
            Quote::None => match c {
                '\'' => {
                    quote = Quote::Single;
                    started = true;
                }
                '"' => {
                    quote = Quote::Double;
                    started = true;
                }
                '\\' if !windows => match chars.next() {
                    Some('\n') => {}
                    Some(next) => {
                        word.push(next);
                        started = true;
                    }
                    None => return Err("the command ends with a lone backslash".to_owned()),
                },
                c if c.is_whitespace() => {
                    if started {
                        words.push(std::mem::take(&mut word));
                        started = false;
                    }
                }
                c => {
                    word.push(c);
                    started = true;
                }
            },
        }
    }
    match quote {
        Quote::Single => return Err("the command has an unclosed single quote".to_owned()),
        Quote::Double => return Err("the command has an unclosed double quote".to_owned()),
        Quote::None => {}
    }
    if started {
        words.push(word);
    }
    if words.is_empty() {
        return Err("the command is empty".to_owned());
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::split_for;

    fn unix(command: &str) -> Vec<String> {
        split_for(command, false).unwrap()
    }

    #[test]
    fn words_quotes_and_escapes_on_unix() {
        assert_eq!(
            unix("  helper  --profile  x "),
            ["helper", "--profile", "x"]
        );
        assert_eq!(
            unix(r#"'/opt/my tools/helper' "a b" c\ d '' "" e"#),
            ["/opt/my tools/helper", "a b", "c d", "", "", "e"]
        );
        assert_eq!(unix(r#"echo '{"k":"v"}'"#), ["echo", r#"{"k":"v"}"#]);
        assert_eq!(
            unix(r#""say \"hi\" \$HOME \x" 'no \escape'"#),
            [r#"say "hi" $HOME \x"#, r"no \escape"]
        );
        assert_eq!(unix("a\\\nb"), ["ab"], "backslash-newline joins");
        assert_eq!(unix("pre'mid'\"post\""), ["premidpost"]);
        assert_eq!(unix("$HOME;|>x"), ["$HOME;|>x"], "no shell syntax");
    }

    #[test]
    fn backslashes_are_literal_on_windows() {
        assert_eq!(
            split_for(r#"C:\tools\helper.exe "C:\Program Files\x" "q\"q""#, true).unwrap(),
            [r"C:\tools\helper.exe", r"C:\Program Files\x", "q\"q"]
        );
    }

    #[test]
    fn malformed_commands_are_errors_that_do_not_quote_them() {
        for (command, expected) in [
            ("", "empty"),
            ("   ", "empty"),
            ("helper 'secret", "unclosed single quote"),
            ("helper \"secret", "unclosed double quote"),
            ("helper secret\\", "lone backslash"),
        ] {
            let error = split_for(command, false).unwrap_err();
            assert!(error.contains(expected), "{command:?}: {error}");
            assert!(!error.contains("secret"), "{error}");
        }
    }
}
