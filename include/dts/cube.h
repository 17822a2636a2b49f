/*
 * dts/cube.h — the statistics cube.
 *
 * The cube groups records by a list of dimensions (one string key per
 * dimension) and keeps three measures per cell: the number of records, the
 * value in the reporting currency (exact), and the number of distinct
 * enterprises. Cubes built from shards merge exactly (dts_cube_merge) and
 * serialise to a text "partial" format that keeps everything needed for
 * that (docs/statistics.md), so merging the partials of N shards gives
 * byte-identical output to one run over all the input.
 */
#ifndef DTS_CUBE_H
#define DTS_CUBE_H

#include <stdio.h>

#include "common.h"
#include "money.h"
#include "amount.h"   /* dts_amount, dts_rate: the measures */
#include "period.h"   /* dts_period_*, once declared here */
#include "category.h" /* dts_category_*: the category dimension's tree */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- text that every output can carry ------------------------------------ */

/**
 * 0 when `s` (len bytes) is valid UTF-8 holding only characters XML 1.0
 * allows: tab, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF.
 * Else DTS_EINPUT naming the first offending character and its byte
 * offset ("U+0001 at byte 2 cannot be written in XML"). Cube keys must
 * pass it (dts_cube_add, partials), so SDMX-ML and xlsx never need to drop
 * or alter a character, and distinct values stay distinct. Thread-safe.
 */
DTS_API int dts_text_check(const char *s, size_t len);

/* ---- the cube ----------------------------------------------------------- */

typedef struct dts_cube dts_cube;

/**
 * Create an empty cube over `ndims` dimensions named dims[0..ndims-1]
 * (e.g. "period:year", "flow", "category:top"); the names are copied and
 * appear in outputs and partials. `currency` names the reporting currency
 * ("CNY"), copied.
 *
 * A dimension named "category", "category:top" or "category:leaf" is a
 * category dimension: a record added with category key K also counts in
 * the aggregates above it, so the cube has rows for DT (every top code
 * except NONE), DO (CBEC), DD (TECH SERV PROD DATA) next to the five top
 * codes and NONE; for a leaf "TECH.CLOUD" also the top "TECH". Distinct
 * enterprises of an aggregate are counted exactly, not summed.
 *
 * Errors: DTS_EINVAL (ndims 0 or > 16, an empty or duplicate name, a
 * name with a tab or newline), DTS_ENOMEM. Free with dts_cube_free().
 */
DTS_API int dts_cube_new(dts_cube **out, const char *const *dims,
			 size_t ndims, const char *currency);

/** Free a cube. NULL is a no-op. */
DTS_API void dts_cube_free(dts_cube *cube);

/** Number of dimensions. */
DTS_API size_t dts_cube_ndims(const dts_cube *cube);

/** Name of dimension i, or NULL when out of range. */
DTS_API const char *dts_cube_dim(const dts_cube *cube, size_t i);

/** Index of the dimension named `name`, or DTS_ENOTFOUND. */
DTS_API int dts_cube_find_dim(const dts_cube *cube, const char *name);

/** The reporting currency given to dts_cube_new(). */
DTS_API const char *dts_cube_currency(const dts_cube *cube);

/** Number of cells (aggregate rows included). */
DTS_API size_t dts_cube_count(const dts_cube *cube);

/**
 * Add one record: keys[i] is its key for dimension i (NUL-terminated,
 * copied; "" is a valid key), `value` its amount in its own currency and
 * `rate` the reporting-currency units per unit (DTS_RATE_ONE when it is
 * already in the reporting currency). `enterprise` (may be NULL or "")
 * is counted in the distinct-enterprise set of every cell the record
 * reaches; empty ids are not counted.
 *
 * All or nothing: on DTS_EOVERFLOW (a record count or a value sum would
 * overflow) or DTS_ENOMEM the cube is unchanged except possibly for new
 * empty cells and interned ids. A key that fails dts_text_check() (a C0
 * control other than tab, LF, CR; U+FFFE; U+FFFF; invalid UTF-8) is
 * DTS_EINPUT naming the dimension, with the cube unchanged: reject the
 * record. Tab, LF and CR are allowed (the partial format escapes them). Not thread-safe: use one cube per thread and merge.
 *
 * Memory: a cell costs about 120 bytes plus its keys; each distinct
 * enterprise id is stored once per cube, and each (cell, enterprise)
 * pair costs 4 to 8 bytes in the cell's open-addressing set (load <= 1/2).
 */
