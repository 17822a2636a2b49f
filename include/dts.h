/*
 * dts.h — libdts, the digital-trade statistics classification engine.
 *
 * Read this header top to bottom to learn the library. The path of a record:
 *
 *   dts/common.h   result codes, per-thread errors, versions
 *   dts/field.h    the canonical record fields, field values, normalisation
 *   dts/binding.h  the columns of a table bound to fields
 *   dts/money.h    exact money (fixed-point decimal amounts), currency marks
 *   dts/unit.h     units of amounts (万元, 千美元, USD thousand) in headers
 *   dts/period.h   record periods (dates, months, quarters, years, spans)
 *   dts/record.h   the checks a record must pass to be counted
 *   dts/category.h the fixed top of the category tree (DT DO DD, six tops)
 *   dts/rules.h    classifier files compiled into an immutable rule set
 *   dts/scanner.h  classifying records with a per-thread scanner
 *   dts/amount.h   exact amounts in the reporting currency, rates
 *   dts/csv.h      reading CSV files as a stream of records
 *   dts/ceb.h      reading customs CBEC XML messages as records
 *   dts/source.h   one input of records (CSV or XML, sniffed), the reject policy
 *   dts/batch.h    classifying a source on N threads, results in input order
 *   dts/records.h  writing classified records: CSV, JSON lines, rejects, summary
 *   dts/rates.h    exchange rates to the reporting currency
 *   dts/cube.h     the statistics cube: exact sums, mergeable partials
 *   dts/diff.h     two classifier versions over the same records: what moves
 *   dts/gen.h      synthetic trade records for tests and benchmarks
 *   dts/aggregate.h records into a cube: dimensions, keys, conversion, zones
 *   dts/table.h    tables and their writers: text, CSV, SDMX-CSV, SDMX-ML, xlsx
 *   dts/report.h   indicators, targets, growth, shares, the boundary table
 *   dts/geo.h      districts and zones (4+4+1+5) of the report
 *   dts/page.h     the monitoring page: one self-contained HTML file
 *   dts/reconcile.h  two sources compared: records, cube totals, 三单对碰
 *   dts/codes.h    code lists: trade modes, BOP codes, countries, districts
 *
 * Conventions (libgit2, SQLite): every name starts with dts_; handles are
 * opaque and freed by a matching _free() that accepts NULL; functions return
 * 0 or a negative DTS_E* code and put out-parameters first; the library
 * never prints and never exits. Each function says who owns what and
 * whether it is thread-safe.
 */
#ifndef DTS_H
#define DTS_H

#include "dts/common.h"
#include "dts/field.h"
#include "dts/binding.h"
#include "dts/money.h"
#include "dts/unit.h"
#include "dts/period.h"
#include "dts/record.h"
#include "dts/category.h"
#include "dts/rules.h"
#include "dts/scanner.h"
#include "dts/amount.h"
#include "dts/csv.h"
#include "dts/ceb.h"
#include "dts/xlsx.h"
#include "dts/source.h"
#include "dts/batch.h"
#include "dts/records.h"
#include "dts/rates.h"
#include "dts/cube.h"
#include "dts/diff.h"
#include "dts/gen.h"
#include "dts/table.h"
#include "dts/report.h"
#include "dts/reconcile.h"
#include "dts/aggregate.h"
#include "dts/codes.h"
#include "dts/profile.h"
#include "dts/suppress.h"
#include "dts/geo.h"
#include "dts/page.h"
#include "dts/standard.h"
#include "dts/model.h"

#endif
