// app/eval/EvalStore.h
#pragma once

#include "core/LocalSqlite.h"
#include "eval/EvalRun.h"
#include <functional>

class QSqlQuery;

namespace vwb {

struct SetSummary
{
    QString name;
    int queries = 0;
    int judgments = 0;
    int gradeMax = 2; // the grading scale analysts mark with: 0..gradeMax
    int runs = 0;
    QDateTime createdAt;
};

struct RunSummary
{
    qint64 id = 0;
    QString name;
    QString config; // EvalConfig::summary()
    QDateTime startedAt;
    double totalMs = 0;
    bool baseline = false;
    int queries = 0;
};

/// Judged query sets and the runs made with them, per profile, in the app's local SQLite file
/// (evaluations.sqlite beside the size history): the GUI and `vwb eval` share it. Sets are named
/// per profile; runs belong to a set. Usable from any thread (see LocalSqlite).
class EvalStore
{
public:
    explicit EvalStore(QString path = defaultPath());
    /// $VWB_EVALUATIONS when set, else $XDG_DATA_HOME/vector-workbench/evaluations.sqlite.
    static QString defaultPath();
    const QString &path() const { return m_db.path(); }

    /// Stores a set under `name`; an existing one is an error unless `replace` (its runs go too,
    /// being runs of other judgments). One transaction: a failure leaves the old set as it was.
    Result<void> saveSet(const QString &profile, const QString &name, const QuerySet &set, int gradeMax, bool replace);
    Result<QList<SetSummary>> sets(const QString &profile);
    Result<QuerySet> loadSet(const QString &profile, const QString &name, int *gradeMax = nullptr);
    Result<void> deleteSet(const QString &profile, const QString &name);
    /// Grades one document for a query (the Search panel's marks), creating the set and the query
    /// as needed; a grade < 0 removes the judgment. `gradeMax` sets a new set's scale.
    Result<void> judge(const QString &profile, const QString &set, const JudgedQuery &query, const QString &doc, int grade,
                       int gradeMax = 2);

    /// Stores a run of the set; fills run.id.
    Result<void> saveRun(const QString &profile, const QString &set, EvalRun &run);
    Result<QList<RunSummary>> runs(const QString &profile, const QString &set);
    /// A run by its id or its name (the newest of that name).
    Result<EvalRun> loadRun(const QString &profile, const QString &set, const QString &idOrName);
    Result<void> deleteRun(const QString &profile, const QString &set, qint64 runId);
    /// Marks a run the set's baseline (unmarking the previous one).
    Result<void> setBaseline(const QString &profile, const QString &set, qint64 runId);

private:
    /// This thread's connection and a write transaction around `body`; committed when it
    /// succeeds, rolled back otherwise.
    Result<void> write(const std::function<Result<void>(QSqlQuery &, const QString &connection)> &body);
    /// A new, empty set; its id.
    Result<qint64> insertSet(QSqlQuery &q, const QString &profile, const QString &name, int gradeMax);
    /// This thread's connection, a write transaction, the set's id, then `body`; committed when it
    /// succeeds, rolled back otherwise.
    Result<void> changeSet(const QString &profile, const QString &set, const std::function<Result<void>(QSqlQuery &, qint64 setId)> &body);
    Result<qint64> setId(const QString &connection, const QString &profile, const QString &name);
    LocalSqlite m_db;
};
} // namespace vwb
