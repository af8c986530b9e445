# tests/interop/install-knex.cmake — installs the real Knex CLI (npm packages knex@3 and pg@8) and
# tsx@4 (which runs the reference application's TypeScript) into a test-only folder of the build
# tree, for tst_knexinterop and tst_referenceapp. Run by the knex_install fixture:
#   cmake -DNPM=/usr/bin/npm -DPREFIX=<build>/knex-interop -P tests/interop/install-knex.cmake
# Idempotent: when both packages are already there it does nothing (and needs no network).
# Nothing is written outside PREFIX.

cmake_minimum_required(VERSION 3.25)

if(NOT NPM)
  message(FATAL_ERROR "install-knex.cmake: pass -DNPM=<path of npm>")
endif()
if(NOT PREFIX)
  message(FATAL_ERROR "install-knex.cmake: pass -DPREFIX=<folder to install knex and pg into>")
endif()

set(knex_cli "${PREFIX}/node_modules/knex/bin/cli.js")
set(pg_package "${PREFIX}/node_modules/pg/package.json")
set(tsx_cli "${PREFIX}/node_modules/tsx/dist/cli.mjs")
if(EXISTS "${knex_cli}" AND EXISTS "${pg_package}" AND EXISTS "${tsx_cli}")
  message(STATUS "knex, pg and tsx are already installed in ${PREFIX}")
  return()
endif()

file(MAKE_DIRECTORY "${PREFIX}")
# A package.json of PREFIX's own makes it the npm project root, so npm never walks up and
# installs into (or reads) a package.json further up the tree.
if(NOT EXISTS "${PREFIX}/package.json")
  file(WRITE "${PREFIX}/package.json"
       "{\n  \"name\": \"vwb-knex-interop\",\n  \"private\": true,\n"
       "  \"description\": \"The real Knex CLI for tst_knexinterop; build tree only\"\n}\n")
endif()

message(STATUS "Installing knex@3, pg@8 and tsx@4 into ${PREFIX}")
# Kept under the fixture's own ctest TIMEOUT (300 s) so a stuck registry reads as npm's failure.
execute_process(COMMAND "${NPM}" install --prefix "${PREFIX}" --no-audit --no-fund --no-save knex@3 pg@8 tsx@4
                WORKING_DIRECTORY "${PREFIX}"
                RESULT_VARIABLE npm_result
                OUTPUT_VARIABLE npm_output
                ERROR_VARIABLE npm_error
                TIMEOUT 270)
if(NOT npm_result EQUAL 0)
  message(FATAL_ERROR "npm install of knex@3 and pg@8 into ${PREFIX} failed (${npm_result}).\n"
                      "The Knex interop test needs the npm registry once; later runs reuse the install.\n"
                      "npm stdout:\n${npm_output}\nnpm stderr:\n${npm_error}")
endif()
if(NOT EXISTS "${knex_cli}" OR NOT EXISTS "${pg_package}" OR NOT EXISTS "${tsx_cli}")
  message(FATAL_ERROR "npm install reported success but ${knex_cli}, ${pg_package} or ${tsx_cli} is missing.\n"
                      "npm stdout:\n${npm_output}\nnpm stderr:\n${npm_error}")
endif()
message(STATUS "Installed knex and pg into ${PREFIX}")
