// app/connection/DatabaseUrl.cpp
#include "connection/DatabaseUrl.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QSet>
#include <QStringDecoder>
#include <QStringList>
#include <algorithm>
#include <optional>

namespace vwb {
namespace {

const QStringList &sslModes()
{
    static const QStringList modes{QStringLiteral("disable"), QStringLiteral("allow"),     QStringLiteral("prefer"),
                                   QStringLiteral("require"), QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
    return modes;
}

QSet<QString> keywordSet(const QString &spaceSeparated)
{
    const QStringList names = spaceSeparated.split(u' ', Qt::SkipEmptyParts);
    return QSet<QString>(names.begin(), names.end());
}

/// libpq keywords (up to PostgreSQL 17) that have no field of their own in ConnectionParams.
const QSet<QString> &extraKeywords()
{
    static const QSet<QString> keywords = keywordSet(
        QStringLiteral("hostaddr passfile channel_binding connect_timeout client_encoding options application_name "
                       "fallback_application_name keepalives keepalives_idle keepalives_interval keepalives_count "
                       "tcp_user_timeout replication sslnegotiation sslcompression sslcert sslkey sslcertmode sslpassword "
                       "sslrootcert sslcrl sslcrldir sslsni requirepeer require_auth ssl_min_protocol_version "
                       "ssl_max_protocol_version gssencmode krbsrvname gsslib gssdelegation target_session_attrs "
                       "load_balance_hosts service"));
    return keywords;
}

/// Keywords libpq reads as integers; anything else there would fail only at connect time.
const QSet<QString> &integerKeywords()
{
    static const QSet<QString> keywords = keywordSet(
        QStringLiteral("connect_timeout keepalives keepalives_idle keepalives_interval keepalives_count tcp_user_timeout"));
    return keywords;
}

bool isHexDigit(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

bool isAsciiDigits(QStringView s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

/// Decodes %XX sequences (no '+' for space, as in libpq). `what` names the part in messages;
/// a secret part is never quoted back.
Result<QString> percentDecode(QStringView raw, const QString &what, bool secret = false)
{
    if (!raw.contains(u'%'))
        return raw.toString();
    QByteArray bytes;
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw[i] != u'%')
            continue;
        bytes += raw.mid(runStart, i - runStart).toUtf8();
        if (i + 2 >= raw.size() || !isHexDigit(raw[i + 1]) || !isHexDigit(raw[i + 2])) {
            if (secret)
                return Error::invalid(QStringLiteral("Invalid percent-encoding in the %1 of the database URL "
                                                     "(expected %XX with two hex digits)")
                                          .arg(what));
            return Error::invalid(QStringLiteral("Invalid percent-encoding \"%1\" in the %2 of the database URL "
                                                 "(expected %XX with two hex digits)")
                                      .arg(raw.mid(i, 3).toString(), what));
        }
        const char byte = static_cast<char>(raw.mid(i + 1, 2).toString().toUInt(nullptr, 16));
        if (byte == 0)
            return Error::invalid(QStringLiteral("%1 is not allowed in the %2 of the database URL").arg(QLatin1String("%00"), what));
        bytes += byte;
        i += 2;
        runStart = i + 1;
    }
    bytes += raw.mid(runStart).toUtf8();
    QStringDecoder toUtf16(QStringDecoder::Utf8);
    QString decoded = toUtf16(bytes);
    if (toUtf16.hasError())
        return Error::invalid(QStringLiteral("Percent-encoded bytes in the %1 of the database URL are not valid UTF-8").arg(what));
    return decoded;
}

Result<void> validatePort(const QString &port)
{
    bool ok = false;
    const int number = isAsciiDigits(port) && port.size() <= 5 ? port.toInt(&ok) : 0;
    if (!ok || number < 1 || number > 65535)
        return Error::invalid(QStringLiteral("Invalid port \"%1\" in the database URL: use a number from 1 to 65535").arg(port));
    return {};
}

/// A comma-separated port list as in `?port=5432,5433`; empty items mean "default".
Result<void> validatePortList(const QString &ports)
{
    if (ports.isEmpty())
        return {};
    for (const QString &port : ports.split(u',')) {
        if (port.isEmpty())
            continue;
        if (auto valid = validatePort(port); !valid.ok())
            return valid;
    }
    return {};
}

/// The inside of `[...]`: an IPv6 address with an optional zone id, `%25eth0` as RFC 6874 says
/// (a bare `%eth0` is accepted too, since that is how people write it).
Result<QString> parseIpv6(const QString &inner)
{
    const qsizetype percent = inner.indexOf(u'%');
    const QString address = percent < 0 ? inner : inner.left(percent);
    const bool plausible = address.contains(u':') && std::all_of(address.begin(), address.end(), [](QChar c) {
                               return isHexDigit(c) || c == u':' || c == u'.';
                           });
    if (!plausible)
        return Error::invalid(QStringLiteral("Invalid IPv6 address \"[%1]\" in the database URL").arg(address));
    if (percent < 0)
        return address;
    QString zone = inner.mid(percent + 1);
    if (zone.startsWith(QLatin1String("25"))) {
        auto decoded = percentDecode(QStringView(zone).mid(2), QStringLiteral("IPv6 zone id"));
        if (!decoded.ok())
            return decoded.error();
        zone = decoded.value();
    }
    if (zone.isEmpty())
        return Error::invalid(QStringLiteral("Empty IPv6 zone id after \"%\" in \"[%1]\" of the database URL").arg(inner));
    return address + u'%' + zone;
}

struct HostList
{
    QStringList hosts;
    QStringList ports;
};

/// `host[:port][,host[:port]...]` between the `@` (or `//`) and the path or query.
Result<HostList> parseHostList(const QString &spec)
{
    HostList out;
    const qsizetype n = spec.size();
    qsizetype i = 0;
    for (;;) {
        QString host;
        if (i < n && spec[i] == u'[') {
            const qsizetype close = spec.indexOf(u']', i);
            if (close < 0)
                return Error::invalid(QStringLiteral("Unterminated \"[\" in the host of the database URL: IPv6 "
                                                     "addresses are written like [::1]:5432"));
            const QString inner = spec.mid(i + 1, close - i - 1);
            if (inner.isEmpty())
                return Error::invalid(QStringLiteral("Empty IPv6 address \"[]\" in the database URL"));
            auto address = parseIpv6(inner);
            if (!address.ok())
                return address.error();
            host = address.value();
            i = close + 1;
            if (i < n && spec[i] != u':' && spec[i] != u',')
                return Error::invalid(QStringLiteral("Unexpected \"%1\" after \"]\" in the host of the database URL "
                                                     "(expected \":port\", \",\", \"/\" or \"?\")")
                                          .arg(spec[i]));
        } else {
            qsizetype end = i;
            while (end < n && spec[end] != u':' && spec[end] != u',')
                ++end;
            auto decoded = percentDecode(QStringView(spec).mid(i, end - i), QStringLiteral("host"));
            if (!decoded.ok())
                return decoded.error();
            host = decoded.value();
            i = end;
        }
        QString port;
        if (i < n && spec[i] == u':') {
            qsizetype end = i + 1;
            while (end < n && spec[end] != u',')
                ++end;
            auto decoded = percentDecode(QStringView(spec).mid(i + 1, end - i - 1), QStringLiteral("port"));
            if (!decoded.ok())
                return decoded.error();
            port = decoded.value();
            if (!port.isEmpty()) {
                if (auto valid = validatePort(port); !valid.ok())
                    return valid.error();
            }
            i = end;
        }
        out.hosts << host;
        out.ports << port;
        if (i < n && spec[i] == u',') {
            ++i;
            continue;
        }
        return out;
    }
}

struct QueryState
{
    std::optional<QString> sslmode;
    std::optional<QString> sslFromNode; // `ssl=true|false`; an explicit sslmode wins, as in pg-connection-string
};

Result<void> applyQueryItem(const QString &key, const QString &value, ConnectionParams &params, QueryState &state)
{
    if (key == QLatin1String("host")) {
        params.host = value;
    } else if (key == QLatin1String("port")) {
        if (auto valid = validatePortList(value); !valid.ok())
            return valid;
        params.port = value;
    } else if (key == QLatin1String("dbname")) {
        params.dbname = value;
    } else if (key == QLatin1String("user")) {
        params.user = value;
    } else if (key == QLatin1String("password")) {
        params.password = value;
    } else if (key == QLatin1String("sslmode")) {
        if (!sslModes().contains(value))
            return Error::invalid(QStringLiteral("Invalid sslmode \"%1\" in the database URL: use one of %2")
                                      .arg(value, sslModes().join(QLatin1String(", "))));
        state.sslmode = value;
    } else if (key == QLatin1String("ssl")) {
        // libpq maps ssl=true to sslmode=require (for JDBC URLs); Node's pg-connection-string also takes 1/0/false.
        if (value == QLatin1String("true") || value == QLatin1String("1"))
            state.sslFromNode = QStringLiteral("require");
        else if (value == QLatin1String("false") || value == QLatin1String("0"))
            state.sslFromNode = QStringLiteral("disable");
        else
            return Error::invalid(QStringLiteral("Invalid ssl \"%1\" in the database URL: use true, false, 1 or 0, "
                                                 "or sslmode=...")
                                      .arg(value));
    } else if (extraKeywords().contains(key)) {
        static const QRegularExpression integer(QStringLiteral("^-?[0-9]{1,9}$"));
        if (integerKeywords().contains(key) && !integer.match(value).hasMatch())
            return Error::invalid(QStringLiteral("Invalid %1 \"%2\" in the database URL: must be an integer").arg(key, value));
        params.extra.insert(key, value);
    } else {
        return Error::invalid(QStringLiteral("Unknown connection option \"%1\" in the database URL query").arg(key));
    }
    return {};
}

Result<void> parseQuery(const QString &query, ConnectionParams &params)
{
    QueryState state;
    const QStringList items = query.split(u'&');
    for (const QString &item : items) {
        if (item.isEmpty()) // "a=1&&b=2" or a trailing "&"
            continue;
        const qsizetype eq = item.indexOf(u'=');
        if (eq < 0) {
            const bool mayBeSecret = item.contains(QLatin1String("password"), Qt::CaseInsensitive);
            return Error::invalid(QStringLiteral("Query item %1 in the database URL has no \"=\" (expected key=value)")
                                      .arg(mayBeSecret ? QStringLiteral("for a password") : QString(u'"' + item + u'"')));
        }
        auto key = percentDecode(QStringView(item).left(eq), QStringLiteral("query"));
        if (!key.ok())
            return key.error();
        const bool secret = key.value() == QLatin1String("password") || key.value() == QLatin1String("sslpassword");
        if (item.indexOf(u'=', eq + 1) >= 0)
            return Error::invalid(QStringLiteral("The value of \"%1\" in the database URL contains \"=\": "
                                                 "percent-encode it as %2")
                                      .arg(key.value(), QLatin1String("%3D")));
        auto value = percentDecode(QStringView(item).mid(eq + 1), QStringLiteral("value of \"%1\"").arg(key.value()), secret);
        if (!value.ok())
            return value.error();
        if (auto applied = applyQueryItem(key.value(), value.value(), params, state); !applied.ok())
            return applied;
    }
    if (state.sslmode)
        params.sslmode = *state.sslmode;
    else if (state.sslFromNode)
        params.sslmode = *state.sslFromNode;
    return {};
}

bool isSocketPath(const QString &host)
{
    return host.startsWith(u'/') || host.startsWith(u'@'); // '@': Linux abstract namespace, as in libpq
}

QString encoded(const QString &text, const QByteArray &keep = {})
{
    return QString::fromLatin1(text.toUtf8().toPercentEncoding(keep));
}

QString encodedHost(const QString &host)
{
    if (!host.contains(u':'))
        return encoded(host);
    const qsizetype percent = host.indexOf(u'%');
    if (percent < 0)
        return u'[' + host + u']';
    return u'[' + host.left(percent) + QLatin1String("%25") + encoded(host.mid(percent + 1)) + u']';
}

} // namespace

Result<ConnectionParams> parseDatabaseUrl(const QString &input)
{
    const QString url = input.trimmed();
    if (url.isEmpty())
        return Error::invalid(QStringLiteral("The database URL is empty"));

    const qsizetype schemeEnd = url.indexOf(QLatin1String("://"));
    static const QRegularExpression schemeChars(QStringLiteral("^[A-Za-z][A-Za-z0-9+.:-]*$"));
    const QString scheme = schemeEnd > 0 ? url.left(schemeEnd) : QString();
    if (scheme.isEmpty() || !schemeChars.match(scheme).hasMatch()) {
        if (url.startsWith(QLatin1String("postgres"), Qt::CaseInsensitive) && url.contains(u':'))
            return Error::invalid(QStringLiteral("The database URL must start with postgresql:// or postgres:// "
                                                 "(two slashes)"));
        return Error::invalid(QStringLiteral("Not a database URL: expected postgresql://... or postgres://..."));
    }
    if (scheme.compare(QLatin1String("postgresql"), Qt::CaseInsensitive) != 0
        && scheme.compare(QLatin1String("postgres"), Qt::CaseInsensitive) != 0)
        return Error::invalid(QStringLiteral("Unsupported database URL scheme \"%1://\": use postgresql:// or "
                                             "postgres://")
                                  .arg(scheme));
    for (qsizetype i = 0; i < url.size(); ++i) {
        if (url[i].isSpace())
            return Error::invalid(QStringLiteral("The database URL contains whitespace at position %1: "
                                                 "percent-encode it (a space is %2)")
                                      .arg(QString::number(i + 1), QLatin1String("%20")));
    }

    const QString rest = url.mid(schemeEnd + 3);
    qsizetype authorityEnd = 0;
    while (authorityEnd < rest.size() && rest[authorityEnd] != u'/' && rest[authorityEnd] != u'?')
        ++authorityEnd;
    const QString authority = rest.left(authorityEnd);
    const QString tail = rest.mid(authorityEnd);

    ConnectionParams params;
    const qsizetype at = authority.indexOf(u'@');
    if (authority.count(u'@') > 1)
        return Error::invalid(QStringLiteral("The user or password in the database URL contains \"@\": "
                                             "percent-encode it as %40"));
    if (at < 0) {
        // "user:pa/ss@host": an unencoded / or ? cut the authority short. Without this check the
        // password's first part would be read as a port and quoted back in the error.
        const qsizetype laterAt = tail.indexOf(u'@');
        const qsizetype firstEq = tail.indexOf(u'=');
        if (laterAt >= 0 && (firstEq < 0 || laterAt < firstEq))
            return Error::invalid(QStringLiteral("\"@\" after the host in the database URL: if the user or password "
                                                 "contains \"/\" or \"?\", percent-encode them as %2F and %3F (and "
                                                 "\"@\" in a database name as %40)"));
    }
    QString hostSpec = authority;
    if (at >= 0) {
        const QString userInfo = authority.left(at);
        hostSpec = authority.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(u':');
        auto user = percentDecode(QStringView(userInfo).left(colon < 0 ? userInfo.size() : colon), QStringLiteral("user"));
        if (!user.ok())
            return user.error();
        params.user = user.value();
        if (colon >= 0) {
            auto password = percentDecode(QStringView(userInfo).mid(colon + 1), QStringLiteral("password"), true);
            if (!password.ok())
                return password.error();
            params.password = password.value();
        }
    }

    auto hosts = parseHostList(hostSpec);
    if (!hosts.ok())
        return hosts.error();
    const auto nonEmpty = [](const QStringList &list) {
        return std::any_of(list.begin(), list.end(), [](const QString &s) { return !s.isEmpty(); });
    };
    if (nonEmpty(hosts.value().hosts) || hosts.value().hosts.size() > 1)
        params.host = hosts.value().hosts.join(u',');
    if (nonEmpty(hosts.value().ports))
        params.port = hosts.value().ports.join(u',');

    QString query;
    if (tail.startsWith(u'/')) {
        const qsizetype question = tail.indexOf(u'?');
        auto dbname = percentDecode(QStringView(tail).mid(1, question < 0 ? -1 : question - 1), QStringLiteral("database name"));
        if (!dbname.ok())
            return dbname.error();
        params.dbname = dbname.value();
        if (question >= 0)
            query = tail.mid(question + 1);
    } else if (tail.startsWith(u'?')) {
        query = tail.mid(1);
    }
    if (auto parsed = parseQuery(query, params); !parsed.ok())
        return parsed.error();
    return params;
}

QString toDatabaseUrl(const ConnectionParams &params, bool includePassword)
{
    QString url = QStringLiteral("postgresql://");
    const bool withPassword = includePassword && !params.password.isEmpty();
    if (!params.user.isEmpty() || withPassword) {
        url += encoded(params.user);
        if (withPassword)
            url += u':' + encoded(params.password);
        url += u'@';
    }

    const QStringList hosts = params.host.split(u',');
    const QStringList ports = params.port.isEmpty() ? QStringList{} : params.port.split(u',');
    const bool hostsInQuery = std::any_of(hosts.begin(), hosts.end(), isSocketPath);
    // libpq lets one port serve every host; only a one-per-host list fits in the authority.
    const bool portsInQuery = hostsInQuery || (!ports.isEmpty() && ports.size() != hosts.size());
    if (!hostsInQuery) {
        for (qsizetype i = 0; i < hosts.size(); ++i) {
            if (i > 0)
                url += u',';
            url += encodedHost(hosts[i]);
            if (!portsInQuery && i < ports.size() && !ports[i].isEmpty())
                url += u':' + encoded(ports[i]);
        }
    }

    const QByteArray keepInValues("/:,");
    QStringList query;
    if (!params.sslmode.isEmpty())
        query << QStringLiteral("sslmode=") + encoded(params.sslmode);
    if (hostsInQuery)
        query << QStringLiteral("host=") + encoded(params.host, keepInValues);
    if (portsInQuery && !params.port.isEmpty())
        query << QStringLiteral("port=") + encoded(params.port, keepInValues);
    for (auto it = params.extra.cbegin(); it != params.extra.cend(); ++it)
        query << encoded(it.key()) + u'=' + encoded(it.value(), keepInValues);

    if (!params.dbname.isEmpty() || !query.isEmpty())
        url += u'/' + encoded(params.dbname);
    if (!query.isEmpty())
        url += u'?' + query.join(u'&');
    return url;
}

} // namespace vwb
