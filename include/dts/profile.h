/*
 * dts/profile.h — source profiles: the layout of one kind of bureau file,
 * as data (docs/profiles.md).
 *
 * A profile is an XML file (validated by profiles/dts-profile.rng) saying
 * which column headers of a layout bind to which canonical field
 * (dts/field.h) and in which value scheme (a trade mode as its 4-digit
 * code or its name, a partner as a customs code, an ISO code or a name),
 * which column holds the amount with its currency and unit, how a wide
 * layout unpivots (出口额/进口额 -> one record per flow), which status
 * values exclude a record (已取消 -> rejected with a reason), and what is
 * set for every record (source = survey). A source (dts/source.h) picks
 * the profile whose headers its header row recognises best, finds the
 * header row under a title and a 单位 row, and returns rows in canonical
 * form: what the classifier sees is what it would see for the same
 * records written in canonical columns.
 *
 * The library carries the built-in profiles (the files of profiles/,
 * compiled in); a caller adds its own from a directory
 * (dts_source_options.profile_dir) or names one file
 * (dts_source_options.profile), without recompiling.
 *
 *   dts_profile *p;
 *   if (dts_profile_load(&p, "my-layout.xml") < 0) ... dts_error_last()
 *   int score = dts_profile_score(p, header, ncols);   // columns it knows
 *   dts_profile_free(p);
 *
 * A profile is immutable once loaded: the functions below only read it,
 * so threads may share one.
 */
#ifndef DTS_PROFILE_H
#define DTS_PROFILE_H

#include <stddef.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_profile dts_profile;

/** Name of the built-in profile that reads canonical columns as they are. */
#define DTS_PROFILE_CANONICAL "canonical"

/**
 * Load the profile XML file at `path`, validated against the profile
 * schema. On success *out owns it (dts_profile_free). Errors:
 * DTS_EIO (cannot read; the message names the path), DTS_ESYNTAX (not
 * well-formed, not valid, an unknown field or scheme, a pattern that does
 * not compile: path:line and what is wrong), DTS_EINVAL (NULL argument),
 * DTS_ENOMEM. Thread-safe.
 */
DTS_API int dts_profile_load(dts_profile **out, const char *path);

/**
 * Like dts_profile_load(), from `len` bytes at `xml` (read, not kept);
 * `name` (may be NULL) names it in errors.
 */
DTS_API int dts_profile_load_buffer(dts_profile **out, const char *xml,
				    size_t len, const char *name);

/**
 * The built-in profile called `name` ("customs-stats", "survey" ...,
 * DTS_PROFILE_CANONICAL), freshly loaded: *out owns it. DTS_ENOTFOUND
 * when there is none of that name. Thread-safe.
 */
DTS_API int dts_profile_builtin(dts_profile **out, const char *name);

/**
 * The names of the built-in profiles, in the order they are tried:
 * *names gets a static array; returns its length. Never fails.
 */
DTS_API size_t dts_profile_builtin_names(const char *const **names);

/** Free a profile. NULL is a no-op. */
DTS_API void dts_profile_free(dts_profile *profile);

/** The profile's name (its name attribute). Owned by the profile. */
DTS_API const char *dts_profile_name(const dts_profile *profile);

/** Its title (one line for people), or "" when it has none. */
DTS_API const char *dts_profile_title(const dts_profile *profile);

/**
 * How well a header row fits: the number of the profile's columns (each
 * <column>, <cell> and <exclude>) whose headers appear among the `ncols`
 * names, or DTS_ENOTFOUND when a column it marks required is missing or
 * none is found. The canonical profile counts the names that are field
 * names or aliases (dts_field_alias). Headers compare as dts_field_alias
 * compares them (trimmed, full-width folded, ASCII caseless). Reads only;
 * thread-safe.
 */
DTS_API int dts_profile_score(const dts_profile *profile,
			      const char *const *header, size_t ncols);

#ifdef __cplusplus
}
#endif
#endif
