-- Stage 7, Review: the numbers a review says (its WeeklyReview, as JSON), so its page on the
-- server is drawn from them. Reviews archived before this column have none; their page is the
-- HTML archived with them. From here on, html is the offline page with its images beside it.
alter table reviews add column numbers varchar;
