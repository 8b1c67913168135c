-- Voussoir field book, schema 9: API tokens expire. Tokens made before
-- this version expire 90 days from now.
ALTER TABLE api_token ADD COLUMN expires_at TEXT;
UPDATE api_token SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+90 days');
