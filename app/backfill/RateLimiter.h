// app/backfill/RateLimiter.h
#pragma once

#include <QtGlobal>
#include <deque>
#include <utility>

namespace vwb {

/// Spaces provider requests by requests/min (evenly, 60000/rpm ms apart) and estimated
/// tokens/min (a sliding minute). Pure: the caller passes the time, so tests never wait.
class RateLimiter
{
public:
    RateLimiter(double requestsPerMinute, double tokensPerMinute) : m_rpm(requestsPerMinute), m_tpm(tokensPerMinute) {}
    /// ms to wait before a request of `tokens` may go at `nowMs`; 0 when it may go now. A request
    /// bigger than the whole token budget goes once the minute before it is empty.
    qint64 delayMs(qint64 nowMs, qint64 tokens) const;
    void record(qint64 nowMs, qint64 tokens);

private:
    double m_rpm;
    double m_tpm;
    qint64 m_lastRequestMs = -1;
    std::deque<std::pair<qint64, qint64>> m_window; // (ms, tokens) of the last minute's requests
};
} // namespace vwb
