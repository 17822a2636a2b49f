/*
 * hook.c — the failing allocator of the alloc-fail test (curl's torture
 * mode). The test executable is linked with -Wl,--wrap=malloc,... so every
 * call the library's objects (and the test's) make to malloc, calloc,
 * realloc, free, strdup, strndup, iconv_open and the PCRE2 functions that
 * allocate lands here; libxml2's allocations are routed here too, through
 * xmlMemSetup(). libxml2's and PCRE2's own internal calls are untouched
 * otherwise: --wrap only rewrites references in the objects linked.
 *
 * When armed, the Nth counted allocation fails (and only that one); the
 * number of live blocks is kept so that a run that does not give back
 * everything it took is seen as a leak, in the plain build as under LSan.
 */
#include <errno.h>
#include <execinfo.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <libxml/relaxng.h>
#include <libxml/xmlmemory.h>

#include "hook.h"

struct hook_state hook;

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
iconv_t __real_iconv_open(const char *to, const char *from);
int __real_iconv_close(iconv_t cd);
pcre2_code *__real_pcre2_compile_8(PCRE2_SPTR pat, PCRE2_SIZE len, uint32_t opt,
				   int *err, PCRE2_SIZE *off,
				   pcre2_compile_context *cc);
void __real_pcre2_code_free_8(pcre2_code *c);
int __real_pcre2_jit_compile_8(pcre2_code *c, uint32_t opt);
pcre2_match_data *__real_pcre2_match_data_create_8(uint32_t n,
						   pcre2_general_context *g);
void __real_pcre2_match_data_free_8(pcre2_match_data *md);
pcre2_match_context *__real_pcre2_match_context_create_8(pcre2_general_context *g);
void __real_pcre2_match_context_free_8(pcre2_match_context *mc);
int __real_pcre2_match_8(const pcre2_code *c, PCRE2_SPTR s, PCRE2_SIZE len,
			 PCRE2_SIZE start, uint32_t opt, pcre2_match_data *md,
			 pcre2_match_context *mc);

/* Wrapper declarations (-Wmissing-prototypes). */
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
iconv_t __wrap_iconv_open(const char *to, const char *from);
int __wrap_iconv_close(iconv_t cd);
pcre2_code *__wrap_pcre2_compile_8(PCRE2_SPTR pat, PCRE2_SIZE len, uint32_t opt,
				   int *err, PCRE2_SIZE *off,
				   pcre2_compile_context *cc);
void __wrap_pcre2_code_free_8(pcre2_code *c);
int __wrap_pcre2_jit_compile_8(pcre2_code *c, uint32_t opt);
pcre2_match_data *__wrap_pcre2_match_data_create_8(uint32_t n,
						   pcre2_general_context *g);
void __wrap_pcre2_match_data_free_8(pcre2_match_data *md);
pcre2_match_context *__wrap_pcre2_match_context_create_8(pcre2_general_context *g);
void __wrap_pcre2_match_context_free_8(pcre2_match_context *mc);
int __wrap_pcre2_match_8(const pcre2_code *c, PCRE2_SPTR s, PCRE2_SIZE len,
			 PCRE2_SIZE start, uint32_t opt, pcre2_match_data *md,
			 pcre2_match_context *mc);

/* The return addresses of the calls that led here, hashed (FNV-1a): the
 * same code path gives the same value whatever the loop iteration. */
static unsigned long stack_hash(void)
{
	void *f[HOOK_FRAMES];
	int n = backtrace(f, HOOK_FRAMES);
	uint64_t h = 0xcbf29ce484222325ull;

	for (int i = 0; i < n; i++) {
		h ^= (uint64_t)(uintptr_t)f[i];
		h *= 0x100000001b3ull;
	}
	return (unsigned long)h;
}

/* 1 when this allocation is to fail. */
static int should_fail(const char *what)
{
	if (!hook.counting)
		return 0;
	hook.count++;
	if (hook.sites && hook.count <= hook.nsites_cap)
		hook.sites[hook.count - 1] = stack_hash();
	if (hook.fail_at == 0 || hook.count != hook.fail_at)
		return 0;
	hook.hit = 1;
	hook.what = what;
	hook.depth = backtrace(hook.frames, HOOK_FRAMES);
	return 1;
}

