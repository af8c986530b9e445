// app/search/SearchBudget.cpp
#include "search/SearchBudget.h"

#include <QSqlError>
#include <QSqlQuery>
#include <cmath>

namespace vwb {
namespace {
const QList<const char *> Schema = {
    "CREATE TABLE IF NOT EXISTS searches (profile TEXT NOT NULL, at_ms INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS searches_by_profile ON searches (profile, at_ms)",
};
} // namespace

SearchBudget::SearchBudget(QString path)
    : m_file(std::move(path), QStringLiteral("Search budget"), QStringLiteral("search-budget"),
             [](QSqlDatabase &db) { return LocalSqlite::createTables(db, 1, Schema, QStringLiteral("Search budget")); })
{
}

QString SearchBudget::defaultPath()
{
    return LocalSqlite::dataFile(QStringLiteral("search-budget.sqlite"));
}

SearchBudget &SearchBudget::shared()
{
    static auto *budget = new SearchBudget; // never destroyed, as AuditLog::shared()
    return *budget;
}

Result<void> SearchBudget::take(const QString &profile, int perMinute, qint64 nowMs)
{
    if (perMinute <= 0)
        return {};
    auto name = m_file.connection();
    if (!name.ok())
        return name.error();
    const QSqlDatabase db = QSqlDatabase::database(name.value(), false);
    SqliteWriteTransaction tx(db, m_file); // two processes counting at once see each other's search
    if (auto begun = tx.begin(); !begun.ok())
        return begun;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("DELETE FROM searches WHERE at_ms <= ? OR at_ms > ?"));
    q.addBindValue(nowMs - WindowMs);
    q.addBindValue(nowMs + WindowMs); // a clock set back: those would never age out
    if (!q.exec())
        return m_file.error(QStringLiteral("forgetting old searches"), q.lastError().text());
    q.prepare(QStringLiteral("SELECT count(*), min(at_ms) FROM searches WHERE profile = ?"));
    q.addBindValue(profile);
    if (!q.exec() || !q.next())
        return m_file.error(QStringLiteral("counting searches"), q.lastError().text());
    const int ran = q.value(0).toInt();
    const qint64 oldest = q.value(1).toLongLong();
    q.finish();
    if (ran >= perMinute) {
        const double wait = std::ceil(double(qMax<qint64>(1, oldest + WindowMs - nowMs)) / 1000.0);
        return Error{Error::Kind::Timeout,
                     QStringLiteral("%1 searches ran on production profile \"%2\" in the last minute, its limit (each one "
                                    "is an embedding call): the next may run in %3 s. The limit is searchesPerMinute in "
                                    "the profile's embedding settings (0: none)")
                         .arg(ran)
                         .arg(profile)
                         .arg(wait),
                     QStringLiteral("rate"),
                     {}};
    }
    q.prepare(QStringLiteral("INSERT INTO searches (profile, at_ms) VALUES (?, ?)"));
    q.addBindValue(profile);
    q.addBindValue(nowMs);
    if (!q.exec())
        return m_file.error(QStringLiteral("counting a search"), q.lastError().text());
    return tx.commit();
}
} // namespace vwb
