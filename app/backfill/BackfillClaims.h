// app/backfill/BackfillClaims.h
#pragma once

#include "backfill/BackfillSql.h"
#include <QMutex>
#include <QSet>
#include <functional>

namespace vwb {
class PgConnection;

/// A batch's rows, claimed (locked) in a transaction left open on `on`: write their vectors and
/// COMMIT, or ROLLBACK.
struct BackfillClaim
{
    PgConnection *on = nullptr;
    QStringList keys, texts, forumNames; // forum names only where the write copies them
};

/// Hands a backfill's rows out in batches, in key order, to workers on connections of their own.
/// A claim locks its rows with FOR NO KEY UPDATE SKIP LOCKED (other backfills, and this one's other
/// workers, skip rows a transaction holds) and pages on by key, one claim at a time, so workers
/// never look at the same rows. A recheck over each claim's key range lets go of rows finished
/// meanwhile and notices rows other transactions held: only for those does the run go over the
/// table a second time, from the start. Thread-safe.
class BackfillClaims
{
public:
    /// `runStart`: the server's now() when the run began (mode `all` tells its own vectors by it).
    /// `rejected`: the keys the provider rejected so far, left out from then on. `log`: the run's log.
    BackfillClaims(BackfillSql sql, BackfillMode mode, int batchSize, QString runStart, std::function<QStringList()> rejected,
                   std::function<void(const QString &)> log);

    /// The next batch, claimed on `on`. No keys, and no transaction open, once nothing is left.
    /// On an error a transaction may be open on `on`: ROLLBACK.
    Result<BackfillClaim> next(PgConnection &on);
    /// Passes over the content table so far: 2 once rows other transactions held were come back for.
    int passes() const;
    /// Rows that still need a vector (0 without a second pass): after the run, those other
    /// transactions held throughout.
    Result<qint64> heldAtEnd(PgConnection &on) const;

private:
    /// Opens a transaction on `on` and claims the batch after the keyset position in it.
    /// `endOfPass`: nothing matched at all (the keys may also be empty when all were let go).
    Result<BackfillClaim> claimAfterPosition(PgConnection &on, bool &endOfPass);
    /// The WHERE clause's tail for keys in (after, upTo] (either end open when empty), without the
    /// rows the provider rejected; `start` gets the run start's placeholder where the condition needs it.
    QString range(QVariantList &params, const QString &after, const QString &upTo, QString &start) const;
    /// Keys in (after, upTo] that match the mode's condition now (a statement of their own: a
    /// fresh snapshot), at most `limit` of them (0: all).
    Result<QSet<QString>> matching(PgConnection &on, const QString &after, const QString &upTo, int limit = 0) const;
    /// `all` with an updated_at on the vectors: rows this run wrote are told apart by the run's start.
    bool usesRunStart() const { return m_mode == BackfillMode::All && m_sql.vectorsUpdated; }

    const BackfillSql m_sql;
    const BackfillMode m_mode;
    const int m_batchSize;
    const QString m_runStart;
    const std::function<QStringList()> m_rejected;
    const std::function<void(const QString &)> m_log;
    mutable QMutex m_mutex;       // one claim at a time: the keyset position moves in order
    QString m_lastKey;            // keyset position of this pass; empty: from the start
    bool m_heldElsewhere = false; // a claim skipped rows other transactions held
    bool m_wrapped = false;       // the second pass is running or done
    bool m_exhausted = false;     // nothing left to claim
};
} // namespace vwb
