// app/eval/EvalStore.cpp
#include "eval/EvalStore.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <cmath>

namespace vwb {
namespace {

constexpr int SchemaVersion = 1; // PRAGMA user_version once the tables below exist

const char *const Schema[] = {
    R"(CREATE TABLE IF NOT EXISTS query_sets (
    id INTEGER PRIMARY KEY,
    profile TEXT NOT NULL,      -- SizeHistory::profileKey()
    name TEXT NOT NULL,
    grade_max INTEGER NOT NULL,
    created_at INTEGER NOT NULL, -- ms since the Unix epoch
    UNIQUE (profile, name)
))",
    R"(CREATE TABLE IF NOT EXISTS set_queries (
    set_id INTEGER NOT NULL,
    query_id TEXT NOT NULL,
    position INTEGER NOT NULL, -- the file's order
    text TEXT NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (set_id, query_id)
) WITHOUT ROWID)",
    R"(CREATE TABLE IF NOT EXISTS judgments (
    set_id INTEGER NOT NULL,
    query_id TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    grade INTEGER NOT NULL,
    PRIMARY KEY (set_id, query_id, doc_id)
) WITHOUT ROWID)",
    R"(CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    set_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    config TEXT NOT NULL,        -- EvalConfig::toJson()
    started_at INTEGER NOT NULL, -- ms since the Unix epoch
    total_ms REAL NOT NULL,
    baseline INTEGER NOT NULL DEFAULT 0,
    warnings TEXT NOT NULL DEFAULT ''
))",
    R"(CREATE TABLE IF NOT EXISTS run_queries (
    run_id INTEGER NOT NULL,
    query_id TEXT NOT NULL,
    ms REAL NOT NULL,
    error TEXT NOT NULL,
    PRIMARY KEY (run_id, query_id)
) WITHOUT ROWID)",
    R"(CREATE TABLE IF NOT EXISTS run_results (
    run_id INTEGER NOT NULL,
    query_id TEXT NOT NULL,
    rank INTEGER NOT NULL, -- from 1
    doc_id TEXT NOT NULL,
    score REAL NOT NULL,
    similarity REAL,       -- NULL: the ranking had none for this row
    PRIMARY KEY (run_id, query_id, rank)
) WITHOUT ROWID)",
    R"(CREATE TABLE IF NOT EXISTS run_keys (
    run_id INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    dup_key TEXT NOT NULL, -- the config's collapse key's value
    PRIMARY KEY (run_id, doc_id)
) WITHOUT ROWID)",    "CREATE INDEX IF NOT EXISTS runs_by_set ON runs (set_id, started_at)",
};

/// Runs one statement with positional bindings; the error names what was being done.
Result<void> run(const LocalSqlite &file, QSqlQuery &q, const QString &doing, const QString &sql, const QVariantList &binds = {})
{
    if (!q.prepare(sql))
        return file.error(doing, q.lastError().text());
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec())
        return file.error(doing, q.lastError().text());
    return {};
}

Result<void> deleteRuns(const LocalSqlite &file, QSqlQuery &q, const QString &where, const QVariant &bind)
{
    for (const char *table : {"run_queries", "run_results", "run_keys"})
        if (auto done = run(
                file, q, QStringLiteral("deleting runs"),
                QStringLiteral("DELETE FROM %1 WHERE run_id IN (SELECT id FROM runs WHERE %2)").arg(QLatin1String(table), where), {bind});
            !done.ok())
            return done;
    return run(file, q, QStringLiteral("deleting runs"), QStringLiteral("DELETE FROM runs WHERE %1").arg(where), {bind});
}

const QString NotFound = QStringLiteral("not-found"); // sqlState of "no such set / run"

Error notFound(const QString &message)
{
    return {Error::Kind::Invalid, message, NotFound, {}};
}

bool isNotFound(const Error &e)
{
    return e.sqlState == NotFound;
}

/// A null QString binds as NULL: the columns that may be empty are NOT NULL.
QString notNull(const QString &text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

QVariant nullable(double value)
{
    return std::isnan(value) ? QVariant() : QVariant(value);
}
} // namespace

EvalStore::EvalStore(QString path)
    : m_db(std::move(path), QStringLiteral("Evaluations"), QStringLiteral("evaluations"), [](QSqlDatabase &db) -> Result<void> {
          QSqlQuery q(db);
          q.exec(QStringLiteral("PRAGMA user_version"));
          if (q.next() && q.value(0).toInt() >= SchemaVersion)
              return {};
          q.finish();
          for (const char *statement : Schema)
              if (!q.exec(QString::fromLatin1(statement)))
                  return Error::io(
                      QStringLiteral("Evaluations: creating the tables in %1 failed: %2").arg(db.databaseName(), q.lastError().text()));
          q.exec(QStringLiteral("PRAGMA user_version = %1").arg(SchemaVersion));
          return {};
      })
{
}

