// app/backfill/BackfillClaims.cpp
#include "backfill/BackfillClaims.h"

#include "connection/PgConnection.h"
#include <algorithm>

namespace vwb {

BackfillClaims::BackfillClaims(BackfillSql sql, BackfillMode mode, int batchSize, QString runStart, std::function<QStringList()> rejected,
                               std::function<void(const QString &)> log)
    : m_sql(std::move(sql)), m_mode(mode), m_batchSize(batchSize), m_runStart(std::move(runStart)), m_rejected(std::move(rejected)),
      m_log(std::move(log))
{
}

int BackfillClaims::passes() const
{
    QMutexLocker lock(&m_mutex);
    return m_wrapped ? 2 : 1;
}

Result<BackfillClaim> BackfillClaims::next(PgConnection &on)
{
    QMutexLocker order(&m_mutex);
    // `all` without updated_at on the vectors cannot tell rows this run wrote from the others.
    const bool mayWrap = m_mode != BackfillMode::All || m_sql.vectorsUpdated;
    while (!m_exhausted) {
        const bool fromStart = m_lastKey.isEmpty();
        bool endOfPass = false;
        auto claimed = claimAfterPosition(on, endOfPass);
        if (!claimed.ok() || !claimed.value().keys.isEmpty())
            return claimed;
        if (auto committed = on.exec(QStringLiteral("COMMIT")); !committed.ok())
            return committed.error();
        if (!endOfPass)
            continue; // all let go: done elsewhere meanwhile
        if (fromStart || m_wrapped || !mayWrap) {
            m_exhausted = true;
            break;
        }
        // Once more from the start, for rows other transactions held when the pass went by them
        // -- if there were any: a claim from the start probes every row again (20,000 topics
        // just written: ~175 ms). The claims' rechecks noticed those up to the last key; past
        // it, this one does.
        if (!m_heldElsewhere) {
            auto past = matching(on, m_lastKey, {}, 1);
            if (!past.ok())
                return past.error().withContext(QStringLiteral("looking for rows left behind"));
            m_heldElsewhere = !past.value().isEmpty();
        }
        if (!m_heldElsewhere) {
            m_exhausted = true;
            break;
        }
        m_log(QStringLiteral("Other transactions held rows as this pass went by: once more from the start for those"));
        m_wrapped = true;
        m_lastKey.clear();
    }
    return BackfillClaim{&on, {}, {}, {}};
}

Result<qint64> BackfillClaims::heldAtEnd(PgConnection &on) const
{
    if (passes() < 2)
        return qint64(0);
    QVariantList params;
    QString start;
    const QString clause = range(params, {}, {}, start);
    auto left = on.exec(QStringLiteral("SELECT count(*) FROM %1 c WHERE %2%3")
                            .arg(m_sql.content, m_sql.condition(m_mode, start, BackfillSql::Reading::WholeTable), clause),
                        params);
    if (!left.ok())
        return left.error().withContext(QStringLiteral("counting rows left behind"));
    return left.value().scalar().toLongLong();
}

QString BackfillClaims::range(QVariantList &params, const QString &after, const QString &upTo, QString &start) const
{
    QString clause;
    const KeySql key = m_sql.keyOver(QStringLiteral("c"));
    if (!after.isEmpty())
        clause += QStringLiteral(" AND ") + key.compare(QStringLiteral(">"), after, params);
    if (!upTo.isEmpty())
        clause += QStringLiteral(" AND ") + key.compare(QStringLiteral("<="), upTo, params);
    if (const QStringList skip = m_rejected ? m_rejected() : QStringList(); !skip.isEmpty())
        clause += QStringLiteral(" AND NOT (%1)").arg(key.in(skip, params));
    start.clear();
    if (usesRunStart()) {
        params << m_runStart;
        start = QStringLiteral("$%1").arg(params.size());
    }
    return clause;
}

Result<QSet<QString>> BackfillClaims::matching(PgConnection &on, const QString &after, const QString &upTo, int limit) const
{
    QVariantList params;
    QString start;
    const QString clause = range(params, after, upTo, start);
    QString sql = QStringLiteral("SELECT %1 FROM %2 c WHERE %3%4")
                      .arg(m_sql.keyOver(QStringLiteral("c")).text(), m_sql.content, m_sql.condition(m_mode, start), clause);
    if (limit > 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);
    auto found = on.exec(sql, params);
    if (!found.ok())
        return found.error();
    QSet<QString> keys;
    for (const QStringList &row : found.value().rows)
        keys.insert(row.at(0));
    return keys;
}

Result<BackfillClaim> BackfillClaims::claimAfterPosition(PgConnection &on, bool &endOfPass)
{
    QVariantList params{m_batchSize};
    QString start;
    const QString after = m_lastKey; // this claim covers the keys after the last one claimed
    const QString clause = range(params, after, {}, start);
    if (auto begun = on.exec(QStringLiteral("BEGIN")); !begun.ok())
        return begun.error();
    // NO KEY UPDATE, not UPDATE: it keeps other backfills off the rows all the same (it conflicts
    // with itself), but not the application's own INSERT of a vector row, whose foreign-key check
    // takes KEY SHARE on the content row. With FOR UPDATE that insert waited on the claim while the
    // claim's COPY waited on the insert's unique-index entry: a deadlock the server broke by
    // killing the application's insert.
    const bool forums = m_sql.forumName && m_sql.directInsert;
    const KeySql key = m_sql.keyOver(QStringLiteral("c"));
    auto claimed = on.exec(QStringLiteral("SELECT %1, %2%3 FROM %4 c WHERE %5%6 ORDER BY %7 LIMIT $1 "
                                          "FOR NO KEY UPDATE OF c SKIP LOCKED")
                               .arg(key.text(), m_sql.text, forums ? QStringLiteral(", c.forum_name::text") : QString(), m_sql.content,
                                    m_sql.condition(m_mode, start), clause, key.order()),
                           params);
    if (!claimed.ok())
        return claimed.error().withContext(QStringLiteral("claiming rows"));
    endOfPass = claimed.value().rowCount() == 0;
    BackfillClaim c{&on, {}, {}, {}};
    for (const QStringList &row : claimed.value().rows) {
        c.keys << row.at(0);
        c.texts << row.at(1);
        if (forums)
            c.forumNames << row.at(2);
    }
    if (c.keys.isEmpty())
        return c;
    m_lastKey = c.keys.last();
    // The claim judged its rows by a snapshot taken before it locked them: a row another backfill
    // (or worker) finished in between was locked all the same, once that one committed. A fresh
    // statement over the claim's key range sees those vectors; those rows are let go instead of
    // embedded again. It also sees rows of the range the claim skipped because another
    // transaction held them and that still need a vector: the pass comes back for those.
    auto still = matching(on, after, m_lastKey);
    if (!still.ok())
        return still.error().withContext(QStringLiteral("claiming rows"));
    const QSet<QString> &keep = still.value();
    if (keep.size() == c.keys.size() && std::all_of(c.keys.cbegin(), c.keys.cend(), [&](const QString &k) { return keep.contains(k); }))
        return c;
    BackfillClaim kept{&on, {}, {}, {}};
    for (qsizetype i = 0; i < c.keys.size(); ++i)
        if (keep.contains(c.keys.at(i))) {
            kept.keys << c.keys.at(i);
            kept.texts << c.texts.at(i);
            if (forums)
                kept.forumNames << c.forumNames.at(i);
        }
    m_heldElsewhere = m_heldElsewhere || keep.size() > kept.keys.size();
    return kept;
}
} // namespace vwb
