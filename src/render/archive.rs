//! The year archive: `/archive/` lists the years with their counts of briefings, and
//! `/archive/<year>/` lists one year's briefings by month, newest first.
//!
//! Both pages render through the theme (`archive.html`, `archive_year.html`) with the same
//! briefing cards as other lists. This module groups briefings; it does not order them (the
//! site's list is already newest first).

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::index::routes::{ARCHIVE_PATH, year_path};
use crate::index::{group, years};
use crate::render::{BriefingCard, Made, Renderer};

#[derive(Serialize)]
struct YearLink {
    year: i16,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct MonthView<'a> {
    /// `August 2023`.
    heading: String,
    /// `2023-08`: the fragment that links to this month.
    id: String,
    count: usize,
    briefings: Vec<BriefingCard<'a>>,
}

fn year_link(renderer: &Renderer, year: i16, count: usize) -> YearLink {
    YearLink {
        year,
        url: renderer.link(&year_path(year)),
        count,
    }
}

/// `/archive/`: every year with its count.
pub(crate) fn archive_page(renderer: &Renderer) -> Result<Made, Diagnostic> {
    let site = renderer.site;
    let description = "Every briefing in the archive, by year.";
    let mut context = renderer.context(ARCHIVE_PATH, "Archive", description, None);
    let years: Vec<YearLink> = years(site)
        .into_iter()
        .map(|(year, indices)| year_link(renderer, year, indices.len()))
        .collect();
    context.insert("years", &years);
    context.insert("total", &site.briefings.len());
    renderer.finish("archive.html", ARCHIVE_PATH, &context)
}

/// `/archive/<year>/`: one year's briefings by month, with links to the years around it.
pub(crate) fn year_page(renderer: &Renderer, year: i16) -> Result<Made, Diagnostic> {
    let site = renderer.site;
    let all_years = years(site);
    let position = all_years
        .iter()
        .position(|(y, _)| *y == year)
        .unwrap_or_default();
    let indices = all_years
        .get(position)
        .map(|(_, indices)| indices.clone())
        .unwrap_or_default();
    let path = year_path(year);
    let title = format!("Briefings of {year}");
    let description = format!(
        "{} briefing{} from {year}, by month.",
        indices.len(),
        if indices.len() == 1 { "" } else { "s" }
    );
    let mut context = renderer.context(&path, &title, &description, None);

    let by_month = group(
        indices
            .iter()
            .map(|&i| (site.briefings[i].briefing.date.day().month(), i)),
    );
    let months: Vec<MonthView> = by_month
        .into_iter()
        .map(|(month, indices)| {
            let date = &site.briefings[indices[0]].briefing.date;
            MonthView {
                heading: date.month_heading(),
                id: format!("{year}-{month:02}"),
                count: indices.len(),
                briefings: renderer.cards(indices),
            }
        })
        .collect();
    // Years are newest first: the newer year comes before this one.
    let newer = position.checked_sub(1).and_then(|i| all_years.get(i));
    let older = all_years.get(position + 1);
    context.insert("year", &year);
    context.insert("count", &indices.len());
    context.insert("months", &months);
    context.insert(
        "newer_year",
        &newer.map(|(y, i)| year_link(renderer, *y, i.len())),
    );
    context.insert(
        "older_year",
        &older.map(|(y, i)| year_link(renderer, *y, i.len())),
    );
    context.insert("archive_url", &renderer.link(ARCHIVE_PATH));
    renderer.finish("archive_year.html", &path, &context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_runs_of_equal_keys_in_order() {
        let items = [(2024, 0), (2024, 1), (2023, 2), (2022, 3), (2022, 4)];
        let groups = group(items.into_iter());
        assert_eq!(
            groups,
            vec![(2024, vec![0, 1]), (2023, vec![2]), (2022, vec![3, 4])]
        );
    }
}
