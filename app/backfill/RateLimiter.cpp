// app/backfill/RateLimiter.cpp
#include "backfill/RateLimiter.h"

#include <cmath>

namespace vwb {

qint64 RateLimiter::delayMs(qint64 nowMs, qint64 tokens) const
{
    qint64 wait = 0;
    if (m_rpm > 0 && m_lastRequestMs >= 0)
        wait = m_lastRequestMs + qint64(std::ceil(60000.0 / m_rpm)) - nowMs;
    if (m_tpm > 0) {
        qint64 used = 0;
        for (const auto &[at, t] : m_window)
            used += at > nowMs - 60000 ? t : 0;
        for (const auto &[at, t] : m_window) { // oldest first: wait until enough has left the minute
            if (used + tokens <= m_tpm || used == 0)
                break;
            if (at > nowMs - 60000) {
                wait = qMax(wait, at + 60000 - nowMs);
                used -= t;
            }
        }
    }
    return qMax(wait, qint64(0));
}

void RateLimiter::record(qint64 nowMs, qint64 tokens)
{
    m_lastRequestMs = nowMs;
    m_window.emplace_back(nowMs, tokens);
    while (!m_window.empty() && m_window.front().first <= nowMs - 60000)
        m_window.pop_front();
}
} // namespace vwb
