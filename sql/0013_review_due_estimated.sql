-- 0013 a review deadline counted over a year whose working-day calendar was not loaded is an
-- estimate (that year's weekends only, none of its holidays or make-up days): the claim says so,
-- as it was when the deadline was set, since loading the year later does not move the date.
ALTER TABLE claim ADD COLUMN review_due_estimated boolean NOT NULL DEFAULT false;
GRANT UPDATE (review_due_estimated) ON claim TO subsidy_app;
