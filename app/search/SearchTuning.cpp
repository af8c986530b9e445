// app/search/SearchTuning.cpp
#include "search/SearchTuning.h"

#include "connection/PgConnection.h"
#include "metrics/SizeHistory.h"
#include "search/SemanticSearch.h"

namespace vwb {

QString TunedSetting::describe() const
{
    return QStringLiteral("%1 %2%3 (recall@%4 %5 for a %6 target, measured %7)")
        .arg(knob)
        .arg(value)
        .arg(iterative ? QStringLiteral(" with iterative scan") : QString())
        .arg(k)
        .arg(recall, 0, 'f', 3)
        .arg(target, 0, 'f', 2)
        .arg(measuredAt.toString(QStringLiteral("yyyy-MM-dd")));
}

SearchTuning::SearchTuning(QString path)
    : m_db(std::move(path), QStringLiteral("Search tuning"), QStringLiteral("search-tuning"), [](QSqlDatabase &db) {
          return LocalSqlite::createTables(
              db, 1,
              {"CREATE TABLE IF NOT EXISTS tuned (profile TEXT NOT NULL, index_name TEXT NOT NULL, "
               "knob TEXT NOT NULL, value INTEGER NOT NULL, iterative INTEGER NOT NULL, recall REAL NOT NULL, "
               "target REAL NOT NULL, k INTEGER NOT NULL, measured_at INTEGER NOT NULL, "
               "PRIMARY KEY (profile, index_name))"},
              QStringLiteral("Search tuning"));
      })
{
}

QString SearchTuning::defaultPath()
{
    if (const QString file = qEnvironmentVariable("VWB_SEARCH_TUNING"); !file.isEmpty())
        return file;
    return LocalSqlite::dataFile(QStringLiteral("search-tuning.sqlite"));
}

Result<void> SearchTuning::record(const QString &profile, const TunedSetting &s)
{
    auto q = m_db.run(QStringLiteral("recording a tuned setting"),
                      QStringLiteral("INSERT OR REPLACE INTO tuned (profile, index_name, knob, value, iterative, recall, target, k, "
                                     "measured_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                      {profile, s.index, s.knob, s.value, s.iterative ? 1 : 0, s.recall, s.target, s.k,
                       (s.measuredAt.isValid() ? s.measuredAt : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch()});
    return q.ok() ? Result<void>() : q.error();
}

Result<std::optional<TunedSetting>> SearchTuning::lookup(const QString &profile, const QString &index)
{
    auto q = m_db.run(QStringLiteral("reading a tuned setting"),
                      QStringLiteral("SELECT knob, value, iterative, recall, target, k, measured_at FROM tuned "
                                     "WHERE profile = ? AND index_name = ?"),
                      {profile, index});
    if (!q.ok())
        return q.error();
    QSqlQuery &row = q.value();
    if (!row.next())
        return std::optional<TunedSetting>();
    return std::optional<TunedSetting>(TunedSetting{index, row.value(0).toString(), row.value(1).toInt(), row.value(2).toInt() != 0,
                                                    row.value(3).toDouble(), row.value(4).toDouble(), row.value(5).toInt(),
                                                    QDateTime::fromMSecsSinceEpoch(row.value(6).toLongLong(), Qt::UTC)});
}

Result<RecallSweepReport> sweepAndKeep(PgConnection &conn, const SearchRequest &base, int samples, int k, double target,
                                       const QString &path, std::optional<TunedSetting> *kept,
                                       const std::function<void(int, int)> &progress)
{
    auto swept = sweepRecall(conn, base, samples, k, target, {}, progress);
    if (!swept.ok())
        return swept.error();
    const RecallSweepReport &r = swept.value();
    if (const SweepPoint *c = r.choice()) {
        const TunedSetting t{base.pair.vectors.schema + QLatin1Char('.') + r.index,
                             r.knob,
                             c->value,
                             c->iterative,
                             c->recall,
                             target,
                             k,
                             QDateTime::currentDateTimeUtc()};
        if (auto saved = SearchTuning(path).record(SizeHistory::profileKey(conn.profile()), t); !saved.ok())
            return saved.error();
        if (kept)
            *kept = t;
    }
    return swept;
}

std::optional<TunedSetting> applyTunedSetting(SearchRequest &r, const QString &profile, const QString &path)
{
    if (r.exact || r.efSearch > 0 || r.probes > 0 || !r.candidates.isEmpty() || path.isEmpty())
        return std::nullopt;
    const VectorColumn *column = SemanticSearch::columnOf(r);
    if (!column)
        return std::nullopt;
    // The setting of the index this search goes through, not another one on the column.
    const VectorIndex *index = chooseIndex(*column, r.metric, r.precision).index;
    if (!index)
        return std::nullopt;
    auto found = SearchTuning(path).lookup(profile, r.pair.vectors.schema + QLatin1Char('.') + index->name);
    if (!found.ok() || !found.value())
        return std::nullopt;
    const TunedSetting &t = *found.value();
    (t.knob == QLatin1String("ef_search") ? r.efSearch : r.probes) = t.value;
    r.iterativeScan = r.iterativeScan || t.iterative;
    return t;
}
} // namespace vwb
