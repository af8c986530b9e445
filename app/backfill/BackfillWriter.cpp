// app/backfill/BackfillWriter.cpp
#include "backfill/BackfillWriter.h"

#include "connection/BinaryCopy.h"
#include "connection/CopyText.h"
#include "connection/PgConnection.h"
#include "connection/SqlLiterals.h"
#include <algorithm>

namespace vwb {
namespace {

constexpr qsizetype CopyChunkBytes = 1 << 20;
const QString UniqueViolation = QStringLiteral("23505");

/// COPY `target` FROM STDIN with the batch's rows that have a vector: key, forum_name when
/// `withForum`, vector. Binary where the types allow: no float formatting here, no parsing there.
Result<qint64> copyRows(PgConnection &db, const BackfillSql &sql, const QString &target, const BackfillBatch &batch, bool withForum)
{
    const bool binary = sql.binaryCopy;
    qsizetype next = 0;
    return db.copyIn(QStringLiteral("COPY %1 FROM STDIN%2").arg(target, binary ? QStringLiteral(" (FORMAT binary)") : QString()),
                     [&](QByteArray &chunk, QString &abort) {
                         BinaryCopyWriter out(chunk);
                         if (binary && next == 0)
                             out.header();
                         for (; next < batch.keys.size() && chunk.size() < CopyChunkBytes; ++next) {
                             const std::optional<Embedding> &vector = batch.vectors.at(next);
                             if (!vector)
                                 continue;
                             const QString &forum = withForum ? batch.forumNames.at(next) : QString();
                             if (binary) {
                                 out.beginRow(withForum ? 3 : 2);
                                 if (!out.key(sql.keyType, batch.keys.at(next))) {
                                     abort = QStringLiteral("key %1 is not a number").arg(batch.keys.at(next));
                                     return false;
                                 }
                                 if (withForum && forum.isNull())
                                     out.null();
                                 else if (withForum)
                                     out.text(forum);
                                 out.vector(*vector);
                                 continue;
                             }
                             for (const QString &part : keyParts(sql.keyShape, batch.keys.at(next))) { // one field a key column
                                 appendCopyText(chunk, part);
                                 chunk += '\t';
                             }
                             if (withForum) {
                                 if (forum.isNull())
                                     chunk += "\\N";
                                 else
                                     appendCopyText(chunk, forum);
                                 chunk += '\t';
                             }
                             appendVectorLiteral(chunk, *vector);
                             chunk += '\n';
                         }
                         if (binary && next == batch.keys.size())
                             out.trailer();
                         return next < batch.keys.size();
                     });
}

/// The general way: the vectors into a temporary table, then merged.
Result<BackfillWrite> mergeThroughTemp(PgConnection &db, const BackfillSql &sql, BackfillMode mode, const BackfillBatch &batch)
{
    const QString temp = QStringLiteral("pg_temp.vwb_backfill_batch");
    // The key as the batch table holds it: `id`, or k0, k1, … for a composite key.
    QStringList keyAs, keyNames;
    if (sql.keyShape.isComposite())
        for (qsizetype i = 0; i < sql.keyShape.columns.size(); ++i) {
            keyNames << QStringLiteral("k%1").arg(i);
            keyAs << QStringLiteral("c.%1 AS k%2").arg(sql.keyShape.columns.at(i)).arg(i);
        }
    else {
        keyNames << QStringLiteral("id");
        keyAs << QStringLiteral("c.%1 AS id").arg(sql.key);
    }
    const QString batchKey = keyNames.size() == 1 ? QStringLiteral("t.id")
                                                  : QStringLiteral("(t.%1)").arg(keyNames.join(QStringLiteral(", t.")));
    auto created = db.exec(QStringLiteral("CREATE TEMP TABLE vwb_backfill_batch ON COMMIT DROP AS SELECT %1, %2.%3 AS vec "
                                          "FROM %4 c%5 WITH NO DATA")
                               .arg(keyAs.join(QStringLiteral(", ")), sql.isInline ? QStringLiteral("c") : QStringLiteral("v"),
                                    sql.column, sql.content, sql.isInline ? QString() : QStringLiteral(", %1 v").arg(sql.vectors)));
    if (!created.ok())
        return created.error();
    // A new table takes the type's storage (pgvector: EXTENDED): every 6 kB vector would be tried
    // for compression and moved to TOAST on the way in, and fetched back for the merge.
    if (sql.binaryCopy) {
        auto plain = db.exec(QStringLiteral("ALTER TABLE %1 ALTER COLUMN vec SET STORAGE PLAIN").arg(temp));
        if (!plain.ok())
            return plain.error();
    }
    if (auto copied = copyRows(db, sql, QStringLiteral("%1 (%2, vec)").arg(temp, keyNames.join(QStringLiteral(", "))), batch, false);
        !copied.ok())
        return copied.error().withContext(QStringLiteral("copying vectors"));
    // Row counts for the planner (a temp table has none): 256 index probes, not hashes of both tables.
    if (auto analyzed = db.exec(QStringLiteral("ANALYZE %1 (%2)").arg(temp, keyNames.join(QStringLiteral(", "))));
        !analyzed.ok()) // the keys only: vectors are costly to compare
        return analyzed.error();
    BackfillWrite w;
    const QString from = QStringLiteral("%1 t JOIN %2 c ON %3 = %4")
                             .arg(temp, sql.content, sql.keyOver(QStringLiteral("c")).columns(), batchKey);
    const QString vectorRef = sql.refOver(QStringLiteral("v")).columns();
    if (mode != BackfillMode::Missing || sql.isInline || sql.secondary) {
        QString sets = QStringLiteral("%1 = t.vec").arg(sql.column);
        sets += sql.forumName ? QStringLiteral(", forum_name = c.forum_name") : QString();
        sets += sql.vectorsUpdated ? QStringLiteral(", updated_at = now()") : QString();
        // Inline: the content table is both sides; `v` and `c` are the same row.
        auto updated = db.exec(QStringLiteral("WITH u AS (UPDATE %1 v SET %2 FROM %3 WHERE %4 = %5 RETURNING %4 AS k) "
                                              "SELECT count(DISTINCT k), count(*) FROM u")
                                   .arg(sql.vectors, sets, from, vectorRef, batchKey));
        if (!updated.ok())
            return updated.error();
        w.embedded = updated.value().value(0, 0).toLongLong();
        w.updated = updated.value().value(0, 1).toLongLong();
    }
    if (sql.isInline || sql.secondary)
        return w; // a second column never makes vector rows: they are the first column's
    // No unique index is assumed: insert only where no vector row exists. The claim's row lock
    // keeps any other backfill from inserting for these content rows until this one commits; the
    // application's own writers it does not keep off, so where a unique index objects to a row
    // one of them inserted meanwhile, that row is theirs (ON CONFLICT DO NOTHING).
    const QString columns = QStringLiteral("%1, %2%3%4")
                                .arg(sql.refShape.columns.join(QStringLiteral(", ")), sql.column,
                                     sql.forumName ? QStringLiteral(", forum_name") : QString(),
                                     sql.vectorsUpdated ? QStringLiteral(", updated_at") : QString());
    const QString values = QStringLiteral("t.%1, t.vec%2%3")
                               .arg(keyNames.join(QStringLiteral(", t.")), sql.forumName ? QStringLiteral(", c.forum_name") : QString(),
                                    sql.vectorsUpdated ? QStringLiteral(", now()") : QString());
    auto inserted = db.exec(QStringLiteral("INSERT INTO %1 (%2) SELECT %3 FROM %4 WHERE NOT EXISTS (SELECT 1 FROM %1 v WHERE %5 = %6) "
                                           "ON CONFLICT DO NOTHING")
                                .arg(sql.vectors, columns, values, from, vectorRef, batchKey));
    if (!inserted.ok())
        return inserted.error();
    w.inserted = inserted.value().affectedRows;
    w.embedded += w.inserted;
    return w;
}
} // namespace

Result<BackfillWrite> writeBackfillBatch(PgConnection &db, const BackfillSql &sql, BackfillMode mode, const BackfillBatch &batch)
{
    if (std::none_of(batch.vectors.cbegin(), batch.vectors.cend(), [](const auto &v) { return v.has_value(); }))
        return BackfillWrite{};
    if (!sql.directInsert || mode != BackfillMode::Missing)
        return mergeThroughTemp(db, sql, mode, batch);
    if (auto saved = db.exec(QStringLiteral("SAVEPOINT vwb_direct")); !saved.ok())
        return saved.error();
    const QString target = QStringLiteral("%1 (%2%3, %4)")
                               .arg(sql.vectors, sql.fk, sql.forumName ? QStringLiteral(", forum_name") : QString(), sql.column);
    auto copied = copyRows(db, sql, target, batch, sql.forumName);
    if (copied.ok())
        return BackfillWrite{copied.value(), copied.value(), 0};
    if (copied.error().sqlState != UniqueViolation)
        return copied.error().withContext(QStringLiteral("copying vectors"));
    if (auto back = db.exec(QStringLiteral("ROLLBACK TO SAVEPOINT vwb_direct")); !back.ok())
        return back.error();
    return mergeThroughTemp(db, sql, mode, batch);
}
} // namespace vwb