QString EvalStore::defaultPath()
{
    const QString overridden = qEnvironmentVariable("VWB_EVALUATIONS");
    return overridden.isEmpty() ? LocalSqlite::dataFile(QStringLiteral("evaluations.sqlite")) : overridden;
}

Result<void> EvalStore::write(const std::function<Result<void>(QSqlQuery &, const QString &connection)> &body)
{
    auto conn = m_db.connection();
    if (!conn.ok())
        return conn.error();
    const QSqlDatabase db = QSqlDatabase::database(conn.value(), false);
    SqliteWriteTransaction tx(db, m_db);
    if (auto begun = tx.begin(); !begun.ok())
        return begun;
    QSqlQuery q(db);
    if (auto done = body(q, conn.value()); !done.ok())
        return done;
    return tx.commit();
}

Result<void> EvalStore::changeSet(const QString &profile, const QString &set, const std::function<Result<void>(QSqlQuery &, qint64)> &body)
{
    return write([&](QSqlQuery &q, const QString &connection) -> Result<void> {
        auto id = setId(connection, profile, set);
        if (!id.ok())
            return id.error();
        return body(q, id.value());
    });
}

Result<qint64> EvalStore::insertSet(QSqlQuery &q, const QString &profile, const QString &name, int gradeMax)
{
    if (auto done = run(m_db, q, QStringLiteral("storing the query set"),
                        QStringLiteral("INSERT INTO query_sets (profile, name, grade_max, created_at) VALUES (?, ?, ?, ?)"),
                        {profile, name, gradeMax, QDateTime::currentMSecsSinceEpoch()});
        !done.ok())
        return done.error();
    return q.lastInsertId().toLongLong();
}

Result<qint64> EvalStore::setId(const QString &connection, const QString &profile, const QString &name)
{
    QSqlQuery q(QSqlDatabase::database(connection, false));
    if (auto done = run(m_db, q, QStringLiteral("finding the query set"),
                        QStringLiteral("SELECT id FROM query_sets WHERE profile = ? AND name = ?"), {profile, name});
        !done.ok())
        return done.error();
    if (!q.next())
        return notFound(QStringLiteral("No query set \"%1\" for this profile (vwb eval sets lists them)").arg(name));
    return q.value(0).toLongLong();
}

Result<void> EvalStore::saveSet(const QString &profile, const QString &name, const QuerySet &set, int gradeMax, bool replace)
{
    if (name.trimmed().isEmpty())
        return Error::invalid(QStringLiteral("Give the query set a name"));
    if (gradeMax < 1 || gradeMax > 100)
        return Error::invalid(QStringLiteral("The grading scale must run from 0 to 1-100 (got %1)").arg(gradeMax));
    return write([&](QSqlQuery &q, const QString &connection) -> Result<void> {
        auto existing = setId(connection, profile, name);
        if (existing.ok()) {
            if (!replace)
                return Error::invalid(QStringLiteral("A query set \"%1\" exists already (replace it, or pick another name)").arg(name));
            const qint64 id = existing.value();
            if (auto gone = deleteRuns(m_db, q, QStringLiteral("set_id = ?"), id); !gone.ok())
                return gone;
            for (const char *table : {"set_queries", "judgments", "query_sets"})
                if (auto done = run(m_db, q, QStringLiteral("replacing the query set"),
                                    QStringLiteral("DELETE FROM %1 WHERE %2 = ?")
                                        .arg(QLatin1String(table), QLatin1String(qstrcmp(table, "query_sets") ? "set_id" : "id")),
                                    {id});
                    !done.ok())
                    return done;
        } else if (!isNotFound(existing.error())) {
            return existing.error();
        }
        auto id = insertSet(q, profile, name, gradeMax);
        if (!id.ok())
            return id.error();
        for (int i = 0; i < set.queries.size(); ++i) {
            const JudgedQuery &query = set.queries.at(i);
            if (auto done = run(m_db, q, QStringLiteral("storing the queries"),
                                QStringLiteral("INSERT INTO set_queries (set_id, query_id, position, text, title) VALUES (?, ?, ?, ?, ?)"),
                                {id.value(), query.id, i, query.text, notNull(query.title)});
                !done.ok())
                return done;
        }
        for (auto it = set.judgments.cbegin(); it != set.judgments.cend(); ++it)
            for (auto doc = it->cbegin(); doc != it->cend(); ++doc)
                if (auto done = run(m_db, q, QStringLiteral("storing the judgments"),
                                    QStringLiteral("INSERT INTO judgments (set_id, query_id, doc_id, grade) VALUES (?, ?, ?, ?)"),
                                    {id.value(), it.key(), doc.key(), doc.value()});
                    !done.ok())
                    return done;
        return {};
    });
}

