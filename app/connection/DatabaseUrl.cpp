// app/connection/DatabaseUrl.cpp
#include "connection/DatabaseUrl.h"

#include "core/ShownText.h"

#include <QByteArray>
#include <QStringDecoder>
#include <QUrl>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>
#include <algorithm>
#include <libpq-fe.h>
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

/// Keywords libpq reads as integers; anything else there would fail only at connect time.
const QSet<QString> &integerKeywords()
{
    static const QSet<QString> keywords = keywordSet(
        QStringLiteral("connect_timeout keepalives keepalives_idle keepalives_interval keepalives_count tcp_user_timeout"));
    return keywords;
}

bool isAsciiDigits(QStringView s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

/// A comma-separated port list as in `?port=5432,5433`; empty items mean "default". libpq
/// itself would accept "5432x" at parse time and fail only when connecting.
Result<void> validatePortList(const QString &ports)
{
    for (const QString &port : ports.split(u',')) {
        bool ok = false;
        const int number = isAsciiDigits(port) && port.size() <= 5 ? port.toInt(&ok) : 0;
        if (!port.isEmpty() && (!ok || number < 1 || number > 65535))
            return Error::invalid(QStringLiteral("Invalid port \"%1\" in the database URL: use a number from 1 to 65535")
                                      .arg(shownText(port))); // percent-decoded: it may hold a line break
    }
    return {};
}

/// The query of a URL with Node's SSL spellings turned into libpq's: `ssl=true|1` is
/// sslmode=require and `ssl=false|0` sslmode=disable unless an sslmode is given (as
/// pg-connection-string reads them), and pg-connection-string's sslmode=no-verify (TLS without
/// checking the certificate) is libpq's require.
Result<QString> libpqQuery(const QString &query)
{
    QStringList items;
    std::optional<QString> fromNode;
    bool sslmodeGiven = false;
    for (const QString &item : query.split(u'&', Qt::SkipEmptyParts)) {
        const QString key = item.section(u'=', 0, 0);
        const QString value = item.section(u'=', 1);
        if (key == QLatin1String("ssl")) {
            if (value == QLatin1String("true") || value == QLatin1String("1"))
                fromNode = QStringLiteral("require");
            else if (value == QLatin1String("false") || value == QLatin1String("0"))
                fromNode = QStringLiteral("disable");
            else
                return Error::invalid(QStringLiteral("Invalid ssl \"%1\" in the database URL: use true, false, 1 or 0, or sslmode=...")
                                          .arg(shownText(value)));
            continue;
        }
        if (key == QLatin1String("sslmode")) {
            sslmodeGiven = true;
            if (value == QLatin1String("no-verify")) {
                items << QStringLiteral("sslmode=require");
                continue;
            }
        }
        items << item;
    }
    if (fromNode && !sslmodeGiven)
        items << QStringLiteral("sslmode=") + *fromNode;
    return items.join(u'&');
}

/// What of `url` may be a secret, as written (a password's bytes must not reach an error message,
/// and libpq quotes the part it failed on).
QStringList secretParts(const QString &url)
{
    QStringList parts;
    const qsizetype authorityStart = url.indexOf(QLatin1String("://")) + 3;
    const qsizetype at = url.indexOf(u'@', authorityStart);
    if (at > 0) {
        const QString userInfo = url.mid(authorityStart, at - authorityStart);
        if (const qsizetype colon = userInfo.indexOf(u':'); colon >= 0)
            parts << userInfo.mid(colon + 1);
    }
    for (const QString &item : url.section(u'?', 1).split(u'&'))
        if (item.startsWith(QLatin1String("password=")) || item.startsWith(QLatin1String("sslpassword=")))
            parts << item.section(u'=', 1);
    parts.removeAll(QString());
    for (qsizetype i = 0, n = parts.size(); i < n; ++i)
        parts << QUrl::fromPercentEncoding(parts.at(i).toUtf8());
    return parts;
}

bool isSocketPath(const QString &host)
{
    return host.startsWith(u'/') || host.startsWith(u'@'); // '@': Linux abstract namespace, as in libpq
}

QString encoded(const QString &text, const QByteArray &keep = {})
{
    return QString::fromLatin1(text.toUtf8().toPercentEncoding(keep));
}

/// An IPv6 address (anything with a ':') goes in brackets, percent-encoded but for its colons:
/// libpq decodes inside them too, so an IPv6 zone (%25eth0), or a host no address looks like,
/// comes back exactly (a raw '@' or ']' in there would end the brackets or the user part).
QString encodedHost(const QString &host)
{
    return host.contains(u':') ? u'[' + encoded(host, ":") + u']' : encoded(host);
}

} // namespace

