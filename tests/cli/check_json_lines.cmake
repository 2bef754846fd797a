# Runs a mexc-cli command and checks its output line by line as JSON (string(JSON) parses it):
#   cmake -DCLI=path "-DARGS=a b c" -DKIND=trades -DSYMBOLS=BTCUSDT,ETHUSDT -DLINES=N
#         [-DDECIMAL=price | -DDECIMAL=bids,0,0] -P check_json_lines.cmake
# Every line must parse and carry "kind" KIND, a "symbol" of SYMBOLS, a positive exchange "time"
# and "received_us", and the field DECIMAL as an exact decimal string; exactly LINES lines.
#   cmake -DCLI=path -DARGS=... -DSUMMARY=1 -DSYMBOLS_N=N -P check_json_lines.cmake
# checks the one summary line of `books`: every book Live, no 429, the connections the
# per-connection cap of 20 to 30 topics gives.
cmake_minimum_required(VERSION 3.19)
separate_arguments(args UNIX_COMMAND "${ARGS}")
string(REPLACE "," ";" SYMBOLS "${SYMBOLS}")
string(REPLACE "," ";" DECIMAL "${DECIMAL}")
execute_process(COMMAND ${CLI} ${args} OUTPUT_VARIABLE out RESULT_VARIABLE rc TIMEOUT 90)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mexc-cli exited with ${rc}:\n${out}")
endif()
string(STRIP "${out}" out)
string(REPLACE ";" "," out "${out}")  # CMake lists split on ';': none may survive in a line
string(REPLACE "\n" ";" lines "${out}")
list(LENGTH lines count)

if(SUMMARY)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "expected one summary line, got ${count}:\n${out}")
  endif()
  foreach(field symbols live connections max_topics_per_connection seconds_to_all_live snapshots
          http_429 rss_bytes)
    string(JSON ${field} ERROR_VARIABLE err GET "${lines}" ${field})
    if(err)
      message(FATAL_ERROR "summary without ${field}: ${lines}")
    endif()
  endforeach()
  math(EXPR least "(${SYMBOLS_N} + 29) / 30")
  math(EXPR most "(${SYMBOLS_N} + 19) / 20")
  if(NOT symbols EQUAL SYMBOLS_N OR NOT live EQUAL SYMBOLS_N OR NOT http_429 EQUAL 0
     OR connections LESS least OR connections GREATER most OR max_topics_per_connection GREATER 30
     OR snapshots LESS SYMBOLS_N OR rss_bytes LESS_EQUAL 0)
    message(FATAL_ERROR "summary out of bounds (connections ${least}..${most}): ${lines}")
  endif()
  message(STATUS "books summary: ${lines}")
  return()
endif()

if(NOT count EQUAL LINES)
  message(FATAL_ERROR "expected ${LINES} lines, got ${count}:\n${out}")
endif()
foreach(line IN LISTS lines)
  string(JSON kind ERROR_VARIABLE err GET "${line}" kind)
  if(err)
    message(FATAL_ERROR "not a JSON event line (${err}): ${line}")
  endif()
  string(JSON symbol GET "${line}" symbol)
  string(JSON time GET "${line}" time)
  string(JSON received GET "${line}" received_us)
  if(NOT kind STREQUAL KIND)
    message(FATAL_ERROR "kind ${kind}, expected ${KIND}: ${line}")
  endif()
  if(NOT symbol IN_LIST SYMBOLS)
    message(FATAL_ERROR "symbol ${symbol} not among ${SYMBOLS}: ${line}")
  endif()
  if(time LESS_EQUAL 0 OR received LESS_EQUAL 0)
    message(FATAL_ERROR "no exchange or receive time: ${line}")
  endif()
  if(DECIMAL)
    string(JSON type TYPE "${line}" ${DECIMAL})
    string(JSON value GET "${line}" ${DECIMAL})
    if(NOT type STREQUAL "STRING" OR NOT value MATCHES "^[0-9]+\\.[0-9]+$")
      message(FATAL_ERROR "${DECIMAL} is not an exact decimal string: ${line}")
    endif()
  endif()
endforeach()
message(STATUS "${count} ${KIND} lines of ${SYMBOLS}")