Result<QList<SetSummary>> EvalStore::sets(const QString &profile)
{
    auto conn = m_db.connection();
    if (!conn.ok())
        return conn.error();
    QSqlQuery q(QSqlDatabase::database(conn.value(), false));
    if (auto done = run(m_db, q, QStringLiteral("listing query sets"),
                        QStringLiteral("SELECT s.name, s.grade_max, s.created_at, "
                                       "(SELECT count(*) FROM set_queries WHERE set_id = s.id), "
                                       "(SELECT count(*) FROM judgments WHERE set_id = s.id), "
                                       "(SELECT count(*) FROM runs WHERE set_id = s.id) "
                                       "FROM query_sets s WHERE s.profile = ? ORDER BY s.name"),
                        {profile});
        !done.ok())
        return done.error();
    QList<SetSummary> out;
    while (q.next())
        out << SetSummary{q.value(0).toString(), q.value(3).toInt(), q.value(4).toInt(),
                          q.value(1).toInt(),    q.value(5).toInt(), QDateTime::fromMSecsSinceEpoch(q.value(2).toLongLong(), Qt::UTC)};
    return out;
}

Result<QuerySet> EvalStore::loadSet(const QString &profile, const QString &name, int *gradeMax)
{
    auto conn = m_db.connection();
    if (!conn.ok())
        return conn.error();
    auto id = setId(conn.value(), profile, name);
    if (!id.ok())
        return id.error();
    QSqlQuery q(QSqlDatabase::database(conn.value(), false));
    if (gradeMax) {
        if (auto done = run(m_db, q, QStringLiteral("reading the query set"),
                            QStringLiteral("SELECT grade_max FROM query_sets WHERE id = ?"), {id.value()});
            !done.ok())
            return done.error();
        *gradeMax = q.next() ? q.value(0).toInt() : 2;
    }
    QuerySet set;
    if (auto done = run(m_db, q, QStringLiteral("reading the queries"),
                        QStringLiteral("SELECT query_id, text, title FROM set_queries WHERE set_id = ? ORDER BY position"), {id.value()});
        !done.ok())
        return done.error();
    while (q.next())
        set.queries << JudgedQuery{q.value(0).toString(), q.value(1).toString(), q.value(2).toString()};
    if (auto done = run(m_db, q, QStringLiteral("reading the judgments"),
                        QStringLiteral("SELECT query_id, doc_id, grade FROM judgments WHERE set_id = ?"), {id.value()});
        !done.ok())
        return done.error();
    while (q.next())
        set.judgments[q.value(0).toString()].insert(q.value(1).toString(), q.value(2).toInt());
    return set;
}

Result<void> EvalStore::deleteSet(const QString &profile, const QString &name)
{
    return changeSet(profile, name, [this](QSqlQuery &q, qint64 id) -> Result<void> {
        if (auto gone = deleteRuns(m_db, q, QStringLiteral("set_id = ?"), id); !gone.ok())
            return gone;
        for (const char *sql : {"DELETE FROM set_queries WHERE set_id = ?", "DELETE FROM judgments WHERE set_id = ?",
                                "DELETE FROM query_sets WHERE id = ?"})
            if (auto done = run(m_db, q, QStringLiteral("deleting the query set"), QLatin1String(sql), {id}); !done.ok())
                return done;
        return {};
    });
}

