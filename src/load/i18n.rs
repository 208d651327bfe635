//! The fixed strings of the default theme in the site's language: month names, date formats,
//! headings, labels. apogee ships tables for en, fr, de, es, ja, ko, ru and zh (`i18n/*.yaml`
//! beside this module); `strings:` in `site.yaml` overrides any of them.
//!
//! Month names and date formats come from these small tables rather than from ICU (see the
//! commit that added this module): eight languages need 24 month names and two patterns
//! each, while `icu_datetime` with its compiled data would add dozens of crates and
//! megabytes to the binary. This module knows nothing of templates; `render` hands
//! [`Strings`] to them.

use std::collections::BTreeMap;

use jiff::civil::{Date, Time};

/// The languages apogee ships strings for, with their tables. English comes first: it is
/// the fallback, and every other table has exactly its keys.
const TABLES: &[(&str, &str)] = &[
    ("en", include_str!("i18n/en.yaml")),
    ("de", include_str!("i18n/de.yaml")),
    ("es", include_str!("i18n/es.yaml")),
    ("fr", include_str!("i18n/fr.yaml")),
    ("ja", include_str!("i18n/ja.yaml")),
    ("ko", include_str!("i18n/ko.yaml")),
    ("ru", include_str!("i18n/ru.yaml")),
    ("zh", include_str!("i18n/zh.yaml")),
];

/// Every fixed string of the theme, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strings {
    /// The shipped language these strings start from (`fr` for `fr-CA`; `en` for any
    /// language apogee has no table for).
    language: &'static str,
    table: BTreeMap<String, String>,
}

/// A key of `strings:` that no table has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownString {
    /// The key as written.
    pub key: String,
    /// Every key there is, for a did-you-mean.
    pub known: Vec<String>,
}

impl Default for Strings {
    fn default() -> Self {
        Strings::english()
    }
}

impl Strings {
    /// The English strings.
    pub fn english() -> Strings {
        Strings {
            language: "en",
            table: parse_table(TABLES[0].1),
        }
    }

    /// The strings for the BCP 47 tag `language` (its primary subtag picks the table:
    /// `zh-Hant` reads `zh`), with `overrides` on top. English fills in a language that
    /// apogee does not ship.
    pub fn for_language(
        language: &str,
        overrides: &BTreeMap<String, String>,
    ) -> Result<Strings, Vec<UnknownString>> {
        let mut strings = Strings::english();
        let primary = language
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if let Some((name, text)) = TABLES.iter().find(|(name, _)| *name == primary) {
            strings.language = name;
            strings.table.extend(parse_table(text));
        }
        let unknown: Vec<UnknownString> = overrides
            .keys()
            .filter(|key| !strings.table.contains_key(*key))
            .map(|key| UnknownString {
                key: key.clone(),
                known: strings.table.keys().cloned().collect(),
            })
            .collect();
        if !unknown.is_empty() {
            return Err(unknown);
        }
        strings.table.extend(overrides.clone());
        Ok(strings)
    }

    /// The shipped language in use (`en` when the site's has no table).
    pub fn language(&self) -> &'static str {
        self.language
    }

    /// Every string by key (what templates see).
    pub fn table(&self) -> &BTreeMap<String, String> {
        &self.table
    }

    /// The string of `key`; a key no table has comes back as itself, so that a theme's typo
    /// shows on the page instead of vanishing.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.table.get(key).map_or(key, String::as_str)
    }

    /// The string of `key` for the count `n` (its `_one` form when `n` is one, in French
    /// also zero), with `{n}` and each of `fill` put in.
    pub fn counted(&self, key: &str, n: i64, fill: &[(&str, &str)]) -> String {
        let one = format!("{key}_one");
        let key = if self.is_one(n) && self.table.contains_key(&one) {
            one.as_str()
        } else {
            key
        };
        let mut text = self.fill(key, fill);
        if text.contains("{n}") {
            text = text.replace("{n}", &n.to_string());
        }
        text
    }

    /// The string of `key` with each `{name}` of `fill` put in.
    pub fn fill(&self, key: &str, fill: &[(&str, &str)]) -> String {
        fill_in(self.get(key), fill)
    }

    fn is_one(&self, n: i64) -> bool {
        match self.language {
            "fr" => n == 0 || n == 1,
            _ => n == 1,
        }
    }

    /// `24 August 2023`, `24 août 2023`, `2023年8月24日`.
    pub fn day(&self, day: Date) -> String {
        let month = self.get(&format!("month_date_{}", day.month())).to_owned();
        self.fill(
            "date_format",
            &[
                ("day", &day.day().to_string()),
                ("month", &month),
                ("month_number", &day.month().to_string()),
                ("year", &day.year().to_string()),
            ],
        )
    }

    /// `August 2023`, for archive headings.
    pub fn month_heading(&self, day: Date) -> String {
        let month = self.get(&format!("month_{}", day.month())).to_owned();
        self.fill(
            "month_format",
            &[
                ("month", &month),
                ("month_number", &day.month().to_string()),
                ("year", &day.year().to_string()),
            ],
        )
    }

    /// `13:42 UTC`.
    pub fn time_utc(&self, time: Time) -> String {
        let time = time.strftime("%H:%M").to_string();
        self.fill("time_utc", &[("time", &time)])
    }

    /// `21 November 2023, 13:42 UTC`.
    pub fn day_and_time_utc(&self, day: Date, time: Time) -> String {
        let date = self.day(day);
        let time = self.time_utc(time);
        self.fill("date_time_utc", &[("date", &date), ("time", &time)])
    }

    /// `format` (jiff's strftime) with `%B` and `%b` in this language, for the `date` filter.
    pub fn strftime(&self, when: &jiff::civil::DateTime, format: &str) -> String {
        let month = self.get(&format!("month_{}", when.month())).to_owned();
        let month_date = self.get(&format!("month_date_{}", when.month())).to_owned();
        let short: String = month.chars().take(3).collect();
        // Month names go in escaped, so that a `%` in one cannot start a directive.
        let format = format
            .replace("%B", &month_date.replace('%', "%%"))
            .replace("%b", &short.replace('%', "%%"));
        jiff::fmt::strtime::format(format.as_bytes(), *when).unwrap_or_else(|_| when.to_string())
    }
}