DTS_API int dts_cube_add(dts_cube *cube, const char *const *keys,
			 dts_money value, dts_rate rate,
			 const char *enterprise);

/**
 * Add every cell of `from` into `into` (sums of records and values, union
 * of enterprise sets, per-enterprise sums of contributions). Both must
 * have the same dimensions in the same order, the same currency (else
 * DTS_EINVAL naming the difference; the currency check is
 * dts_cube_check_currency()) and both keep contributions or neither
 * (dts_cube_set_contributions; else DTS_EINVAL).
 * DTS_EOVERFLOW or DTS_ENOMEM may leave `into` partly merged.
 * Merging is associative and commutative: any grouping of shards gives
 * the same cube.
 */
DTS_API int dts_cube_merge(dts_cube *into, const dts_cube *from);

/**
 * 0 when the two cubes have the same reporting currency, else DTS_EINVAL
 * ("different reporting currencies: USD and CNY"). Values in two
 * currencies cannot be added or compared: dts_cube_merge refuses such a
 * pair with this check, and so must anything that compares two cubes
 * (dts-reconcile --totals).
 */
DTS_API int dts_cube_check_currency(const dts_cube *a, const dts_cube *b);

/* ---- the vintage: what a cube was made from ------------------------------ */

/**
 * The release status of a cube's figures (dts-aggregate --status). A cube
 * is provisional until someone says otherwise.
 */
typedef enum dts_status {
	DTS_STATUS_PROVISIONAL = 1, /**< first estimate, will change */
	DTS_STATUS_FINAL = 2,       /**< the published figure */
	DTS_STATUS_REVISED = 3      /**< replaces a figure published before */
} dts_status;

/** "provisional", "final" or "revised" -> the dts_status (positive), or
 * DTS_ENOTFOUND with a message listing the names. Thread-safe. */
DTS_API int dts_status_parse(const char *name);

/** The name of a dts_status ("provisional" ...), NULL when unknown. */
DTS_API const char *dts_status_name(int status);

/**
 * The SDMX OBS_STATUS code (SDMX code list CL_OBS_STATUS 2.2) of a
 * status: "P" (provisional value) for provisional, "A" (normal value) for
 * final and for revised — the code list has no code for a revision; the
 * SDMX writers mark a revised data set as replacing the earlier one
 * (action Replace, SDMX-CSV ACTION R). NULL when unknown. Thread-safe.
 */
DTS_API const char *dts_status_obs(int status);

/**
 * The classifier the cube's categories come from, as "id@version"
 * (dts_rules_id() "@" dts_rules_version(): "cn-digital-trade@2025.1"),
 * copied; NULL or "" clears it (unknown: records classified elsewhere, a
 * format 2 partial). Written to and read from partials; merging partials
 * of two classifiers is refused (dts_agg_merge). DTS_EINVAL (a tab, a
 * newline or text dts_text_check() refuses), DTS_ENOMEM (unchanged).
 */
DTS_API int dts_cube_set_classifier(dts_cube *cube, const char *id_at_version);

/** The classifier set above (owned by the cube), or NULL when unknown. */
DTS_API const char *dts_cube_classifier(const dts_cube *cube);

/**
 * How the cube's enterprise ids are written: NULL (unset, the default)
 * when in clear; a keyed-hash scheme such as "hmac-sha256:<16 hex>" (the
 * key's fingerprint, set by dts_agg_set_id_key) when every id is a keyed
 * hash. Copied; NULL or "" clears it. Written to partials (an "ids" line
 * after the vintage, only when set) and read back; merging inputs whose
 * ids differ is refused (dts_agg_merge): an id in clear and its hash, or
 * the hashes of two keys, would count one enterprise twice. DTS_EINVAL (a
 * blank, tab or newline, "clear", or text dts_text_check() refuses),
 * DTS_ENOMEM (unchanged).
 */
