// app/cli/DemoCommand.cpp — placeholder, being written: vwb demo seed.
#include "cli/CliSupport.h"

namespace vwb::cli {
int runDemo(const QStringList &args)
{
    Q_UNUSED(args);
    printError(QStringLiteral("vwb demo: not built yet"));
    return Failed;
}
} // namespace vwb::cli
