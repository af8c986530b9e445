// A plain Knex migration (CommonJS), applied by the real Knex CLI in tst_knexinterop.
exports.up = function (knex) {
  return knex.schema.createTable('interop_authors', function (t) {
    t.increments('id');
    t.string('name').notNullable();
  });
};

exports.down = function (knex) {
  return knex.schema.dropTable('interop_authors');
};