Result<void> EvalStore::judge(const QString &profile, const QString &set, const JudgedQuery &query, const QString &doc, int grade,
                              int gradeMax)
{
    if (query.id.isEmpty() || query.text.trimmed().isEmpty() || doc.isEmpty())
        return Error::invalid(QStringLiteral("A judgment needs the query's id and text and the document's id"));
    return write([&](QSqlQuery &q, const QString &connection) -> Result<void> {
        auto id = setId(connection, profile, set);
        if (!id.ok() && !isNotFound(id.error()))
            return id.error();
        if (!id.ok())
            id = insertSet(q, profile, set, gradeMax); // the first grade makes the set
        if (!id.ok())
            return id.error();
        if (auto scale = run(m_db, q, QStringLiteral("reading the grading scale"),
                             QStringLiteral("SELECT grade_max FROM query_sets WHERE id = ?"), {id.value()});
            !scale.ok())
            return scale;
        const int max = q.next() ? q.value(0).toInt() : gradeMax;
        if (grade > max)
            return Error::invalid(QStringLiteral("Grades in \"%1\" run from 0 to %2 (got %3)").arg(set).arg(max).arg(grade));
        if (auto done = run(m_db, q, QStringLiteral("storing the query"),
                            QStringLiteral("INSERT INTO set_queries (set_id, query_id, position, text, title) "
                                           "SELECT ?, ?, coalesce(max(position) + 1, 0), ?, ? FROM set_queries WHERE set_id = ? "
                                           "ON CONFLICT (set_id, query_id) DO NOTHING"),
                            {id.value(), query.id, query.text, notNull(query.title), id.value()});
            !done.ok())
            return done;
        return grade < 0 ? run(m_db, q, QStringLiteral("removing the judgment"),
                               QStringLiteral("DELETE FROM judgments WHERE set_id = ? AND query_id = ? AND doc_id = ?"),
                               {id.value(), query.id, doc})
                         : run(m_db, q, QStringLiteral("storing the judgment"),
                               QStringLiteral("INSERT INTO judgments (set_id, query_id, doc_id, grade) VALUES (?, ?, ?, ?) "
                                              "ON CONFLICT (set_id, query_id, doc_id) DO UPDATE SET grade = excluded.grade"),
                               {id.value(), query.id, doc, grade});
    });
}

Result<void> EvalStore::saveRun(const QString &profile, const QString &set, EvalRun &r)
{
    qint64 runId = 0;
    auto saved = changeSet(profile, set, [this, &r, &runId](QSqlQuery &q, qint64 id) -> Result<void> {
        if (auto done = run(m_db, q, QStringLiteral("storing the run"),
                            QStringLiteral("INSERT INTO runs (set_id, name, config, started_at, total_ms, baseline, warnings) "
                                           "VALUES (?, ?, ?, ?, ?, 0, ?)"),
                            {id, notNull(r.name), QString::fromUtf8(QJsonDocument(r.config.toJson()).toJson(QJsonDocument::Compact)),
                             r.startedAt.toMSecsSinceEpoch(), r.totalMs, notNull(r.warnings.join(QLatin1Char('\n')))});
            !done.ok())
            return done;
        runId = q.lastInsertId().toLongLong();
        for (const QueryRun &query : r.queries) {
            if (auto done = run(m_db, q, QStringLiteral("storing the run"),
                                QStringLiteral("INSERT INTO run_queries (run_id, query_id, ms, error) VALUES (?, ?, ?, ?)"),
                                {runId, query.queryId, query.ms, notNull(query.error)});
                !done.ok())
                return done;
            for (int i = 0; i < query.ranked.size(); ++i) {
                const RankedDoc &d = query.ranked.at(i);
                if (auto done = run(m_db, q, QStringLiteral("storing the run's results"),
                                    QStringLiteral("INSERT INTO run_results (run_id, query_id, rank, doc_id, score, similarity) "
                                                   "VALUES (?, ?, ?, ?, ?, ?)"),
                                    {runId, query.queryId, i + 1, d.id, d.score, nullable(d.similarity)});
                    !done.ok())
                    return done;
            }
        }
        for (auto it = r.keys.cbegin(); it != r.keys.cend(); ++it)
            if (auto done = run(m_db, q, QStringLiteral("storing the run's keys"),
                                QStringLiteral("INSERT INTO run_keys (run_id, doc_id, dup_key) VALUES (?, ?, ?)"),
                                {runId, it.key(), it.value()});
                !done.ok())
                return done;
        return {};
    });
    if (saved.ok())
        r.id = runId;
    return saved;
}

Result<QList<RunSummary>> EvalStore::runs(const QString &profile, const QString &set)
{
    auto conn = m_db.connection();
    if (!conn.ok())
        return conn.error();
    auto id = setId(conn.value(), profile, set);
    if (!id.ok())
        return id.error();
    QSqlQuery q(QSqlDatabase::database(conn.value(), false));
    if (auto done = run(m_db, q, QStringLiteral("listing runs"),
                        QStringLiteral("SELECT r.id, r.name, r.config, r.started_at, r.total_ms, r.baseline, "
                                       "(SELECT count(*) FROM run_queries WHERE run_id = r.id) FROM runs r WHERE r.set_id = ? "
                                       "ORDER BY r.started_at, r.id"),
                        {id.value()});
        !done.ok())
        return done.error();
    QList<RunSummary> out;
    while (q.next()) {
        auto config = EvalConfig::fromJson(QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object());
        out << RunSummary{q.value(0).toLongLong(),
                          q.value(1).toString(),
                          config.ok() ? config.value().summary() : config.error().message,
                          QDateTime::fromMSecsSinceEpoch(q.value(3).toLongLong(), Qt::UTC),
                          q.value(4).toDouble(),
                          q.value(5).toBool(),
                          q.value(6).toInt()};
    }
    return out;
}

