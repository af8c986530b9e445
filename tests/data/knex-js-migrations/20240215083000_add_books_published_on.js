// Alters a table an earlier migration created; the interop test applies it in a later batch.
exports.up = function (knex) {
  return knex.schema.alterTable('interop_books', function (t) {
    t.date('published_on');
  });
};

exports.down = function (knex) {
  return knex.schema.alterTable('interop_books', function (t) {
    t.dropColumn('published_on');
  });
};