DTS_API int dts_cube_set_ids(dts_cube *cube, const char *scheme);

/** The enterprise-id scheme set above (owned by the cube), or NULL: in clear. */
DTS_API const char *dts_cube_ids(const dts_cube *cube);

/** Set the status (a dts_status); DTS_EINVAL for anything else. */
DTS_API int dts_cube_set_status(dts_cube *cube, int status);

/** The status; DTS_STATUS_PROVISIONAL when never set. */
DTS_API int dts_cube_status(const dts_cube *cube);

/**
 * The vintage: the data cut-off date, "YYYY-MM-DD" (a real date), copied;
 * NULL or "" clears it. DTS_EINVAL for anything else, DTS_ENOMEM.
 */
DTS_API int dts_cube_set_vintage(dts_cube *cube, const char *date);

/** The vintage (owned by the cube), or NULL when unset. */
DTS_API const char *dts_cube_vintage(const dts_cube *cube);

/**
 * Record an input the cube was made from: its `name` (a path as given;
 * copied, non-empty, no tab or newline) and `digest` ("sha256:<64 hex>",
 * or NULL / "" when unknown, e.g. standard input). An input already listed
 * with the same name and digest is not listed again. Inputs are kept in
 * the order added and written to partials. DTS_EINVAL, DTS_ENOMEM.
 */
DTS_API int dts_cube_add_input(dts_cube *cube, const char *name,
			       const char *digest);

/** Number of inputs recorded. */
DTS_API size_t dts_cube_ninputs(const dts_cube *cube);

/**
 * Input i: *name and *digest (either pointer may be NULL) are set to
 * strings owned by the cube ("" for an unknown digest). DTS_EINVAL when i
 * is out of range.
 */
DTS_API int dts_cube_input(const char **name, const char **digest,
			   const dts_cube *cube, size_t i);

/** One cell as seen by dts_cube_foreach() and dts_cube_lookup(). */
typedef struct dts_cube_cell {
	const char *const *keys; /**< ndims keys, owned by the cube */
	size_t nkeys;
	uint64_t records;        /**< records counted */
	dts_amount value;        /**< exact value in the reporting currency */
	uint64_t enterprises;    /**< distinct non-empty enterprise ids */
} dts_cube_cell;

typedef int (*dts_cube_cell_cb)(const dts_cube_cell *cell, void *payload);

/**
 * Call `cb` for every cell in the canonical order: keys compared
 * dimension by dimension; a category dimension orders DT, DO, CBEC
 * (and its leaves), DD, TECH, SERV, PROD, DATA (each with its leaves),
 * NONE, then other codes bytewise; other dimensions compare bytewise.
 * A non-zero return from cb stops the walk and is returned.
 * Returns 0, or DTS_ENOMEM. The cube must not change during the walk.
 */
DTS_API int dts_cube_foreach(const dts_cube *cube, dts_cube_cell_cb cb,
			     void *payload);

/**
 * Roll a cube up onto `ndims` of its dimensions, named in dims (in the
 * order wanted): *out gets a new cube (same currency) whose cells sum the
 * records and values, unite the enterprise sets and sum the contributions
 * per enterprise (when the cube keeps them), of every cell with the same
 * kept keys. A category dimension that is summed out contributes
 * only its top codes and NONE (DT, DO, DD and leaves would count a record
 * twice); a kept category dimension keeps its aggregate rows as they are.
 * Rolling up onto all the dimensions copies the cube. Errors: DTS_EINVAL
 * (ndims 0 or more than the cube has, a name given twice), DTS_ENOTFOUND
 * (a name the cube does not have), DTS_EOVERFLOW, DTS_ENOMEM. The cube is
 * only read: thread-safe with other readers.
 */
DTS_API int dts_cube_rollup(dts_cube **out, const dts_cube *cube,
			    const char *const *dims, size_t ndims);

