-- 0009 a year-wide figure of a catalog version: some policy rows read one figure for the whole
-- city and year rather than an occupation and level (`catalog = year_only` in the policy file).
-- Ningbo's living allowance is capped at the minimum living standard (四(四)); Yancheng's is paid
-- at a daily rate the document leaves to the catalog (四(三)2).  Each version carries its own
-- figure or none: the version in force decides, as it does for the entries.  The column is added
-- to immutable rows without touching them (ADD COLUMN fires no row trigger), and a version with
-- only this figure may have no entries.

ALTER TABLE catalog
    ADD COLUMN year_standard_fen bigint CHECK (year_standard_fen BETWEEN 0 AND 1000000000000);
