// tests/support/ModelledApi.h — how a modelled embeddings API behaves for LocalHttpServer: time
// per request growing with its tokens, a limit on requests served at once (the rest wait in
// arrival order), and requests/tokens per minute enforced as refilling buckets that answer 429
// with the wait (retry-after-ms, Retry-After) when a request does not fit. Header-only.
#pragma once

#include <QElapsedTimer>
#include <QtGlobal>
#include <algorithm>
#include <atomic>
#include <cmath>

namespace vwb::test {

/// The API's behaviour; all zero is an API that answers at once, any number at once, unlimited.
struct ApiModel
{
    double baseMs = 0;              // every request takes this long to serve, ms
    double msPerThousandTokens = 0; // and this much more per 1,000 tokens of input
    int concurrency = 0;            // requests served at once; 0: no limit
    double requestsPerMinute = 0;   // 0: no limit
    double tokensPerMinute = 0;     // 0: no limit
    /// A bucket holds this many seconds of its rate: the burst a client may send at once. Limits
    /// are published "per minute", but a provider may enforce them over shorter periods.
    double burstSeconds = 10;

    bool limitsRate() const { return requestsPerMinute > 0 || tokensPerMinute > 0; }
    /// Tokens of a request as both sides estimate them: 4 characters a token, at least 1 per input.
    static qint64 tokensOf(qint64 characters, qint64 inputs) { return std::max(inputs, (characters + 3) / 4); }
    double serviceMs(qint64 tokens) const { return baseMs + msPerThousandTokens * double(tokens) / 1000.0; }
};

/// What the API did, readable from any thread while it runs.
struct ApiCounters
{
    std::atomic<qint64> requests{0}; // answered 200
    std::atomic<qint64> rejected{0}; // answered 429
    std::atomic<qint64> inputs{0};
    std::atomic<qint64> tokens{0};
    std::atomic<int> mostWaiting{0}; // the longest the queue for a serving slot grew
    void reset()
    {
        requests = 0;
        rejected = 0;
        inputs = 0;
        tokens = 0;
        mostWaiting = 0;
    }
};

/// A rate, refilled continuously, holding at most `burstSeconds` of it; starts full.
class RateBucket
{
public:
    RateBucket(double perMinute, double burstSeconds)
        : m_perMs(perMinute / 60000.0), m_capacity(std::max(1.0, perMinute / 60.0 * burstSeconds)), m_level(m_capacity)
    {
        m_clock.start();
    }
    bool limited() const { return m_perMs > 0; }
    double capacity() const { return m_capacity; }
    /// 0 when `amount` fits now; else the ms until it will (negative: it never will, too big).
    qint64 waitMs(double amount)
    {
        if (!limited())
            return 0;
        if (amount > m_capacity)
            return -1;
        refill();
        return m_level >= amount ? 0 : qint64(std::ceil((amount - m_level) / m_perMs));
    }
    void take(double amount)
    {
        if (limited())
            m_level -= amount;
    }

private:
    void refill()
    {
        const qint64 now = m_clock.elapsed();
        m_level = std::min(m_capacity, m_level + double(now - m_lastMs) * m_perMs);
        m_lastMs = now;
    }

    QElapsedTimer m_clock;
    double m_perMs;
    double m_capacity;
    double m_level;
    qint64 m_lastMs = 0;
};
} // namespace vwb::test
