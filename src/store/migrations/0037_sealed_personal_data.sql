-- 等保 2.0 数据保密性 (重要个人信息) and 个人信息保护: people's 身份证号 and phones, certificate numbers (a 特种作业操作证's
-- is "T" + the holder's 身份证号), users' and public reporters' phones are stored sealed under the field key
-- (app/personal_data.h); values stored in the clear by earlier versions are sealed at the next start. Beside the
-- values that are looked up, their keyed hash for exact matches (uniqueness, search by the whole value, import
-- matching); NULL until sealed, and for an empty phone.
ALTER TABLE people ADD COLUMN citizen_id_hash TEXT;
ALTER TABLE people ADD COLUMN phone_hash TEXT;
ALTER TABLE certificates ADD COLUMN number_hash TEXT;
ALTER TABLE users ADD COLUMN phone_hash TEXT;
CREATE UNIQUE INDEX people_citizen_id_hash ON people(citizen_id_hash);
CREATE INDEX people_phone_hash ON people(phone_hash);
-- A certificate is registered once (the clear numbers' UNIQUE (kind, number) cannot hold for sealed ones).
CREATE UNIQUE INDEX certificates_number_hash ON certificates(number_hash, kind);
CREATE UNIQUE INDEX users_phone_hash ON users(phone_hash);
