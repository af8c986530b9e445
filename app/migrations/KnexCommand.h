// app/migrations/KnexCommand.h
#pragma once

#include "migrations/KnexProject.h"
#include <QMap>
#include <functional>

namespace vwb {

/// Runs the project's own Knex CLI (`<project>/node_modules/.bin/knex`, else `npx knex`, or
/// `command` when given: a shell command line the arguments are appended to) in the knexfile's
/// folder with `env`, streaming each output line to `log`. Returns the exit code; a CLI that
/// can't start, or runs past `timeoutMs`, is an error.
Result<int> runProjectKnex(const KnexProject &project, const QStringList &args, const QMap<QString, QString> &env,
                           const std::function<void(const QString &)> &log, const QString &command = {}, int timeoutMs = 30 * 60 * 1000);
/// The command line runProjectKnex() would run, for previews.
QString projectKnexCommand(const KnexProject &project, const QStringList &args, const QString &command = {});
} // namespace vwb
