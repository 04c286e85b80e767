//! The singular of a type name, for the item type of a list or the value type of a map:
//! `CertificateOrderList` → `CertificateOrder`, `Tags` → `Tag`, `Policies` → `Policy`,
//! `Addresses` → `Address`, `Statuses` → `Status`.
//!
//! Only the last word changes, by the common English endings; a word that already reads
//! as a singular (`Status`, `Bus`, `Alias`, `Analysis`, `Canvas`, `Address`), an acronym
//! (`Dns`, `Sms`, `Https`) or a word the rule does not know is kept whole, so the result
//! is never a broken word: at worst it is the plural itself.

/// Words whose singular no ending rule gives.
const IRREGULAR: &[(&str, &str)] = &[
    ("Children", "Child"),
    ("People", "Person"),
    ("Men", "Man"),
    ("Women", "Woman"),
    ("Indices", "Index"),
    ("Matrices", "Matrix"),
    ("Vertices", "Vertex"),
    ("Criteria", "Criterion"),
    ("Caches", "Cache"),
    ("Niches", "Niche"),
    ("Movies", "Movie"),
    ("Cookies", "Cookie"),
    ("Zombies", "Zombie"),
    ("Rookies", "Rookie"),
    ("Selfies", "Selfie"),
    ("Pies", "Pie"),
    ("Ties", "Tie"),
    ("Lies", "Lie"),
    ("Dies", "Die"),
    ("Causes", "Cause"),
    ("Clauses", "Clause"),
    ("Houses", "House"),
    ("Pauses", "Pause"),
    ("Uses", "Use"),
    ("Fuses", "Fuse"),
    ("Excuses", "Excuse"),
    ("Purposes", "Purpose"),
    ("Leaves", "Leaf"),
    ("Lives", "Life"),
    ("Knives", "Knife"),
    ("Wives", "Wife"),
    ("Halves", "Half"),
    ("Shelves", "Shelf"),
    ("Heroes", "Hero"),
    ("Potatoes", "Potato"),
    ("Echoes", "Echo"),
    ("Vetoes", "Veto"),
];

/// Words that are the same in both numbers, or singulars that end like a plural.
const KEEP: &[&str] = &[
    "Series",
    "Species",
    "News",
    "Data",
    "Metadata",
    "Media",
    "Info",
    "Gas",
    "Yes",
    "Has",
    "Is",
    "Was",
    "Plus",
    "Minus",
    "Bonus",
    "Campus",
    "Corpus",
    "Status",
    "Bus",
    "Virus",
    "Focus",
    "Census",
    "Atlas",
    "Alias",
    "Canvas",
    "Bias",
    "Chaos",
    "Ethos",
    "Kudos",
    "Lens",
    "Https",
    "Alas",
    "Christmas",
    "Always",
    "Perhaps",
    "Whereas",
    "Thus",
    "Analytics",
    "Statistics",
    "Physics",
    "Economics",
    "Mathematics",
    "Logistics",
    "Diagnostics",
    "Ops",
    "DevOps",
    "Express",
    "Access",
    "Success",
    "Less",
    "Unless",
];

/// The singular of `name`, an UpperCamelCase type name.
pub fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("List").filter(|stem| !stem.is_empty()) {
        return stem.to_owned();
    }
    let start = last_word_start(name);
    let (head, word) = name.split_at(start);
    format!("{head}{}", singular_word(word))
}

/// Where the last word of an UpperCamelCase name starts.
fn last_word_start(name: &str) -> usize {
    name.char_indices()
        .rev()
        .find(|&(_, c)| c.is_ascii_uppercase() || c.is_ascii_digit())
        .map_or(0, |(index, _)| index)
}

/// The singular of one capitalised word.
fn singular_word(word: &str) -> String {
    if let Some(&(_, singular)) = IRREGULAR.iter().find(|(plural, _)| *plural == word) {
        return singular.to_owned();
    }
    // Three letters or fewer ending in `s` are acronyms (`Dns`, `Sms`, `Ecs`), except
    // the common plurals of two-letter ones.
    if KEEP.contains(&word) || (word.len() <= 3 && !matches!(word, "Ids" | "Ips" | "Vms" | "Ous")) {
        return word.to_owned();
    }
    let lower = word.to_ascii_lowercase();
    let cut = |drop: usize, add: &str| format!("{}{add}", &word[..word.len() - drop]);
    if lower.ends_with("ies") {
        return cut(3, "y");
    }
    if lower.ends_with("yses") {
        return cut(2, "is");
    }
    if lower.ends_with("sses")
        || lower.ends_with("xes")
        || lower.ends_with("ches")
        || lower.ends_with("shes")
        || lower.ends_with("zzes")
        || lower.ends_with("tuses")
        || lower.ends_with("buses")
        || lower.ends_with("ruses")
    {
        return cut(2, "");
    }
    let already_singular = lower.ends_with("ss")
        || lower.ends_with("us")
        || lower.ends_with("is")
        || lower.ends_with("ias")
        || lower.ends_with("vas")
        || lower.ends_with("tlas");
    if lower.ends_with('s') && !already_singular {
        return cut(1, "");
    }
    word.to_owned()
}

#[cfg(test)]
mod tests {
    use super::singular;

    #[test]
    fn common_endings() {
        for (plural, expected) in [
            ("CertificateOrderList", "CertificateOrder"),
            ("Tags", "Tag"),
            ("Policies", "Policy"),
            ("Addresses", "Address"),
            ("Statuses", "Status"),
            ("CertificateStatuses", "CertificateStatus"),
            ("Boxes", "Box"),
            ("Matches", "Match"),
            ("Hashes", "Hash"),
            ("Analyses", "Analysis"),
            ("Responses", "Response"),
            ("Quotas", "Quota"),
            ("Caches", "Cache"),
            ("Viruses", "Virus"),
            ("Buses", "Bus"),
            ("InstanceIds", "InstanceId"),
            ("Ips", "Ip"),
            ("Children", "Child"),
            ("Sizes", "Size"),
            ("Causes", "Cause"),
        ] {
            assert_eq!(singular(plural), expected, "{plural}");
        }
    }

    #[test]
    fn singulars_and_acronyms_are_kept() {
        for word in [
            "CertificateStatus",
            "Status",
            "Bus",
            "Alias",
            "DomainAlias",
            "Analysis",
            "Canvas",
            "Address",
            "Dns",
            "PrivateDns",
            "Sms",
            "Https",
            "Series",
            "Data",
            "Info",
            "Statistics",
            "Item",
            "Access",
            "V2048",
        ] {
            assert_eq!(singular(word), word, "{word}");
        }
    }
}
