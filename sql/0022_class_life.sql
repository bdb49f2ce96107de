-- 0022 a class's life after filing (src/rules/domain/WORKFLOW.md "Class"): accept, reject,
-- start and cancel move the class's state (sr_class_transition), each step on the timeline with
-- the deadline of the step that follows it (承诺时限), and the class keeps that deadline.  A
-- rejected or cancelled class frees its trainees' places through the trigger of 0021.
ALTER TABLE class_event ADD COLUMN deadline date;
GRANT UPDATE (deadline, deadline_estimated) ON class TO subsidy_app;

-- Completion (结业): per trainee of the live roster the hours attended and whether they passed,
-- written once when the class moves from running to completed.
ALTER TABLE class_roster_entry
    ADD COLUMN attendance_hours int CHECK (attendance_hours BETWEEN 0 AND 10000),
    ADD COLUMN passed boolean,
    ADD COLUMN completed_at timestamptz;
GRANT UPDATE (attendance_hours, passed, completed_at) ON class_roster_entry TO subsidy_app;
