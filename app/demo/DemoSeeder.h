// app/demo/DemoSeeder.h
#pragma once

#include "core/Result.h"
#include "demo/DemoCorpus.h"
#include <QByteArray>
#include <QStringView>
#include <functional>

namespace vwb {
class PgConnection;

struct DemoSeedOptions
{
    DemoParams corpus;
    bool ifEmpty = false; // do nothing (and say so) when topics already has rows
};

struct DemoSeedReport
{
    bool skipped = false;
    QString note;      // why nothing was loaded, when skipped
    qint64 topics = 0; // rows loaded
    qint64 posts = 0;
    qint64 firstTopicId = 0; // 0 when no topic was loaded
    qint64 lastTopicId = 0;
    qint64 elapsedMs = 0; // ms, checks and commit included
};

/// Loads a DemoCorpus into the `topics` and `posts` tables the connection's search_path finds,
/// with COPY ... FROM STDIN in ~1 MB chunks: rows are made as they are sent, so memory stays flat
/// for any size. Topics get explicit ids after the table's max(id) (the table is locked against
/// other writers meanwhile) and the id sequence is moved past them; posts take ids from their own
/// sequence. One transaction: an error or a cancel (PgConnection::cancelCurrent()) leaves nothing.
/// Refuses a write-locked production session. Runs on the caller's thread.
class DemoSeeder
{
public:
    /// (rows done, rows in all): topics first, then posts. Called after each chunk.
    using Progress = std::function<void(qint64 done, qint64 total)>;
    static constexpr qsizetype ChunkBytes = 1 << 20;

    explicit DemoSeeder(const DemoSeedOptions &options) : m_options(options) {}
    Result<DemoSeedReport> run(PgConnection &conn, const Progress &progress = {}) const;

private:
    Result<DemoSeedReport> loadAndCommit(PgConnection &conn, const Progress &progress) const; // BEGIN, load(), COMMIT, ANALYZE
    Result<DemoSeedReport> load(PgConnection &conn, const Progress &progress) const;

    DemoSeedOptions m_options;
};

} // namespace vwb
