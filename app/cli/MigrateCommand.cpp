// app/cli/MigrateCommand.cpp — placeholder: vwb migrate.
#include "cli/CliSupport.h"

namespace vwb::cli {
int runMigrate(const QStringList &args)
{
    Q_UNUSED(args);
    printError(QStringLiteral("vwb migrate: not built yet"));
    return Failed;
}
} // namespace vwb::cli