/*
 * The blocks taken through the hooks, in an open-addressing set: free()
 * gives back only what was counted, so a block libxml2 or the C library
 * took by itself and hands on to be freed does not unbalance the count.
 */
#define SET_BITS 20
#define SET_SIZE ((size_t)1 << SET_BITS)
static void *set[SET_SIZE];

static size_t slot_of(const void *p)
{
	return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull >>
			(64 - SET_BITS));
}

static void set_add(void *p)
{
	size_t i = slot_of(p);

	while (set[i])
		i = (i + 1) & (SET_SIZE - 1);
	set[i] = p;
	hook.live++;
}

/* Remove p (backward-shift deletion); 1 when it was there. */
static int set_del(const void *p)
{
	size_t i = slot_of(p), j;

	while (set[i] != p) {
		if (!set[i])
			return 0;
		i = (i + 1) & (SET_SIZE - 1);
	}
	set[i] = NULL;
	hook.live--;
	for (j = (i + 1) & (SET_SIZE - 1); set[j]; j = (j + 1) & (SET_SIZE - 1)) {
		size_t h = slot_of(set[j]);

		/* move set[j] into the hole at i unless its home is in (i, j] */
		if (i < j ? (h <= i || h > j) : (h <= i && h > j)) {
			set[i] = set[j];
			set[j] = NULL;
			i = j;
		}
	}
	return 1;
}

static void *took(void *p)
{
	if (p)
		set_add(p);
	return p;
}

/* realloc: the new block replaces the old one when the old one was counted. */
static void *moved(void *old, void *q)
{
	if (q && (!old || set_del(old)))
		set_add(q);
	return q;
}

void *__wrap_malloc(size_t n)
{
	return should_fail("malloc") ? NULL : took(__real_malloc(n));
}

void *__wrap_calloc(size_t n, size_t m)
{
	return should_fail("calloc") ? NULL : took(__real_calloc(n, m));
}

void *__wrap_realloc(void *p, size_t n)
{
	void *q;

	if (should_fail("realloc"))
		return NULL;
	q = __real_realloc(p, n);
	return moved(p, q);
}

void __wrap_free(void *p)
{
	if (p)
		set_del(p);
	__real_free(p);
}

char *__wrap_strdup(const char *s)
{
	return should_fail("strdup") ? NULL : took(__real_strdup(s));
}

char *__wrap_strndup(const char *s, size_t n)
{
	return should_fail("strndup") ? NULL : took(__real_strndup(s, n));
}

iconv_t __wrap_iconv_open(const char *to, const char *from)
{
	iconv_t cd;

	if (should_fail("iconv_open")) {
		errno = ENOMEM;
		return (iconv_t)-1;
	}
	cd = __real_iconv_open(to, from);
	if (cd != (iconv_t)-1)
		set_add(cd);
	return cd;
}

int __wrap_iconv_close(iconv_t cd)
{
	if (cd != (iconv_t)-1)
		set_del(cd);
	return __real_iconv_close(cd);
}

pcre2_code *__wrap_pcre2_compile_8(PCRE2_SPTR pat, PCRE2_SIZE len, uint32_t opt,
				   int *err, PCRE2_SIZE *off,
				   pcre2_compile_context *cc)
{
	if (should_fail("pcre2_compile")) {
		*err = PCRE2_ERROR_HEAP_FAILED;
		*off = 0;
		return NULL;
	}
	return took(__real_pcre2_compile_8(pat, len, opt, err, off, cc));
}

void __wrap_pcre2_code_free_8(pcre2_code *c)
{
	if (c)
		set_del(c);
	__real_pcre2_code_free_8(c);
}

