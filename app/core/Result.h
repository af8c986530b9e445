// app/core/Result.h
#pragma once

#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace vwb {

/// An error as a value: one line for a person, plus what a program needs to react to it.
struct Error
{
    enum class Kind { Connection, Sql, Canceled, Timeout, Io, Invalid, Internal };
    Kind kind = Kind::Invalid;
    QString message;  // one line, fit for a status bar
    QString sqlState; // "57014" canceled statement, "28P01" wrong password, ...
    QString detail;   // server DETAIL/HINT, or context added on the way up

    static Error invalid(const QString &message) { return {Kind::Invalid, message, {}, {}}; }
    static Error io(const QString &message) { return {Kind::Io, message, {}, {}}; }
    static Error internal(const QString &message) { return {Kind::Internal, message, {}, {}}; }
    static Error canceled() { return {Kind::Canceled, QStringLiteral("Canceled"), QStringLiteral("57014"), {}}; }

    Error withContext(const QString &context) const
    {
        Error e = *this;
        e.detail = detail.isEmpty() ? context : context + QStringLiteral(": ") + detail;
        return e;
    }
    bool isCanceled() const { return kind == Kind::Canceled; }
    QString kindName() const;
};

/// Holds a T or an Error. Result<void> holds nothing or an Error.
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}
    bool ok() const { return m_data.index() == 0; }
    const T &value() const & { return std::get<0>(m_data); }
    T &value() & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const Error &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}
    bool ok() const { return !m_error.has_value(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

namespace detail {
void logAssert(const char *cond, const char *file, int line);
}
} // namespace vwb

/// "Can't happen": logs file:line in every build, then recovers with the given statement.
#define VWB_ASSERT(cond, recover)                                                                                                        \
    do {                                                                                                                                 \
        if (!(cond)) {                                                                                                                   \
            ::vwb::detail::logAssert(#cond, __FILE__, __LINE__);                                                                         \
            recover;                                                                                                                     \
        }                                                                                                                                \
    } while (false)
