//! The date of a briefing: a calendar day, or an instant with the offset it was written with.
//!
//! Writers give `2023-08-24` or `2023-08-24T06:50:00+09:00`; this module parses both (with
//! jiff), orders them, and formats them for machines (feeds, `<time datetime>`); words for
//! readers, in the site's language, are `i18n`'s. It does not know about front
//! matter or diagnostics.

use std::cmp::Ordering;

use jiff::civil::{Date, DateTime, Time};
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::Offset;

/// When a launch happened (or is planned), as precisely as the writer said.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LaunchDate {
    /// The local date and time; time is midnight for a date-only value.
    local: DateTime,
    /// The UTC offset of a date-time; `None` for a date-only value.
    offset: Option<Offset>,
}

impl LaunchDate {
    /// Parses `YYYY-MM-DD` or an RFC 3339 date-time with an offset (`Z` counts as one).
    pub fn parse(text: &str) -> Option<LaunchDate> {
        let text = text.trim();
        if text.len() == 10 {
            let date: Date = text.parse().ok()?;
            return Some(LaunchDate {
                local: date.to_datetime(Time::midnight()),
                offset: None,
            });
        }
        // Both must hold: jiff's Timestamp parser insists on an offset, and Pieces keeps the
        // local wall-clock time that the writer meant.
        text.parse::<jiff::Timestamp>().ok()?;
        let pieces = Pieces::parse(text).ok()?;
        let offset = match pieces.offset()? {
            PiecesOffset::Zulu => Offset::UTC,
            PiecesOffset::Numeric(numeric) => numeric.offset(),
            _ => return None,
        };
        if !is_real_offset(offset) {
            return None;
        }
        let local = pieces
            .date()
            .to_datetime(pieces.time().unwrap_or(Time::midnight()));
        Some(LaunchDate {
            local,
            offset: Some(offset),
        })
    }

    /// A date-only value for `day`.
    pub fn from_day(day: Date) -> LaunchDate {
        LaunchDate {
            local: day.to_datetime(Time::midnight()),
            offset: None,
        }
    }

    /// The calendar day the writer gave.
    pub fn day(&self) -> Date {
        self.local.date()
    }

    /// The year, for archive pages.
    pub fn year(&self) -> i16 {
        self.local.year()
    }

    /// The day in UTC: the day given for a date-only value, else the UTC day of the instant
    /// (`2023-11-22T01:00:00+09:00` flew on 21 November UTC). Launch records count in UTC.
    pub fn utc_day(&self) -> Date {
        let Some(offset) = self.offset else {
            return self.day();
        };
        offset.to_timestamp(self.local).map_or_else(
            |_| self.day(),
            |instant| instant.to_zoned_datetime(jiff::tz::TimeZone::UTC).date(),
        )
    }

    /// The date and wall-clock time as the writer wrote them (midnight for a date alone).
    pub fn local(&self) -> DateTime {
        self.local
    }

    /// The instant in UTC, for a date written with a time; `None` for a date alone.
    pub fn utc(&self) -> Option<DateTime> {
        let instant = self.offset?.to_timestamp(self.local).ok()?;
        Some(
            instant
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .datetime(),
        )
    }

    /// `2023-08-24`: for `<time datetime>` of date-only values and for open data.
    pub fn iso_day(&self) -> String {
        self.day().to_string()
    }

    /// The value for `<time datetime>`: the day, or the full date-time with its offset.
    pub fn machine(&self) -> String {
        match self.offset {
            None => self.iso_day(),
            Some(_) => self.rfc3339(),
        }
    }

    /// RFC 3339 with offset, midnight UTC for a date-only value (feeds need a time).
    pub fn rfc3339(&self) -> String {
        let offset = self.offset.unwrap_or(Offset::UTC);
        match offset.to_timestamp(self.local) {
            Ok(instant) => instant
                .to_zoned_datetime(offset.to_time_zone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
                .replace("+00:00", "Z"),
            Err(_) => format!("{}T00:00:00Z", self.iso_day()),
        }
    }

    /// Whether the launch is after `today` (then it is upcoming).
    pub fn is_after(&self, today: Date) -> bool {
        self.day() > today
    }
}

impl Ord for LaunchDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.local.cmp(&other.local).then_with(|| {
            let seconds = |o: &Option<Offset>| o.map_or(0, |o| o.seconds());
            seconds(&other.offset).cmp(&seconds(&self.offset))
        })
    }
}

impl PartialOrd for LaunchDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Offsets that some place on Earth uses: from -12:00 (Baker Island) to +14:00 (Kiribati).
/// RFC 3339 allows up to ±23:59 and jiff more; an offset beyond these is a typo.
fn is_real_offset(offset: Offset) -> bool {
    (-12 * 3600..=14 * 3600).contains(&offset.seconds())
}

/// The offset of a date-time that would be valid but for an offset no place uses
/// (`+25:00`), as written, so that the error can name it.
pub fn unreal_offset(text: &str) -> Option<String> {
    let pieces = Pieces::parse(text.trim()).ok()?;
    let PiecesOffset::Numeric(numeric) = pieces.offset()? else {
        return None;
    };
    let offset = numeric.offset();
    (!is_real_offset(offset)).then(|| offset.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_must_be_real() {
        assert!(LaunchDate::parse("2023-01-01T00:00:00+14:00").is_some());
        assert!(LaunchDate::parse("2023-01-01T00:00:00-12:00").is_some());
        for bad in [
            "2023-01-01T00:00:00+25:00",
            "2023-01-01T00:00:00-13:00",
            "2023-01-01T00:00:00+14:01",
        ] {
            assert!(LaunchDate::parse(bad).is_none(), "{bad}");
            assert!(unreal_offset(bad).is_some(), "{bad}");
        }
        assert_eq!(unreal_offset("2023-01-01T00:00:00+09:00"), None);
    }

    #[test]
    fn parses_days_and_date_times() {
        let day = LaunchDate::parse("2023-08-24").unwrap();
        assert_eq!(day.machine(), "2023-08-24");
        assert_eq!(day.rfc3339(), "2023-08-24T00:00:00Z");
        let time = LaunchDate::parse("2023-11-21T22:42:00+09:00").unwrap();
        assert_eq!(time.iso_day(), "2023-11-21");
        assert_eq!(time.machine(), "2023-11-21T22:42:00+09:00");
        assert_eq!(
            LaunchDate::parse("2024-01-28T00:04:00Z").unwrap().rfc3339(),
            "2024-01-28T00:04:00Z"
        );
    }

    #[test]
    fn utc_day_follows_the_offset() {
        assert_eq!(
            LaunchDate::parse("2023-11-22T01:00:00+09:00")
                .unwrap()
                .utc_day()
                .to_string(),
            "2023-11-21"
        );
        assert_eq!(
            LaunchDate::parse("2023-11-21T22:42:00+09:00")
                .unwrap()
                .utc_day()
                .to_string(),
            "2023-11-21"
        );
        assert_eq!(
            LaunchDate::parse("2023-11-21")
                .unwrap()
                .utc_day()
                .to_string(),
            "2023-11-21"
        );
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "2023-13-01",
            "2023-02-30",
            "24/08/2023",
            "2023-08-24T06:50:00",
            "yesterday",
            "",
        ] {
            assert!(LaunchDate::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn orders_by_local_time() {
        let a = LaunchDate::parse("2023-08-24").unwrap();
        let b = LaunchDate::parse("2023-08-24T06:50:00+09:00").unwrap();
        let c = LaunchDate::parse("2023-08-25").unwrap();
        assert!(a < b && b < c);
    }
}