/** The cell with exactly these keys, or DTS_ENOTFOUND. */
DTS_API int dts_cube_lookup(dts_cube_cell *out, const dts_cube *cube,
			    const char *const *keys);

/* ---- contributions: what each enterprise gives a cell -------------------- */

/**
 * Keep, besides each cell's set of enterprise ids, the exact net value
 * each enterprise contributes to the cell (its records' values summed,
 * refunds included: a contribution may be negative or 0), so dominance
 * rules (the p% and (n,k) rules, dts/suppress.h) can be computed. Off by
 * default. Set it before the first record is added (DTS_EINVAL after,
 * when it would change). A cube with contributions writes them to
 * partials (a "contributions" line and a value on every ent line) and
 * reads them back; dts_cube_merge() sums them per enterprise (exact
 * across shards: an enterprise third in every shard may be first
 * overall) and refuses to merge a cube with contributions and one
 * without; dts_cube_rollup() sums them too. Enterprise ids may be keyed
 * hashes (dts_agg_set_id_key): contributions are kept per id as given.
 *
 * Memory: about 20 bytes per slot of a per-cell map (load <= 3/4), i.e.
 * 27 to 53 bytes more per (cell, enterprise) pair. Not thread-safe.
 */
DTS_API int dts_cube_set_contributions(dts_cube *cube, int on);

/** 1 when the cube keeps contributions (above), else 0. */
DTS_API int dts_cube_contributions(const dts_cube *cube);

/**
 * The contribution of enterprise `enterprise` (as the cube holds its id:
 * the keyed hash when ids are hashed) to the cell with exactly these
 * keys, into *out. Errors: DTS_EINVAL (the cube keeps no contributions),
 * DTS_ENOTFOUND (no such cell, or the enterprise is not in it). Only
 * reads the cube: thread-safe with other readers.
 */
DTS_API int dts_cube_contribution(dts_amount *out, const dts_cube *cube,
				  const char *const *keys,
				  const char *enterprise);

/**
 * The `n` largest contributions of the cell with exactly these keys, in
 * descending order (exact, signed), into out[0 .. *nout - 1]; *nout is
 * min(n, the cell's enterprises). `out` has room for n. Errors:
 * DTS_EINVAL (no contributions kept), DTS_ENOTFOUND (no such cell),
 * DTS_ENOMEM; *nout is 0 then. Time: enterprises x n. Only reads the
 * cube: thread-safe with other readers.
 */
DTS_API int dts_cube_top_contributions(dts_amount *out, size_t *nout,
				       const dts_cube *cube,
				       const char *const *keys, size_t n);

/* ---- the partial format (docs/statistics.md) ----------------------------- */

/**
 * Write `cube` in the partial format (format 3) to `f`: the currency, the
 * dimensions, the vintage (classifier, status, cut-off date, inputs with
 * their digests), the cells in canonical order, each with its exact value
 * and its sorted enterprise ids (each with its exact contribution when the
 * cube keeps them: a "contributions" line after the vintage says so; a
 * cube without writes what it wrote before), and an end line with the cell count and a
 * checksum (FNV-1a 64) of all that. The output depends only on the cube's
 * content. Returns 0, DTS_EIO or DTS_ENOMEM.
 */
DTS_API int dts_cube_write_partial(const dts_cube *cube, FILE *f);

/**
 * dts_cube_write_partial() through a callback: the same bytes, handed to
 * `cb` in pieces (see dts_write_cb, common.h). Returns 0, DTS_ENOMEM, or
 * cb's first non-zero return unchanged (nothing more is sent after it).
 * Only reads the cube: thread-safe with other readers of it.
 */
DTS_API int dts_cube_write_partial_cb(const dts_cube *cube, dts_write_cb cb,
				      void *payload);

