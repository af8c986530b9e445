// app/embeddings/LexicalHashingProvider.cpp
#include "embeddings/LexicalHashingProvider.h"

#include "core/ShownText.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <libstemmer.h>
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

/// Up to 8 ASCII characters packed into a number (0 for anything else): stop words are looked
/// up by it, without building a string per word.
quint64 asciiKey(QStringView w)
{
    if (w.size() > 8)
        return 0;
    quint64 key = 0;
    for (QChar c : w) {
        if (c.unicode() == 0 || c.unicode() >= 0x80)
            return 0;
        key = (key << 8) | c.unicode();
    }
    return key;
}

bool isStopWord(QStringView w)
{
    static const std::vector<quint64> keys = [] {
        const char *list = "a an the and or but if then so of to in on at by for with from as into onto about "
                           "is are was were be been being am it its this that these those i me my we our us you "
                           "your he him his she her they them their do does did done have has had not no nor can "
                           "could would should will shall may might must just there here what which who whom "
                           "when where why how than too very also any some all up out over after before again "
                           "more most only own same such each other both off im ive id dont wont cant isnt "
                           "doesnt didnt wasnt arent thats theres whats lets yet";
        std::vector<quint64> sorted;
        for (const QString &w : QString::fromLatin1(list).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            Q_ASSERT(asciiKey(w) != 0); // every stop word fits in a key
            sorted.push_back(asciiKey(w));
        }
        std::sort(sorted.begin(), sorted.end());
        return sorted;
    }();
    const quint64 key = asciiKey(w);
    return key != 0 && std::binary_search(keys.cbegin(), keys.cend(), key);
}

bool hasVowel(QStringView stem)
{
    for (QChar c : stem)
        if (QStringView(u"aeiouy").contains(c))
            return true;
    return false;
}

/// A light stemmer, in place: plurals, then -ing / -ed, then a final -e, so that "bake",
/// "bakes", "baked" and "baking" meet. Errs on the side of leaving a word alone.
void fold(QString &w)
{
    if (w.size() <= 3)
        return;
    if (w.endsWith(QLatin1String("ies")) && w.size() > 4) {
        w.chop(3);
        w += QLatin1Char('y');
    } else if (w.endsWith(QLatin1String("sses"))) {
        w.chop(2);
    } else if (w.endsWith(QLatin1Char('s')) && !w.endsWith(QLatin1String("ss")) && !w.endsWith(QLatin1String("us"))
               && !w.endsWith(QLatin1String("is"))) {
        w.chop(1);
    }
    bool chopped = false;
    if (w.size() >= 6 && w.endsWith(QLatin1String("ing")) && hasVowel(QStringView(w).chopped(3))) {
        w.chop(3);
        chopped = true;
    } else if (w.size() >= 5 && w.endsWith(QLatin1String("ed")) && !w.endsWith(QLatin1String("eed"))
               && hasVowel(QStringView(w).chopped(2))) {
        w.chop(2);
        chopped = true;
    }
    if (chopped && w.size() >= 4 && w.at(w.size() - 1) == w.at(w.size() - 2) && !QStringView(u"aeioulsz").contains(w.back()))
        w.chop(1); // "stopped" -> "stop"
    if (w.size() >= 4 && w.endsWith(QLatin1Char('e')))
        w.chop(1);
}

/// The Snowball English stem of `w`, in place. A stemmer is not thread-safe: each thread has its
/// own, made on first use.
void snowball(QString &w)
{
    struct Stemmer
    {
        sb_stemmer *s = sb_stemmer_new("english", "UTF_8");
        ~Stemmer() { sb_stemmer_delete(s); }
    };
    thread_local Stemmer stemmer;
    if (!stemmer.s)
        return fold(w); // out of memory making it: the light rules rather than none
    const QByteArray utf8 = w.toUtf8();
    const sb_symbol *stem = sb_stemmer_stem(stemmer.s, reinterpret_cast<const sb_symbol *>(utf8.constData()), int(utf8.size()));
    if (stem)
        w = QString::fromUtf8(reinterpret_cast<const char *>(stem), sb_stemmer_length(stemmer.s));
}

/// The code point at `i` (a lone surrogate as itself, which no rule below takes for part of a
/// word); `next` gets the index after it.
char32_t codePointAt(QStringView text, qsizetype i, qsizetype &next)
{
    const char16_t c = text.at(i).unicode();
    if (QChar::isHighSurrogate(c) && i + 1 < text.size() && QChar::isLowSurrogate(text.at(i + 1).unicode())) {
        next = i + 2;
        return QChar::surrogateToUcs4(c, text.at(i + 1).unicode());
    }
    next = i + 1;
    return c;
}