Result<EvalRun> EvalStore::loadRun(const QString &profile, const QString &set, const QString &idOrName)
{
    auto conn = m_db.connection();
    if (!conn.ok())
        return conn.error();
    auto id = setId(conn.value(), profile, set);
    if (!id.ok())
        return id.error();
    QSqlQuery q(QSqlDatabase::database(conn.value(), false));
    bool numeric = false;
    const qint64 asId = idOrName.toLongLong(&numeric);
    if (auto done = run(
            m_db, q, QStringLiteral("reading the run"),
            QStringLiteral("SELECT id, name, config, started_at, total_ms, baseline, warnings FROM runs "
                           "WHERE set_id = ? AND (id = ? OR name = ?) ORDER BY (id = ?) DESC, started_at DESC, id DESC LIMIT 1"),
            {id.value(), numeric ? asId : -1, idOrName, numeric ? asId : -1});
        !done.ok())
        return done.error();
    if (!q.next())
        return notFound(QStringLiteral("No run \"%1\" of the query set \"%2\" (vwb eval runs --set lists them)").arg(idOrName, set));
    EvalRun r;
    r.id = q.value(0).toLongLong();
    r.name = q.value(1).toString();
    auto config = EvalConfig::fromJson(QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object());
    if (!config.ok())
        return config.error();
    r.config = config.value();
    r.startedAt = QDateTime::fromMSecsSinceEpoch(q.value(3).toLongLong(), Qt::UTC);
    r.totalMs = q.value(4).toDouble();
    r.baseline = q.value(5).toBool();
    r.warnings = q.value(6).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (auto done = run(
            m_db, q, QStringLiteral("reading the run"),
            QStringLiteral("SELECT rq.query_id, rq.ms, rq.error FROM run_queries rq LEFT JOIN set_queries sq "
                           "ON sq.set_id = ? AND sq.query_id = rq.query_id WHERE rq.run_id = ? ORDER BY sq.position, rq.query_id"),
            {id.value(), r.id});
        !done.ok())
        return done.error();
    QHash<QString, int> at;
    while (q.next()) {
        at.insert(q.value(0).toString(), int(r.queries.size()));
        r.queries << QueryRun{q.value(0).toString(), {}, q.value(1).toDouble(), q.value(2).toString()};
    }
    if (auto done = run(
            m_db, q, QStringLiteral("reading the run's results"),
            QStringLiteral("SELECT query_id, doc_id, score, similarity FROM run_results WHERE run_id = ? ORDER BY query_id, rank"),
            {r.id});
        !done.ok())
        return done.error();
    while (q.next()) {
        const int i = at.value(q.value(0).toString(), -1);
        if (i >= 0)
            r.queries[i].ranked << RankedDoc{q.value(1).toString(), q.value(2).toDouble(),
                                             q.value(3).isNull() ? qQNaN() : q.value(3).toDouble()};
    }
    if (auto done = run(m_db, q, QStringLiteral("reading the run's keys"),
                        QStringLiteral("SELECT doc_id, dup_key FROM run_keys WHERE run_id = ?"), {r.id});
        !done.ok())
        return done.error();
    while (q.next())
        r.keys.insert(q.value(0).toString(), q.value(1).toString());
    return r;
}

Result<void> EvalStore::deleteRun(const QString &profile, const QString &set, qint64 runId)
{
    return changeSet(profile, set, [this, runId](QSqlQuery &q, qint64 id) {
        return deleteRuns(m_db, q, QStringLiteral("id = %1 AND set_id = ?").arg(runId), id);
    });
}

Result<void> EvalStore::setBaseline(const QString &profile, const QString &set, qint64 runId)
{
    return changeSet(profile, set, [this, runId, &set](QSqlQuery &q, qint64 id) -> Result<void> {
        if (auto known = run(m_db, q, QStringLiteral("marking the baseline"),
                             QStringLiteral("SELECT 1 FROM runs WHERE id = ? AND set_id = ?"), {runId, id});
            !known.ok())
            return known;
        if (!q.next())
            return notFound(QStringLiteral("No run %1 in the query set \"%2\"").arg(runId).arg(set));
        return run(m_db, q, QStringLiteral("marking the baseline"),
                   QStringLiteral("UPDATE runs SET baseline = (id = ?) WHERE set_id = ?"), {runId, id});
    });
}
} // namespace vwb
