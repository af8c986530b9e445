# placeholder: installs the real Knex CLI (npm packages knex and pg) into a test-only folder.
message(FATAL_ERROR "not written yet")
