// tests/fuzz/fuzz_connectionstrings.cpp — libFuzzer target for what names a database: any bytes
// as a database URL, a .env file and a pg_service.conf must come back as values or an Error
// with a one-line message and no control characters; a URL that parses must write back (toDatabaseUrl) to one that parses
// to the same connection.
#include "connection/DatabaseUrl.h"
#include "connection/DotEnv.h"
#include "connection/EnvironmentProfiles.h"
#include "FuzzChecks.h"
#include <QByteArray>
#include <cstddef>
#include <cstdint>

namespace {

void checkUrl(const QString &text)
{
    const auto parsed = vwb::parseDatabaseUrl(text);
    if (!parsed.ok()) {
        vwb::fuzz::checkError(parsed.error());
        return;
    }
    const vwb::ConnectionParams &p = parsed.value();
    const auto again = vwb::parseDatabaseUrl(vwb::toDatabaseUrl(p, true));
    vwb::fuzz::check(again.ok());
    const vwb::ConnectionParams &q = again.value();
    vwb::fuzz::check(q.host == p.host && q.port == p.port && q.dbname == p.dbname && q.user == p.user && q.password == p.password
                     && q.sslmode == p.sslmode && q.extra == p.extra);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    checkUrl(text);
    checkUrl(QStringLiteral("postgresql://") + text);
    if (auto env = vwb::parseDotEnv(text); !env.ok())
        vwb::fuzz::checkError(env.error());
    QStringList warnings;
    (void)vwb::parseServiceFile(text, &warnings);
    return 0;
}
