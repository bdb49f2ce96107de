-- 0010 the shortage uplift of a catalog entry, apart from its base.  Ningbo 四(四) pays
-- trade-friction employees 30 % above the occupation's standard "not together with the shortage
-- uplift" (不与紧缺岗位工种上浮政策同时享受): to pay the larger single uplift on the base, an entry
-- states which part of its standard is the shortage uplift, so base = standard_fen -
-- shortage_uplift_fen.  0 = not stated: the standard stands as it is (the meaning of every
-- entry published before).  Only a shortage entry has one, and it leaves a base above zero.
-- ADD COLUMN with a constant default rewrites no row and fires no row trigger, so the
-- immutable published rows are untouched.

ALTER TABLE catalog_entry
    ADD COLUMN shortage_uplift_fen bigint NOT NULL DEFAULT 0
        CHECK (shortage_uplift_fen = 0
               OR (shortage AND shortage_uplift_fen > 0 AND shortage_uplift_fen < standard_fen));
