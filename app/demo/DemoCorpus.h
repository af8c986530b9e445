// app/demo/DemoCorpus.h
#pragma once

#include "core/Result.h"
#include <QString>
#include <QStringList>

namespace vwb {

struct DemoParams
{
    qint64 topics = 2000;
    int postsPerTopic = 3;
    int forums = 8; // the first K of the twelve forums in demoForums()
    quint64 seed = 42;
};

/// One row of `topics`, minus the id (the seeder numbers rows after the table's max(id)).
struct DemoTopic
{
    QString forumName;
    QString title; // at most 255 characters, like the column
    QString content;
    QString metadata;     // a JSON object: tags, author, views, lang, solved
    qint64 createdAt = 0; // s since the Unix epoch, UTC
    qint64 updatedAt = 0; // >= createdAt
};

/// One row of `posts`; topicIndex is the 0-based index of its topic in the same corpus.
struct DemoPost
{
    qint64 topicIndex = 0;
    QString forumName; // its topic's forum
    QString content;
    QString metadata;     // a JSON object: author, likes, lang
    qint64 createdAt = 0; // s since the Unix epoch, UTC; after its topic, after the post before it
    qint64 updatedAt = 0; // >= createdAt
};

/// A synthetic forum, the same for the same parameters on every machine and every run: each row is
/// computed from (seed, row index) alone with a private splitmix64 generator, so rows come one at
/// a time in O(1) memory and in any order. Pure: no I/O, no clock. Cheap to copy; thread-safe.
class DemoCorpus
{
public:
    static constexpr int MaxForums = 12;
    static constexpr int MaxPostsPerTopic = 1000;
    static constexpr qint64 MaxTopics = 100'000'000;
    /// Timestamps count back from here, never from "now": 2025-01-01 00:00:00 UTC.
    static constexpr qint64 ReferenceTime = 1'735'689'600;
    static constexpr qint64 SpanSeconds = 1096LL * 86400; // ~3 years of history
    static constexpr int MaxTitleLength = 255;

    /// Error::invalid with a one-line reason when the parameters are out of range.
    static Result<void> validate(const DemoParams &params);
    /// `params` must pass validate(); out-of-range values are clamped.
    explicit DemoCorpus(const DemoParams &params);

    const DemoParams &params() const { return m_params; }
    qint64 topicCount() const { return m_params.topics; }
    qint64 postCount() const { return m_params.topics * m_params.postsPerTopic; }
    QStringList forumNames() const;

    /// Topic `index` in [0, topicCount()); created_at never decreases with the index.
    DemoTopic topic(qint64 index) const;
    /// Post `index` in [0, postCount()); the posts of topic t are t*M ... t*M + M-1, oldest first.
    DemoPost post(qint64 index) const;

private:
    struct TopicFrame
    {
        int forum = 0;
        qint64 createdAt = 0;
        qint64 postPace = 1; // s between a topic's replies, roughly
    };
    TopicFrame frame(qint64 topicIndex) const;

    DemoParams m_params;
};

/// Formats a time as PostgreSQL reads it unambiguously: "2024-03-05 12:34:56+00".
QString demoTimestamp(qint64 secsSinceEpoch);
} // namespace vwb