fn parse_table(text: &str) -> BTreeMap<String, String> {
    serde_yaml::from_str(text).unwrap_or_default()
}

/// `text` with each `{name}` of `fill` replaced by its value, in one pass: a placeholder that
/// `fill` does not name stays as written, and a value is never searched for placeholders.
fn fill_in(text: &str, fill: &[(&str, &str)]) -> String {
    let mut filled = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            fill.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value, close))
        });
        match value {
            Some((value, close)) => {
                filled.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                filled.push('{');
                rest = after;
            }
        }
    }
    filled.push_str(rest);
    filled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_in_replaces_named_placeholders_once_and_keeps_the_rest() {
        let fill = [("day", "4"), ("month", "{day}")];
        assert_eq!(fill_in("{day} {month} {year}", &fill), "4 {day} {year}");
        assert_eq!(fill_in("{ {day}} {", &fill), "{ 4} {");
        assert_eq!(fill_in("no braces", &fill), "no braces");
        assert_eq!(fill_in("{day", &fill), "{day");
    }

    #[test]
    fn every_language_has_every_key_and_nothing_else() {
        let english = parse_table(TABLES[0].1);
        assert!(english.len() > 100, "the English table parses");
        for (name, text) in TABLES {
            let table: BTreeMap<String, String> =
                serde_yaml::from_str(text).unwrap_or_else(|error| panic!("{name}.yaml: {error}"));
            let missing: Vec<&String> =
                english.keys().filter(|k| !table.contains_key(*k)).collect();
            let extra: Vec<&String> = table.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{name} lacks {missing:?}");
            assert!(extra.is_empty(), "{name} has unknown {extra:?}");
            for (key, value) in &table {
                // A `_one` form may name `{n}` even where English writes "1".
                let mut wanted = placeholders(&english[key]);
                if let Some(many) = key.strip_suffix("_one") {
                    wanted.extend(placeholders(&english[many]));
                }
                let found = placeholders(value);
                assert!(
                    found
                        .iter()
                        .all(|p| wanted.contains(p) || p == "month_number"),
                    "{name}.{key} uses {found:?}, English {wanted:?}"
                );
            }
        }
    }

    fn placeholders(text: &str) -> Vec<String> {
        text.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
            .collect()
    }

    #[test]
    fn dates_follow_the_language() {
        let day = Date::new(2023, 11, 21).unwrap();
        let none = BTreeMap::new();
        let in_lang = |l: &str| Strings::for_language(l, &none).unwrap();
        assert_eq!(in_lang("en").day(day), "21 November 2023");
        assert_eq!(in_lang("fr").day(day), "21 novembre 2023");
        assert_eq!(in_lang("ko").day(day), "2023년 11월 21일");
        assert_eq!(in_lang("ru").day(day), "21 ноября 2023 г.");
        assert_eq!(in_lang("ru").month_heading(day), "Ноябрь 2023");
        assert_eq!(in_lang("zh-Hans").day(day), "2023年11月21日");
        assert_eq!(
            in_lang("pt").day(day),
            "21 November 2023",
            "English fills in"
        );
        assert_eq!(
            in_lang("fr").day_and_time_utc(day, Time::new(13, 42, 0, 0).unwrap()),
            "21 novembre 2023 à 13:42 UTC"
        );
    }

    #[test]
    fn counts_pick_the_singular_form() {
        let none = BTreeMap::new();
        let en = Strings::for_language("en", &none).unwrap();
        assert_eq!(en.counted("briefings_count", 1, &[]), "1 briefing");
        assert_eq!(en.counted("briefings_count", 0, &[]), "0 briefings");
        let fr = Strings::for_language("fr", &none).unwrap();
        assert_eq!(fr.counted("briefings_count", 0, &[]), "0 note");
    }

    #[test]
    fn overrides_replace_strings_and_typos_are_refused() {
        let mut overrides = BTreeMap::new();
        overrides.insert("latest_briefings".to_owned(), "Dernières notes".to_owned());
        let fr = Strings::for_language("fr", &overrides).unwrap();
        assert_eq!(fr.get("latest_briefings"), "Dernières notes");
        overrides.insert("latest_briefing".to_owned(), "x".to_owned());
        let unknown = Strings::for_language("fr", &overrides).unwrap_err();
        assert_eq!(unknown[0].key, "latest_briefing");
    }

    #[test]
    fn the_date_filter_names_months_in_the_language() {
        let none = BTreeMap::new();
        let de = Strings::for_language("de", &none).unwrap();
        let when = Date::new(2024, 3, 5).unwrap().to_datetime(Time::midnight());
        assert_eq!(de.strftime(&when, "%-d. %B %Y"), "5. März 2024");
        assert_eq!(de.strftime(&when, "%Y-%m-%d"), "2024-03-05");
    }
}
