-- A team's own table: uuid keys, vectors inline, a category to filter by.
CREATE TABLE :schema.notes (
  note_id uuid PRIMARY KEY DEFAULT gen_random_uuid(), category text NOT NULL, body text NOT NULL, tags jsonb,
  embedding vector(16));
