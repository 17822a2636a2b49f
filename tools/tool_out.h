/*
 * tool_out.h — how every tool writes an output file (DESIGN §6: nothing
 * half-written, nothing lost).
 *
 * A regular file (or a name not there yet) is written under a temporary
 * name in the same folder and renamed over the final name when complete,
 * so a failed or killed run leaves the old file or none, never a half one.
 * A symlink to a regular file keeps the link: the temporary file is made
 * beside the file it points to and renamed over that. Anything else — a
 * device (/dev/null, /dev/full), a FIFO, a socket, /dev/stdout, a symlink
 * to one of those — is opened and written directly and never replaced.
 * "-" (or NULL) is standard output.
 *
 * While a temporary file exists its name is registered with a handler of
 * SIGINT, SIGTERM, SIGHUP, SIGPIPE and SIGXFSZ that removes it and then
 * dies of the same signal; SIGKILL cannot be caught, so it can leave
 * NAME.XXXXXX files behind.
 *
 * Every function prints its error ("prog: PATH: what went wrong") and
 * returns -1; the caller only picks the exit code (EXIT_IO).
 */
#ifndef DTS_TOOL_OUT_H
#define DTS_TOOL_OUT_H

#include <stddef.h>
#include <stdio.h>

typedef struct tool_out {
	FILE *f;      /* where to write (NULL after tool_out_open_path) */
	char *path;   /* the name given; NULL for standard output */
	char *target; /* the regular file renamed over (symlinks resolved) */
	char *tmp;    /* the temporary file; NULL when written directly */
	int copy;     /* open_path on a non-regular target: tmp is copied to it */
	int done;     /* finished: flushed, synced, closed */
} tool_out;

/* Open PATH for writing as above. */
int tool_out_open(tool_out *o, const char *path);
/* For writers that want a file name (libxlsxwriter): o->tmp names the
 * file to write; commit renames it into place, or copies it to a device,
 * pipe or standard output and removes it. */
int tool_out_open_path(tool_out *o, const char *path);
/* Report a failed write of o ("PATH: write failed: …", from errno or
 * the stream's error flag) and return -1. */
int tool_out_write_failed(const tool_out *o);
/* Finish and rename into place. Safe on a zeroed (never opened) one. */
int tool_out_commit(tool_out *o);
/*
 * All or none: finish every one of outs (NULL entries and unopened ones
 * are skipped), and only when all are complete rename them all into
 * place; if any fails, every temporary file is removed and no final name
 * is touched. (Outputs written directly cannot be taken back.)
 */
int tool_out_commit_all(tool_out *const *outs, size_t n);
/* Remove the temporary file (after an error). Safe on a zeroed one. */
void tool_out_abort(tool_out *o);

/*
 * The check each tool makes before it opens anything: refuse (print and
 * return -1; the caller exits EXIT_USAGE) when two of the outputs, or an
 * output and an input, are the same file. outs[0] is the main output
 * (NULL or "-" = standard output), later NULL entries are outputs not
 * asked for; the data inputs ("-" = standard input, which is the input
 * when there are none) and the extra files read (classifiers, rates,
 * definitions; NULL = not given) are the inputs. The same file is the same
 * device and inode for files that exist (standard input and output
 * included when they are regular files), the same folder and name for
 * ones not there yet. Devices, pipes and the like may be shared
 * (-o /dev/null --rejects /dev/null is fine).
 */
int tool_check_paths(const char *const *outs, size_t nout, char *const *inputs,
		     int ninputs, const char *const *extra, size_t nextra);

#endif
