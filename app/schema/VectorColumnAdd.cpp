// app/schema/VectorColumnAdd.cpp
#include "schema/VectorColumnAdd.h"

#include "connection/PgConnection.h"
#include "core/AuditLog.h"
#include <QRegularExpression>

namespace vwb {

Result<void> addVectorColumn(PgConnection &conn, const ContentPair &pair, const VectorColumnAdd &column)
{
    if (conn.isWriteLocked())
        return Error::invalid(QStringLiteral("Profile \"%1\" is production and read-only in this session: unlock writes to add a column")
                                  .arg(conn.profile().name));
    static const QRegularExpression name(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
    if (!name.match(column.name).hasMatch())
        return Error::invalid(
            QStringLiteral("\"%1\" is not a plain column name (lowercase letters, digits and _, as Knex writes them)").arg(column.name));
    if (column.type != QLatin1String("vector") && column.type != QLatin1String("halfvec"))
        return Error::invalid(QStringLiteral("The column type must be vector or halfvec, not \"%1\"").arg(column.type));
    if (column.dimensions < 1 || column.dimensions > 16000)
        return Error::invalid(QStringLiteral("The dimensions must be 1-16000 (got %1)").arg(column.dimensions));
    if (pair.vectorsHave(column.name))
        return Error::invalid(QStringLiteral("%1 has a column %2 already").arg(pair.vectors.display(), column.name));
    const QString table = conn.escapeIdentifier(pair.vectors.schema) + QLatin1Char('.') + conn.escapeIdentifier(pair.vectors.name);
    const QString alter = QStringLiteral("ALTER TABLE %1 ADD COLUMN %2 %3(%4)")
                              .arg(table, conn.escapeIdentifier(column.name), column.type)
                              .arg(column.dimensions);
    AuditedWrite audit(conn.profile().name, QStringLiteral("add a vector column"), alter);
    auto added = conn.execScript(QStringLiteral("BEGIN; SET LOCAL lock_timeout = '5s'; %1; COMMIT;").arg(alter));
    audit.finish(added);
    if (!added.ok()) {
        (void)conn.execScript(QStringLiteral("ROLLBACK"));
        if (added.error().sqlState == QLatin1String("55P03"))
            return Error::invalid(QStringLiteral("%1 is in use by a long transaction (the lock was not granted in 5 s): nothing "
                                                 "changed; try again when it is quieter")
                                      .arg(pair.vectors.display()));
        return added.error();
    }
    return {};
}
} // namespace vwb
