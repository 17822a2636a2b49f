/*
 * dts/common.h — versions, result codes, errors and export macros.
 *
 * Every public function returns 0 on success or a negative DTS_E* code.
 * When a call fails, the details (message and, for rule files,
 * file:line:column) are kept per thread and read with dts_error_last().
 * Nothing in the library prints or exits.
 */
#ifndef DTS_COMMON_H
#define DTS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(DTS_BUILDING) && defined(__GNUC__)
#define DTS_API __attribute__((visibility("default")))
#else
#define DTS_API
#endif

#define DTS_VERSION_MAJOR 0
#define DTS_VERSION_MINOR 1
#define DTS_VERSION_PATCH 0
#define DTS_VERSION_STRING "0.1.0"

/** Result codes. 0 is success; every error is negative. */
enum dts_code {
	DTS_OK = 0,
	DTS_ERROR = -1,     /**< generic failure (see the message) */
	DTS_ENOMEM = -2,    /**< out of memory */
	DTS_EINVAL = -3,    /**< invalid argument from the caller */
	DTS_ENOTFOUND = -4, /**< a name, field, category or rule not found */
	DTS_EIO = -5,       /**< a file could not be opened, read or written */
	DTS_ESYNTAX = -6,   /**< a rule file is malformed (file:line:col set) */
	DTS_EINPUT = -7,    /**< an input record or value is malformed */
	DTS_ELIMIT = -8,    /**< a size, depth or PCRE2 match limit was hit */
	DTS_EOVERFLOW = -9, /**< an exact sum or product would overflow */
	DTS_EEXISTS = -10,  /**< a duplicate (rule id, key, category) */
	DTS_ETEST = -11,    /**< a classifier example failed */
	/**
	 * Reserved for callbacks: a callback that wants a walk, a batch or a
	 * reconciliation to stop returns DTS_EUSER (or any value of its own
	 * below it), and the library returns that value unchanged. No libdts
	 * function ever returns DTS_EUSER or anything below it by itself, so a
	 * caller can tell "my callback stopped it" from a library error.
	 */
	DTS_EUSER = -1000
};

/**
 * Where a writer sends its bytes when not to a FILE *: called with `len`
 * bytes at `data` (valid during the call only) and the caller's payload.
 * Return 0 to go on; any other value stops the writer, which returns that
 * value unchanged (use DTS_EUSER or below for your own codes).
 */
typedef int (*dts_write_cb)(const void *data, size_t len, void *payload);

/** Details of the last failure in the calling thread. */
typedef struct dts_error {
	int code;           /**< the DTS_E* code returned */
	char message[1024]; /**< what is wrong, in words */
	char file[512];     /**< file the error is about, or "" */
	unsigned line;      /**< 1-based line in file, or 0 */
	unsigned column;    /**< 1-based column in file, or 0 */
} dts_error;

/**
 * The last error recorded in this thread, or NULL when there is none.
 * The pointer stays valid in this thread until the next libdts call that
 * fails or until dts_error_clear(). Thread-safe: each thread has its own.
 */
DTS_API const dts_error *dts_error_last(void);

/** Forget the calling thread's last error. Thread-safe. */
DTS_API void dts_error_clear(void);

/**
 * Format the last error as "file:line:col: message" (or just the message
 * when no file is known) into buf, truncating to size. Returns buf, or ""
 * when there is no error. Thread-safe.
 */
DTS_API const char *dts_error_format(char *buf, size_t size);

/** The library version, e.g. "0.1.0". Thread-safe. */
DTS_API const char *dts_version(void);

/** A short English name for a DTS_E* code ("out of memory"). */
DTS_API const char *dts_strerror(int code);

#ifdef __cplusplus
}
#endif
#endif
