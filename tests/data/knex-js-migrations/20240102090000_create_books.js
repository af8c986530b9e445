// Needs interop_authors: runs after 20240101120000_create_authors.js, in the same or a later batch.
exports.up = function (knex) {
  return knex.schema.createTable('interop_books', function (t) {
    t.increments('id');
    t.integer('author_id').notNullable().references('id').inTable('interop_authors').onDelete('CASCADE');
    t.string('title').notNullable();
  });
};

exports.down = function (knex) {
  return knex.schema.dropTable('interop_books');
};