/// Calls `visit(word)` for each word of `text`, in order and lowercased. `word` is one buffer
/// for them all: `visit` may change it (and must copy what it keeps).
template<typename Visit>
void forEachWord(QStringView text, QString &word, Visit &&visit)
{
    word.resize(0);
    const auto flush = [&] {
        // Single ASCII characters ("a", "s" of "it's", "3") say nothing; a single ideograph does.
        if (word.size() > 1 || (word.size() == 1 && word.at(0).unicode() > 0x7f))
            visit(word);
        word.resize(0);
    };
    for (qsizetype i = 0, next = 0; i < text.size(); i = next) {
        const char32_t c = codePointAt(text, i, next);
        if ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9')) { // ASCII, most of most text: no table lookups
            word += QChar(char16_t(c));
        } else if (c >= u'A' && c <= u'Z') {
            word += QChar(char16_t(c + (u'a' - u'A')));
        } else if (QChar::isLetterOrNumber(c) || (!word.isEmpty() && QChar::category(c) == QChar::Mark_NonSpacing)) {
            word += QChar::fromUcs4(QChar::toLower(c));
        } else if ((c == u'\'' || c == u'\u2019') && !word.isEmpty() && next < text.size()) {
            qsizetype after = 0;
            if (QChar::isLetter(codePointAt(text, next, after)))
                continue; // "don't" -> "dont", "starter's" -> "starters"
            flush();
        } else {
            flush();
        }
    }
    flush();
}

/// Calls `visit(term)` for each term of `text`: its words, stop words left out unless that leaves
/// none ("how to" is still a query: better its own words than nothing), each folded.
template<typename Visit>
void forEachTerm(QStringView text, QString &word, LexicalHashingProvider::Stemming stemming, Visit &&visit)
{
    bool any = false;
    for (const bool skipStopWords : {true, false}) {
        forEachWord(text, word, [&](QString &w) {
            if (skipStopWords && isStopWord(w))
                return;
            stemming == LexicalHashingProvider::Stemming::Snowball ? snowball(w) : fold(w);
            any = true;
            visit(std::as_const(w));
        });
        if (any)
            break;
    }
}

constexpr quint64 FnvBasis = 0xcbf29ce484222325ULL; // FNV-1a 64 offset basis
constexpr quint64 FnvPrime = 0x100000001b3ULL;      // FNV-1a 64 prime

quint64 fnvByte(quint64 h, quint8 byte)
{
    return (h ^ byte) * FnvPrime;
}

/// FNV-1a over the UTF-8 form of `text`, continuing from `h`, without building that form.
quint64 fnvUtf8(quint64 h, QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text.at(i).unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && QChar::isLowSurrogate(text.at(i + 1).unicode()))
            c = QChar::surrogateToUcs4(char16_t(c), text.at(++i).unicode());
        else if (QChar::isSurrogate(c))
            c = u'?'; // what toUtf8() makes of a lone surrogate (Qt 6.4); forEachWord() never keeps one anyway
        if (c < 0x80) {
            h = fnvByte(h, quint8(c));
        } else if (c < 0x800) {
            h = fnvByte(fnvByte(h, quint8(0xc0 | (c >> 6))), quint8(0x80 | (c & 0x3f)));
        } else if (c < 0x10000) {
            h = fnvByte(fnvByte(fnvByte(h, quint8(0xe0 | (c >> 12))), quint8(0x80 | ((c >> 6) & 0x3f))), quint8(0x80 | (c & 0x3f)));
        } else {
            h = fnvByte(h, quint8(0xf0 | (c >> 18)));
            h = fnvByte(fnvByte(fnvByte(h, quint8(0x80 | ((c >> 12) & 0x3f))), quint8(0x80 | ((c >> 6) & 0x3f))),
                        quint8(0x80 | (c & 0x3f)));
        }
    }
    return h;
}

/// A term or word pair: the FNV-1a state of its UTF-8 bytes (a pair: "first\x1fsecond"; 0x1f
/// never occurs inside a term), and its weight once counted.
struct Feature
{
    quint64 fnv = 0;
    bool pair = false;
    double weight = 0;
};

/// The text's terms, each distinct one weighing 1 + ln(count) (sublinear tf), each distinct pair
/// of neighbours that times BigramWeight. Keyed by the 64-bit state rather than the bytes: no
/// allocation per term.
std::vector<Feature> features(QStringView text, LexicalHashingProvider::Stemming stemming)
{
    std::vector<Feature> all;
    all.reserve(size_t(text.size() / 4));
    QString word;
    quint64 previous = 0;
    forEachTerm(text, word, stemming, [&](const QString &term) {
        const quint64 h = fnvUtf8(FnvBasis, term);
        if (!all.empty())
            all.push_back({fnvUtf8(fnvByte(previous, 0x1f), term), true, 0});
        all.push_back({h, false, 0});
        previous = h;
    });
    std::sort(all.begin(), all.end(), [](const Feature &a, const Feature &b) { return a.fnv != b.fnv ? a.fnv < b.fnv : a.pair < b.pair; });
    std::vector<Feature> out;
    for (size_t i = 0; i < all.size();) {
        size_t j = i + 1;
        while (j < all.size() && all[j].fnv == all[i].fnv && all[j].pair == all[i].pair)
            ++j;
        const double tf = 1.0 + std::log(double(j - i));
        out.push_back({all[i].fnv, all[i].pair, all[i].pair ? BigramWeight * tf : tf});
        i = j;
    }
    return out;
}
} // namespace

