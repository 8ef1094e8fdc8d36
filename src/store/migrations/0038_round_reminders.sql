-- The fire watch is told once when each post-work round opens: when that was (NULL: not yet).
ALTER TABLE permit_rounds ADD COLUMN reminded_at TEXT;