/* JIT compilation allocates executable memory; failing it costs speed only. */
int __wrap_pcre2_jit_compile_8(pcre2_code *c, uint32_t opt)
{
	if (should_fail("pcre2_jit_compile"))
		return PCRE2_ERROR_NOMEMORY;
	return __real_pcre2_jit_compile_8(c, opt);
}

pcre2_match_data *__wrap_pcre2_match_data_create_8(uint32_t n,
						   pcre2_general_context *g)
{
	if (should_fail("pcre2_match_data_create"))
		return NULL;
	return took(__real_pcre2_match_data_create_8(n, g));
}

void __wrap_pcre2_match_data_free_8(pcre2_match_data *md)
{
	if (md)
		set_del(md);
	__real_pcre2_match_data_free_8(md);
}

pcre2_match_context *__wrap_pcre2_match_context_create_8(pcre2_general_context *g)
{
	if (should_fail("pcre2_match_context_create"))
		return NULL;
	return took(__real_pcre2_match_context_create_8(g));
}

void __wrap_pcre2_match_context_free_8(pcre2_match_context *mc)
{
	if (mc)
		set_del(mc);
	__real_pcre2_match_context_free_8(mc);
}

/* The interpreter takes heap memory for its backtracking frames. */
int __wrap_pcre2_match_8(const pcre2_code *c, PCRE2_SPTR s, PCRE2_SIZE len,
			 PCRE2_SIZE start, uint32_t opt, pcre2_match_data *md,
			 pcre2_match_context *mc)
{
	if (should_fail("pcre2_match"))
		return PCRE2_ERROR_NOMEMORY;
	return __real_pcre2_match_8(c, s, len, start, opt, md, mc);
}

/* pcre2_jit_match is not wrapped: with no JIT stack assigned it runs on
 * the machine stack and allocates nothing. */

/*
 * libxml2 2.9's RELAX NG code writes through NULL after a failed
 * allocation (xmlRelaxNGParse crashes): its allocations are neither failed
 * nor counted, the rest of libxml2 is (parsing, trees, properties).
 */
xmlRelaxNGPtr __real_xmlRelaxNGParse(xmlRelaxNGParserCtxtPtr ctxt);
xmlRelaxNGPtr __wrap_xmlRelaxNGParse(xmlRelaxNGParserCtxtPtr ctxt);
int __real_xmlRelaxNGValidateDoc(xmlRelaxNGValidCtxtPtr ctxt, xmlDocPtr doc);
int __wrap_xmlRelaxNGValidateDoc(xmlRelaxNGValidCtxtPtr ctxt, xmlDocPtr doc);

xmlRelaxNGPtr __wrap_xmlRelaxNGParse(xmlRelaxNGParserCtxtPtr ctxt)
{
	int was = hook.counting;
	xmlRelaxNGPtr r;

	hook.counting = 0;
	r = __real_xmlRelaxNGParse(ctxt);
	hook.counting = was;
	return r;
}

int __wrap_xmlRelaxNGValidateDoc(xmlRelaxNGValidCtxtPtr ctxt, xmlDocPtr doc)
{
	int was = hook.counting, r;

	hook.counting = 0;
	r = __real_xmlRelaxNGValidateDoc(ctxt, doc);
	hook.counting = was;
	return r;
}

/* libxml2's allocator (xmlMemSetup): the same counting. */
static void *xml_malloc(size_t n)
{
	return should_fail("xmlMalloc") ? NULL : took(__real_malloc(n));
}

static void *xml_realloc(void *p, size_t n)
{
	void *q;

	if (should_fail("xmlRealloc"))
		return NULL;
	q = __real_realloc(p, n);
	return moved(p, q);
}

static void xml_free(void *p)
{
	__wrap_free(p);
}

static char *xml_strdup(const char *s)
{
	return should_fail("xmlStrdup") ? NULL : took(__real_strdup(s));
}

void hook_install(int xml)
{
	void *warm[2];

	/* backtrace() loads libgcc on its first call: not inside a run. */
	backtrace(warm, 2);
	if (xml)
		xmlMemSetup(xml_free, xml_malloc, xml_realloc, xml_strdup);
}
