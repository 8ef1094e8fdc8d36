-- A permit's safety measures are written when its job leader confirms them (confirm-risk), each with its
-- label as confirmed; until then the permit shows the enabled measure templates. Creating a permit wrote
-- one unanswered row per template (14 rows and their index entries: a fifth of a create's cost on SQLite),
-- and a permit created before the checklist changed was then confirmed against the old one.
-- A permit's rows were either all unanswered (before confirmation, or after a rejection) or all answered.
DELETE FROM permit_measures WHERE applies IS NULL;
