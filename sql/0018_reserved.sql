-- 0018 is reserved for another branch's migration (the migrations are numbered without gaps,
-- sql/gen_migrations.py); this placeholder changes nothing and lets 0019 build.  The merge
-- replaces it with that migration.
SELECT 1;