LexicalHashingProvider::LexicalHashingProvider(int dimensions, Stemming stemming) : m_dimensions(dimensions), m_stemming(stemming) {}

Result<void> LexicalHashingProvider::validateDimensions(int dimensions)
{
    if (dimensions < 1 || dimensions > MaxDimensions)
        return Error::invalid(QStringLiteral("Lexical vectors need 1 to %1 dimensions, not %2").arg(MaxDimensions).arg(dimensions));
    return {};
}

QString LexicalHashingProvider::description() const
{
    return QStringLiteral("Lexical (word overlap), not semantic: %1, offline vectors of hashed %2words and word pairs, "
                          "%3 dimensions. Texts match when they share words, not when they mean the same thing "
                          "in other words.")
        .arg(model(), m_stemming == Stemming::Snowball ? QStringLiteral("stemmed ") : QString())
        .arg(m_dimensions);
}

quint64 LexicalHashingProvider::stableHash(QByteArrayView bytes)
{
    quint64 h = FnvBasis;
    for (char c : bytes)
        h = fnvByte(h, quint8(c));
    return mix64(h);
}

QStringList LexicalHashingProvider::terms(const QString &text, Stemming stemming)
{
    QStringList kept;
    QString word;
    forEachTerm(text, word, stemming, [&kept](const QString &term) { kept << term; });
    return kept;
}

Result<Embedding> LexicalHashingProvider::embedOne(const QString &text) const
{
    if (auto valid = validateDimensions(m_dimensions); !valid.ok())
        return valid.error();
    const std::vector<Feature> featured = features(text, m_stemming);
    if (featured.empty())
        return Error::invalid(QStringLiteral("%1 has no words to embed: the offline provider reads words of two or more "
                                             "letters or digits (single letters, spaces and punctuation mean nothing to it)")
                                  .arg(text.trimmed().isEmpty()
                                           ? QStringLiteral("The text")
                                           : QLatin1Char('"') + shownText(text.trimmed().left(40)) + QLatin1Char('"')));
    const int buckets = std::min(BucketsPerTerm, m_dimensions);
    std::vector<double> v(size_t(m_dimensions), 0.0);
    // Most components stay zero: the sums below visit only the others, in index order (as a sum
    // over every component would add them; the zeros add nothing).
    std::vector<quint64> touched(size_t(m_dimensions + 63) / 64, 0);
    for (const Feature &f : featured) {
        const quint64 h = mix64(f.fnv); // stableHash() of the feature's bytes
        int used[BucketsPerTerm] = {};
        for (int b = 0; b < buckets; ++b) {
            const quint64 hb = mix64(h + quint64(b + 1) * 0x9e3779b97f4a7c15ULL);
            int index = int(quint32(hb) % quint32(m_dimensions)); // the low 32 bits
            while (std::find(used, used + b, index) != used + b)  // a term's buckets never cancel out
                index = (index + 1) % m_dimensions;
            used[b] = index;
            v[size_t(index)] += (hb >> 63) ? -f.weight : f.weight; // scale is moot: normalised below
            touched[size_t(index) / 64] |= quint64(1) << (index % 64);
        }
    }
    const auto eachTouched = [&touched](auto &&visit) {
        for (size_t word = 0; word < touched.size(); ++word)
            for (quint64 bits = touched[word]; bits != 0; bits &= bits - 1)
                visit(word * 64 + size_t(std::countr_zero(bits)));
    };
    double norm = 0;
    eachTouched([&](size_t i) { norm += v[i] * v[i]; });
    norm = std::sqrt(norm);
    VWB_ASSERT(norm > 0 && std::isfinite(norm), return Error::internal(QStringLiteral("A lexical vector came out zero")));
    Embedding out(m_dimensions, 0.0f);
    float *o = out.data();
    eachTouched([&](size_t i) { o[i] = float(v[i] / norm); });
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
            if (one.error().kind != Error::Kind::Invalid || texts.size() == 1)
                return one.error(); // one text (a query): what it is says more than where
            return Error::invalid(QStringLiteral("The text at index %1 (of %2) has no words to embed (it is empty, or only "
                                                 "single letters, spaces and punctuation)")
                                      .arg(i)
                                      .arg(texts.size()));
        }
        batch.vectors << std::move(one).value();
    }
    return batch;
}
} // namespace vwb
