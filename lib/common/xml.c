/*
 * xml.c — libxml2's process-wide initialisation, done once for the whole
 * library. libxml2 2.9 initialises its globals and the RELAX NG type
 * library lazily and without a lock, so two first uses in parallel (two
 * rule loads, or a rule load and a customs-message reader) race. This
 * pthread_once is the library's only process-wide state; it holds nothing
 * of ours.
 */
#include <pthread.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include "internal.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init_once(void)
{
	xmlInitParser();
	xmlRelaxNGInitTypes();
}

void dts__xml_init(void)
{
	pthread_once(&xml_once, xml_init_once);
}

/*
 * libxml2 reports some errors (input encoding conversion, I/O) only through
 * its generic error function, which by default prints to stderr. The
 * library never prints, so while it parses it installs a silent one, and
 * gives the calling thread's own function back afterwards (libxml2 keeps
 * these per thread, so other threads are untouched). The error still
 * reaches us: the parse fails and the structured handler or the reader's
 * result says why.
 */
static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

void dts__xml_quiet(dts_xml_saved *saved)
{
	saved->func = (void (*)(void))xmlGenericError;
	saved->ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, silent);
}

void dts__xml_restore(const dts_xml_saved *saved)
{
	xmlSetGenericErrorFunc(saved->ctx, (xmlGenericErrorFunc)saved->func);
}
