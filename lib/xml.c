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
