/*
 * dts/ceb.h — customs cross-border e-commerce messages as records.
 *
 * Reads the XML messages of the China customs CBEC interface (namespace
 * http://www.chinaport.gov.cn/ceb): CEB621 import and CEB603 export
 * inventories, and generically CEB311 orders, CEB411 payments, CEB511
 * waybills and any other CEBnnnMessage built the same way:
 *
 *   <CEB621Message>            the message (document root)
 *     <Inventory>              an entity (Order, Payment, Logistics ...)
 *       <InventoryHead> leaves </InventoryHead>
 *       <InventoryList> leaves </InventoryList>   zero or more
 *     </Inventory> ...
 *     <BaseTransfer/>          skipped (also BaseSubscribe, ExtendMessage, Signature)
 *   </CEB621Message>
 *
 * One record per ...List element, carrying every leaf of its entity's Head
 * and of the List; an entity without a List gives one record of its Head.
 *
 * The root element must be a CEBnnnMessage in the customs namespace;
 * any other root (or the right name in another namespace, or in none) is
 * rejected, naming what was found and what was expected.
 *
 * A file may hold one message or several XML documents one after another
 * (with or without "<?xml" declarations, blanks between them skipped).
 * Each is parsed with libxml2's push parser — network off, no entity
 * substitution, DTDs refused, depth limited — and the parser finds where
 * each ends (the root's end tag, then any comments and processing
 * instructions), so "<?xml" inside CDATA, a comment or a PI is data. A
 * document's records are returned only when its root element closed with
 * no error. A malformed document is returned as one rejected record
 * (DTS_EINPUT, with the line of the error and the reason: "truncated:
 * message not closed at end of input", "bytes do not match the declared
 * encoding GBK", libxml2's words otherwise), none of its items; reading
 * goes on after its end when the parser still finds it (past a non-fatal
 * error such as an undeclared prefix), else at the next "<?xml" after
 * where the parser stopped. A document longer
 * than max_message bytes (its first byte to the end of its root's end
 * tag) is rejected the same way, whatever the read size. Memory: one
 * document.
 *
 * Canonical fields (DESIGN §2) for inventories (CEB621, CEB603):
 *   source       "cbec"
 *   flow         Head ieFlag (I or E); when absent, I for CEB621, E for CEB603
 *   period       Head ieDate: yyyyMMdd or yyyyMMddHHmmss becomes YYYY-MM-DD;
 *                any other text is passed unchanged (the tool's date check
 *                rejects it)
 *   trade_mode   Head tradeMode
 *   counterpart  Head country (customs 3-digit code: country of departure
 *                or destination)
 *   currency     List currency, else Head currency
 *   platform     Head ebpCode
 *   id           Head invtNo (copNo when invtNo is empty) "-" List gnum
 *   hs_code      List gcode
 *   description  List gname, else List itemName
 *   value        List totalPrice
 * Orders (CEB311, CEB303): source, platform (ebpCode), currency, id
 * (orderNo "-" gnum), description (itemName), value (totalPrice),
 * counterpart (List country). Other messages: source and id (orderNo).
 */
#ifndef DTS_CEB_H
#define DTS_CEB_H

#include "common.h"
#include "scanner.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dts_ceb dts_ceb;

/** Default limit on one XML document (64 MiB), root end tag included. */
#define DTS_CEB_MAX_MESSAGE ((size_t)64 << 20)

#define DTS_CEB_OPTIONS_VERSION 1

typedef struct dts_ceb_options {
	unsigned int version; /**< DTS_CEB_OPTIONS_VERSION */
	size_t max_message;   /**< 0 = DTS_CEB_MAX_MESSAGE */
	size_t block_size;    /**< bytes per read, 0 = 1 MiB; tiny values for tests */
} dts_ceb_options;

#define DTS_CEB_OPTIONS_INIT { DTS_CEB_OPTIONS_VERSION, 0, 0 }

/** One leaf element of a Head or List: its local name and text (trimmed). */
typedef struct dts_ceb_pair {
	const char *name;  /**< local element name, e.g. "orderNo" */
	const char *value; /**< NUL-terminated UTF-8 */
	size_t len;
	int list;          /**< 1 when from the List, 0 from the Head */
} dts_ceb_pair;

/** One record. Valid until the next dts_ceb_next() or dts_ceb_free(). */
typedef struct dts_ceb_record {
	const char *message;        /**< "CEB621", "CEB603", "CEB311" ... */
	const char *entity;         /**< "Inventory", "Order" ... */
	const dts_ceb_pair *pairs;  /**< Head leaves then List leaves, in document order */
	size_t npairs;
	const dts_value *fields;    /**< canonical fields (see above) */
	size_t nfields;
	uint64_t line;              /**< line of the List (or entity) element; of
					 the error for a rejected document */
	uint64_t record;            /**< 1-based, rejected documents included */
	const char *error;          /**< reason when rejected, else NULL */
	const char *raw;            /**< rejected: the line at the error (at most
					 1 KiB); else NULL */
	size_t raw_len;
} dts_ceb_record;

/**
 * Open `path` (NULL or "-" = standard input). Errors: DTS_EIO naming the
 * path, DTS_EINVAL, DTS_ENOMEM. dts_ceb_next() returns DTS_EIO when a
 * regular file ends before the size it had at open (it shrank while read). Thread-safe; a reader is used by one thread
 * at a time.
 */
DTS_API int dts_ceb_open_file(dts_ceb **out, const char *path,
			      const dts_ceb_options *opts);

/**
 * Read descriptor `fd` (not closed by the reader), whose first `head_len`
 * bytes the caller has already read into `head` (copied), e.g. to sniff
 * the format of a pipe: the reader sees head, then the rest of fd. `name`
 * names the input in errors. A regular file that ends before the size it
 * had at open is reported (DTS_EIO: it shrank while being read).
 */
DTS_API int dts_ceb_open_fd_head(dts_ceb **out, int fd, const void *head,
				 size_t head_len, const char *name,
				 const dts_ceb_options *opts);

/** Read `len` bytes at `data` (kept by the caller until dts_ceb_free). */
DTS_API int dts_ceb_open_buffer(dts_ceb **out, const char *data, size_t len,
				const char *name, const dts_ceb_options *opts);

/** Close. NULL is a no-op. */
DTS_API void dts_ceb_free(dts_ceb *reader);

/**
 * Next record: 1 with a record, 0 at the end, DTS_EINPUT for a rejected
 * document (rec->line, rec->error, rec->raw; call again to go on), DTS_EIO
 * or DTS_ENOMEM (the reader is then unusable).
 */
DTS_API int dts_ceb_next(dts_ceb_record *rec, dts_ceb *reader);

/**
 * Value of leaf `name` in `rec`: from the List when list is 1, from the
 * Head when 0, List first then Head when -1. NULL when absent; *len set
 * when len is not NULL.
 */
DTS_API const char *dts_ceb_get(const dts_ceb_record *rec, const char *name,
				int list, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