/**
 * Read a partial from `len` bytes of `buf`; `name` is used in errors,
 * which give name:line. Strict: only the writer's four escapes, no NUL
 * byte, the checksum must match (a changed file is refused), format 1
 * (no checksum) is refused; format 2 (before vintages) is read as a cube
 * with an unknown classifier, status provisional and no inputs. A binary
 * partial (dts_cube_is_binary: dts_cube_write_binary_cb) is read too,
 * as strictly: version 1 only, its checksum, canonical order, no id
 * listed twice or unused; its errors give name and byte offset.
 * Errors: DTS_EINPUT (malformed, changed),
 * DTS_EOVERFLOW, DTS_ENOMEM. On success *out owns a new cube.
 */
DTS_API int dts_cube_read_partial(dts_cube **out, const char *name,
				  const char *buf, size_t len);

/**
 * Where dts_cube_read_partial_cb() gets its bytes: put up to `size` bytes
 * at `buf`, set *got to how many (0 at the end of the input) and return
 * 0; any other return stops the read and is returned unchanged.
 */
typedef int (*dts_cube_read_cb)(void *buf, size_t size, size_t *got,
				void *payload);

/**
 * Read a partial from everything `cb` gives until it reports the end;
 * `name` (may be NULL: "partial") names the input in errors. Errors as for
 * dts_cube_read_partial(), or cb's own non-zero return. The input is held
 * in memory while parsed. Thread-safe for distinct callbacks.
 */
DTS_API int dts_cube_read_partial_cb(dts_cube **out, const char *name,
				     dts_cube_read_cb cb, void *payload);

/**
 * Read a partial from `f` (read to its end, not closed); `name` as above.
 * Adds DTS_EIO (a read error) to the errors of dts_cube_read_partial().
 */
DTS_API int dts_cube_read_partial_file(dts_cube **out, FILE *f,
				       const char *name);

/**
 * Read a partial file (or stdin for "-") whole and parse it as
 * dts_cube_read_partial() does. A FIFO or pipe is read to its end (its
 * open waits for a writer); a directory is refused. Adds DTS_EIO (naming
 * the path) to the errors above. Thread-safe.
 */
DTS_API int dts_cube_load_partial(dts_cube **out, const char *path);

/** Is this buffer a partial of any format version ("dts-cube-partial ")? */
DTS_API int dts_cube_is_partial(const char *buf, size_t len);

/* ---- the binary partial (docs/statistics.md) ------------------------------ */

/**
 * Write `cube` in the binary partial format (version 1) through `cb`: the
 * same content as dts_cube_write_partial() — currency, dimensions,
 * vintage, cells in canonical order with exact values, enterprise sets
 * (and contributions) — in a compact exact encoding made for moving
 * partials between processes (PostgreSQL's parallel workers): the
 * enterprise ids once each, sorted, and every cell's set as increasing
 * numbers into that list. It opens with the 12-byte magic
 * DTS_CUBE_BINARY_MAGIC and ends with the FNV-1a 64 checksum of every
 * byte before it; integers are unsigned LEB128 varints, values 16 bytes
 * of two's complement and the checksum 8 bytes, both little-endian
 * whatever the host. The output depends only on the cube's content
 * (canonical: cubes that write the same text partial write the same
 * binary one), and dts_cube_read_partial() reads it back, so text ->
 * binary -> text gives the text byte for byte. Returns 0, DTS_ENOMEM,
 * or cb's first non-zero return unchanged. Only reads the cube:
 * thread-safe with other readers of it.
 */
DTS_API int dts_cube_write_binary_cb(const dts_cube *cube, dts_write_cb cb,
				     void *payload);

/** dts_cube_write_binary_cb() to `f` (not closed). Adds DTS_EIO. */
DTS_API int dts_cube_write_binary(const dts_cube *cube, FILE *f);

/** The binary partial's first bytes: 0x89 "DTSCUBE" CR LF 0x1A LF. */
#define DTS_CUBE_BINARY_MAGIC "\x89" "DTSCUBE\r\n\x1a\n"
#define DTS_CUBE_BINARY_MAGIC_LEN 12

/** Does this buffer start with DTS_CUBE_BINARY_MAGIC (any version)? */
DTS_API int dts_cube_is_binary(const char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
