//! The year archive: `/archive/` lists the years with their counts of briefings, and
//! `/archive/<year>/` lists one year's briefings by month, newest first.
//!
//! Both pages render through the theme (`archive.html`, `archive_year.html`) with the same
//! briefing cards as other lists. This module groups briefings; it does not order them (the
//! site's list is already newest first).

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::index::group;
use crate::index::routes::{ARCHIVE_PATH, year_page_path, year_path};
use crate::render::context::PerBriefing;
use crate::render::jobs::{list_page_count, list_page_range};
use crate::render::{BriefingCard, Made, Renderer};

#[derive(Serialize)]
struct YearLink {
    year: i16,
    url: String,
    count: usize,
}

/// A month of the year in the list of months at the top of each page of the year.
#[derive(Serialize)]
struct MonthLink {
    heading: String,
    /// The page where the month's first briefing is, with the month's fragment.
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
    briefings: Vec<PerBriefing<BriefingCard<'a>>>,
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
    let strings = renderer.strings();
    let description = strings.get("archive_description");
    let mut context = renderer.context(ARCHIVE_PATH, strings.get("archive"), description, None);
    let years: Vec<YearLink> = site
        .years
        .iter()
        .map(|(year, indices)| year_link(renderer, *year, indices.len()))
        .collect();
    context.insert("years", &years);
    context.insert("total", &site.briefing_count());
    renderer.finish("archive.html", ARCHIVE_PATH, &context)
}

/// Page `number` of `/archive/<year>/`: its share of the year's briefings by month, with
/// links to every month of the year and to the years around it.
pub(crate) fn year_page(renderer: &Renderer, year: i16, number: usize) -> Result<Made, Diagnostic> {
    let site = renderer.site;
    let all_years = &site.years;
    let position = all_years
        .iter()
        .position(|(y, _)| *y == year)
        .unwrap_or_default();
    let indices = all_years
        .get(position)
        .map(|(_, indices)| indices.as_slice())
        .unwrap_or_default();
    let total = list_page_count(indices.len());
    let shown = list_page_range(indices.len(), number);
    let path = year_page_path(year, number);
    let strings = renderer.strings();
    let year_text = year.to_string();
    let mut title = strings.fill("briefings_of", &[("year", &year_text)]);
    let mut description = strings.counted(
        "year_description",
        indices.len() as i64,
        &[("year", &year_text)],
    );
    if number > 1 {
        title = renderer.paged("title_page", &title, number, total);
        description = renderer.paged("description_page", &description, number, total);
    }
    let mut context = renderer.context(&path, &title, &description, None);

    let month_of = |i: usize| site.entry(i).briefing.date.day().month();
    let month_id = |month: i8| format!("{year}-{month:02}");
    let mut start = 0;
    let month_links: Vec<MonthLink> = group(indices.iter().map(|&i| (month_of(i), i)))
        .into_iter()
        .map(|(month, members)| {
            let page = start / crate::render::jobs::LIST_PAGE_SIZE + 1;
            start += members.len();
            let date = &site.entry(members[0]).briefing.date;
            MonthLink {
                heading: strings.month_heading(date.day()),
                url: format!(
                    "{}#{}",
                    renderer.link(&year_page_path(year, page)),
                    month_id(month)
                ),
                count: members.len(),
            }
        })
        .collect();
    let months: Vec<MonthView> = group(indices[shown.clone()].iter().map(|&i| (month_of(i), i)))
        .into_iter()
        .map(|(month, members)| {
            let date = &site.entry(members[0]).briefing.date;
            MonthView {
                heading: strings.month_heading(date.day()),
                id: month_id(month),
                count: members.len(),
                briefings: renderer.cards(members),
            }
        })
        .collect();
    // Years are newest first: the newer year comes before this one.
    let newer = position.checked_sub(1).and_then(|i| all_years.get(i));
    let older = all_years.get(position + 1);
    context.insert("year", &year);
    context.insert("count", &indices.len());
    context.insert("month_links", &month_links);
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
    let pagination = renderer.pagination(number, total, shown, indices.len(), |n| {
        renderer.link(&year_page_path(year, n))
    });
    context.insert("pagination", &pagination);
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
