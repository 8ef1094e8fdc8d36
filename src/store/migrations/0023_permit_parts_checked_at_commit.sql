-- PostgreSQL writes a new permit's row last, at commit, so that the day's number counter stays locked only for the
-- statements sent with the COMMIT (app/permits.cpp, insert_draft); the rows a create writes before it refer to it,
-- so their references to the permit are checked at commit instead of at once. SQLite's single writer writes the
-- permit first and keeps its immediate checks.
-- @postgresql
ALTER TABLE permit_workers ALTER CONSTRAINT permit_workers_permit_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE permit_machines ALTER CONSTRAINT permit_machines_permit_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE permit_participants ALTER CONSTRAINT permit_participants_permit_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE permit_events ALTER CONSTRAINT permit_events_permit_id_fkey DEFERRABLE INITIALLY DEFERRED;
-- @end