Result<ConnectionParams> parseDatabaseUrl(const QString &input)
{
    const QString url = input.trimmed();
    if (url.isEmpty())
        return Error::invalid(QStringLiteral("The database URL is empty"));

    const qsizetype schemeEnd = url.indexOf(QLatin1String("://"));
    // \z, not $: "$" also matches before a final line break ("z\n://" found by fuzz_connectionstrings).
    static const QRegularExpression schemeChars(QStringLiteral("^[A-Za-z][A-Za-z0-9+.:-]*\\z"));
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
    // Node's SSL spellings become libpq's; then libpq reads the URL itself.
    const qsizetype question = url.indexOf(u'?');
    auto query = libpqQuery(question < 0 ? QString() : url.mid(question + 1));
    if (!query.ok())
        return query.error();
    // libpq knows its schemes in lower case only; RFC 3986 (and Node's URL parser) any case.
    QString forLibpq = scheme.toLower() + url.mid(schemeEnd, (question < 0 ? url.size() : question) - schemeEnd);
    if (!query.value().isEmpty())
        forLibpq += u'?' + query.value();
    char *message = nullptr;
    PQconninfoOption *options = PQconninfoParse(forLibpq.toUtf8().constData(), &message);
    if (!options) {
        QString why = message ? QString::fromUtf8(message).trimmed() : QStringLiteral("out of memory");
        PQfreemem(message);
        for (const QString &secret : secretParts(url))
            why.replace(secret, QStringLiteral("…"));
        return Error::invalid(QStringLiteral("Invalid database URL: %1").arg(shownText(why.section(u'\n', 0, 0))));
    }
    ConnectionParams params;
    std::optional<Error> invalid;
    for (const PQconninfoOption *o = options; o->keyword; ++o) {
        if (!o->val)
            continue; // only what the URL sets has a value: PQconninfoParse adds no defaults
        const QString key = QString::fromUtf8(o->keyword);
        QStringDecoder utf8(QStringDecoder::Utf8);
        const QString value = utf8(QByteArrayView(o->val));
        if (utf8.hasError() && !invalid)
            invalid = Error::invalid(QStringLiteral("The %1 in the database URL is not valid UTF-8 once percent-decoded").arg(key));
        if (key == QLatin1String("host"))
            params.host = value;
        else if (key == QLatin1String("port"))
            params.port = value;
        else if (key == QLatin1String("dbname"))
            params.dbname = value;
        else if (key == QLatin1String("user"))
            params.user = value;
        else if (key == QLatin1String("password"))
            params.password = value;
        else if (key == QLatin1String("sslmode"))
            params.sslmode = value;
        else
            params.extra.insert(key, value);
        static const QRegularExpression integer(QStringLiteral("^-?[0-9]{1,9}$"));
        if (integerKeywords().contains(key) && !integer.match(value).hasMatch() && !invalid)
            invalid = Error::invalid(
                QStringLiteral("Invalid %1 \"%2\" in the database URL: must be an integer").arg(key, shownText(value)));
    }
    PQconninfoFree(options);
    if (invalid)
        return *invalid;
    if (!params.sslmode.isEmpty() && !sslModes().contains(params.sslmode))
        return Error::invalid(QStringLiteral("Invalid sslmode \"%1\" in the database URL: use one of %2")
                                  .arg(shownText(params.sslmode), sslModes().join(QLatin1String(", "))));
    if (auto ports = validatePortList(params.port); !ports.ok())
        return ports.error();
    if (params.port.count(u',') == params.port.size()) // "h1,h2,h3" gives ",,": every host on the default port
        params.port.clear();
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
