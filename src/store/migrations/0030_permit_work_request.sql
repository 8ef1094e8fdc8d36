-- A permit applied for work awarded on the supply platform (动火作业供需对接) names that request, so that the venue
-- sees, on the request, the permits its awarded unit applied for.
ALTER TABLE permits ADD COLUMN work_request_id BIGINT REFERENCES work_requests(id);
CREATE INDEX permits_work_request ON permits(work_request_id) WHERE work_request_id IS NOT NULL;
