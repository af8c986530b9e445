// app/demo/DemoCorpus.cpp
#include "demo/DemoCorpus.h"

#include "demo/DemoVocabulary.h"
#include <algorithm>
#include <cstdio>

namespace vwb {
namespace {

/// splitmix64's output function: a strong 64-bit mix, the same on every compiler and library.
constexpr quint64 mix64(quint64 z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// Independent streams per (seed, kind of row, row index), so any row can be made on its own.
enum Stream : quint64 { TopicFrameStream = 1, TopicTextStream = 2, PostStream = 3 };
constexpr quint64 streamSeed(quint64 seed, Stream stream, qint64 index)
{
    return mix64(mix64(seed ^ mix64(quint64(stream))) + quint64(index));
}

/// splitmix64. Everything is integer arithmetic: no std:: distributions (their output differs
/// between standard libraries) and no floating point. One call per statement, since the order in
/// which function arguments are evaluated is unspecified.
class Rng
{
public:
    explicit Rng(quint64 seed) : m_state(seed) {}
    quint64 next()
    {
        m_state += 0x9e3779b97f4a7c15ULL;
        return mix64(m_state);
    }
    /// Uniform in [0, n) for n in [1, 2^32] (Lemire's multiply-shift on the top 32 bits).
    quint32 below(quint64 n) { return quint32(((next() >> 32) * n) >> 32); }
    qint64 range(qint64 lo, qint64 hi) { return lo + qint64(next() % quint64(hi - lo + 1)); } // inclusive
    bool chance(int percent) { return below(100) < quint32(percent); }
    const QString &pick(const QStringList &list) { return list.at(below(quint64(list.size()))); }

private:
    quint64 m_state;
};

bool startsWithVowel(const QString &word)
{
    if (word.isEmpty())
        return false;
    const char16_t c = word.at(0).toLower().unicode();
    return c == u'a' || c == u'e' || c == u'i' || c == u'o' || c == u'u';
}

/// Appends a word, turning a preceding "a" into "an" when the word starts with a vowel.
void appendWord(QString &out, const QString &word)
{
    if (startsWithVowel(word) && (out.endsWith(QLatin1String(" a ")) || out == QLatin1String("a ") || out == QLatin1String("A ")))
        out.insert(out.size() - 1, QLatin1Char('n'));
    out += word;
}

void capitalize(QString &text)
{
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
}

/// Fills a template's {n} {v} {a} {x} {#} slots with the forum's words.
QString expand(const QString &pattern, const ForumVocabulary &forum, Rng &rng)
{
    const SharedVocabulary &shared = sharedVocabulary();
    QString out;
    out.reserve(pattern.size() + 48);
    qsizetype at = 0;
    for (;;) {
        const qsizetype open = pattern.indexOf(QLatin1Char('{'), at);
        if (open < 0 || open + 2 >= pattern.size() || pattern.at(open + 2) != QLatin1Char('}')) {
            out += QStringView(pattern).mid(at);
            break;
        }
        out += QStringView(pattern).mid(at, open - at);
        switch (pattern.at(open + 1).unicode()) {
        case u'n': appendWord(out, rng.pick(forum.nouns)); break;
        case u'v': appendWord(out, rng.pick(forum.verbs)); break;
        case u'a': appendWord(out, rng.pick(forum.adjectives)); break;
        case u'x': appendWord(out, rng.pick(shared.timeWords)); break;
        case u'#': out += QString::number(rng.range(2, 99)); break;
        default: out += QStringView(pattern).mid(open, 3); break;
        }
        at = open + 3;
    }
    capitalize(out);
    return out;
}

/// Cuts to at most `limit` characters (code points, as PostgreSQL counts them).
QString truncated(QString text, int limit)
{
    if (text.size() <= limit)
        return text; // UTF-16 units >= code points
    const QList<uint> points = text.toUcs4();
    if (points.size() <= limit)
        return text;
    return QString::fromUcs4(reinterpret_cast<const char32_t *>(points.constData()), limit).trimmed();
}

/// 2 to 8 sentences, short bodies more often than long ones; now and then a paragraph break. A
/// template is not used twice in one body when another draw can avoid it.
QString body(const ForumVocabulary &forum, Rng &rng, bool reply)
{
    const SharedVocabulary &shared = sharedVocabulary();
    const quint32 first = rng.below(7);
    const quint32 second = rng.below(7);
    const int count = 2 + int(std::min(first, second));
    const QString *used[8] = {};
    QString out;
    out.reserve(count * 80);
    for (int s = 0; s < count; ++s) {
        if (s > 0)
            out += rng.chance(18) ? QStringLiteral("\n\n") : QStringLiteral(" ");
        if (s == count - 1 && s >= 2 && rng.chance(30)) {
            out += rng.pick(shared.closers);
            continue;
        }
        const QString *pattern = nullptr;
        for (int draw = 0; draw < 4; ++draw) {
            if (s == 0 && reply)
                pattern = &rng.pick(shared.replies);
            else
                pattern = rng.chance(65) ? &rng.pick(forum.sentences) : &rng.pick(shared.sentences);
            if (std::find(used, used + s, pattern) == used + s)
                break;
        }
        used[s] = pattern;
        out += expand(*pattern, forum, rng);
    }
    return out;
}

QString author(Rng &rng)
{
    return QStringLiteral("user") + QString::number(rng.range(1000, 9999));
}

qint64 laterEdit(qint64 createdAt, Rng &rng)
{
    if (!rng.chance(15))
        return createdAt;
    const qint64 later = createdAt + rng.range(86400, 90 * 86400);
    return std::max(createdAt, std::min(later, DemoCorpus::ReferenceTime));
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm, proleptic Gregorian).
void civilFromDays(qint64 days, int &year, int &month, int &day)
{
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 doe = days - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    day = int(doy - (153 * mp + 2) / 5 + 1);
    month = int(mp < 10 ? mp + 3 : mp - 9);
    year = int(yoe + era * 400 + (month <= 2 ? 1 : 0));
}
} // namespace

Result<void> DemoCorpus::validate(const DemoParams &params)
{
    if (params.topics < 0 || params.topics > MaxTopics)
        return Error::invalid(QStringLiteral("the number of topics must be between 0 and %1").arg(MaxTopics));
    if (params.postsPerTopic < 0 || params.postsPerTopic > MaxPostsPerTopic)
        return Error::invalid(QStringLiteral("the number of posts per topic must be between 0 and %1").arg(MaxPostsPerTopic));
    if (params.forums < 1 || params.forums > MaxForums)
        return Error::invalid(QStringLiteral("the number of forums must be between 1 and %1").arg(MaxForums));
    return {};
}

DemoCorpus::DemoCorpus(const DemoParams &params) : m_params(params)
{
    m_params.topics = std::clamp<qint64>(m_params.topics, 0, MaxTopics);
    m_params.postsPerTopic = std::clamp(m_params.postsPerTopic, 0, MaxPostsPerTopic);
    m_params.forums = std::clamp(m_params.forums, 1, MaxForums);
}

QStringList DemoCorpus::forumNames() const
{
    QStringList names;
    for (int f = 0; f < m_params.forums; ++f)
        names << demoForums().at(f).name;
    return names;
}

DemoCorpus::TopicFrame DemoCorpus::frame(qint64 topicIndex) const
{
    // Topic i falls in the i-th of N equal slots of the span, so created_at grows with the id the
    // way a real forum's does. The last day is left to the replies.
    constexpr qint64 start = ReferenceTime - SpanSeconds;
    constexpr qint64 span = SpanSeconds - 86400;
    Rng rng(streamSeed(m_params.seed, TopicFrameStream, topicIndex));
    TopicFrame f;
    f.forum = int(rng.below(quint64(m_params.forums)));
    const qint64 offset = qint64(rng.next() % quint64(span));
    f.createdAt = start + (topicIndex * span + offset) / std::max<qint64>(1, m_params.topics);
    // Replies come every ten minutes to three days, and all of them before the reference time.
    const qint64 room = (ReferenceTime - f.createdAt) / (m_params.postsPerTopic + 1);
    f.postPace = std::max<qint64>(1, std::min(rng.range(600, 3 * 86400), room));
    return f;
}

DemoTopic DemoCorpus::topic(qint64 index) const
{
    const TopicFrame f = frame(index);
    const ForumVocabulary &forum = demoForums().at(f.forum);
    Rng rng(streamSeed(m_params.seed, TopicTextStream, index));
    DemoTopic t;
    t.forumName = forum.name;
    const QString &pattern = rng.chance(70) ? rng.pick(forum.titles) : rng.pick(sharedVocabulary().titles);
    t.title = truncated(expand(pattern, forum, rng), MaxTitleLength);
    t.content = body(forum, rng, false);

    QStringList tags;
    const int tagCount = 1 + int(rng.below(3));
    for (int attempt = 0; attempt < 6 && tags.size() < tagCount; ++attempt) {
        const QString &tag = rng.pick(forum.nouns);
        if (!tags.contains(tag))
            tags << tag;
    }
    const qint64 base = rng.range(0, 40);
    const qint64 factor = rng.range(1, 60);
    const qint64 views = base * factor + rng.range(0, 19);
    const QString who = author(rng);
    const bool solved = rng.chance(40);
    t.metadata = QStringLiteral(R"({"tags": ["%1"], "author": "%2", "views": %3, "lang": "en", "solved": %4})")
                     .arg(tags.join(QStringLiteral("\", \"")), who, QString::number(views),
                          solved ? QStringLiteral("true") : QStringLiteral("false"));
    t.createdAt = f.createdAt;
    t.updatedAt = laterEdit(t.createdAt, rng);
    return t;
}

DemoPost DemoCorpus::post(qint64 index) const
{
    const int perTopic = std::max(1, m_params.postsPerTopic);
    const qint64 topicIndex = index / perTopic;
    const qint64 nth = index % perTopic;
    const TopicFrame f = frame(topicIndex);
    const ForumVocabulary &forum = demoForums().at(f.forum);
    Rng rng(streamSeed(m_params.seed, PostStream, index));
    DemoPost p;
    p.topicIndex = topicIndex;
    p.forumName = forum.name;
    const bool reply = rng.chance(60);
    p.content = body(forum, rng, reply);
    const QString who = author(rng);
    const qint64 likes = rng.chance(50) ? 0 : rng.range(1, 40);
    p.metadata = QStringLiteral(R"({"author": "%1", "likes": %2, "lang": "en"})").arg(who, QString::number(likes));
    // Post k lands in ((k)*pace, (k+1)*pace] after its topic: strictly after the topic and the
    // post before it, and all of them before the reference time.
    p.createdAt = f.createdAt + nth * f.postPace + 1 + rng.below(quint64(f.postPace));
    p.updatedAt = laterEdit(p.createdAt, rng);
    return p;
}

QString demoTimestamp(qint64 secs)
{
    const qint64 days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    const qint64 rest = secs - days * 86400;
    int year = 0, month = 0, day = 0;
    civilFromDays(days, year, month, day);
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d+00", year, month, day, int(rest / 3600), int(rest / 60 % 60),
                  int(rest % 60));
    return QString::fromLatin1(text);
}
} // namespace vwb
