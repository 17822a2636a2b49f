/*
 * model_use.c — the <model> element: reading it, binding the model's
 * classes to the classifier's categories, and dts_rules_model().
 *
 * A model decides only what was sold. The base and the Handbook flags of
 * a model decision are those the classifier's own rules give the class:
 * the most common (base, ordered, delivered, platform) among the category
 * rules of that category without a review reason, ties to the one ranked
 * first. So the classifier, not the library, says what a class means.
 */
#include <stdlib.h>
#include <string.h>

#include "model_int.h"
#include "model_use.h"
#include "rules_int.h"

#define MODEL_MAX_FILE ((size_t)256 << 20)

static int parse_when(unsigned *out, const char *s, const char *file, unsigned line)
{
	*out = 0;
	while (*s) {
		size_t n;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		n = strcspn(s, " \t\n");
		if (!n)
			break;
		if (n == 11 && !strncmp(s, "no-evidence", n))
			*out |= DTS__MODEL_NO_EVIDENCE;
		else if (n == 12 && !strncmp(s, "generic-word", n))
			*out |= DTS__MODEL_GENERIC;
		else if (n == 7 && !strncmp(s, "no-leaf", n))
			*out |= DTS__MODEL_NO_LEAF;
		else
			return dts__error(DTS_ESYNTAX, file, line, 0,
					  "<model for=\"...\">: '%.*s' is not no-evidence, generic-word or no-leaf",
					  (int)n, s);
		s += n;
	}
	if (!*out)
		return dts__error(DTS_ESYNTAX, file, line, 0, "<model for=\"\">: name a case");
	return 0;
}

static int parse_prob(double *out, const char *s, const char *what, const char *file,
		      unsigned line)
{
	unsigned v = 0, scale = 1000;
	const char *p = s;

	if (*p == '0' || *p == '1')
		v = (unsigned)(*p++ - '0') * 1000;
	else
		p = NULL;
	if (p && *p == '.')
		for (p++; *p >= '0' && *p <= '9' && scale > 1; p++) {
			scale /= 10;
			v += (unsigned)(*p - '0') * scale;
		}
	if (!p || *p || v > 1000)
		return dts__error(DTS_ESYNTAX, file, line, 0,
				  "<model %s=\"%s\">: a probability 0..1 with at most three decimals",
				  what, s);
	*out = v / 1000.0;
	return 0;
}

/* review="...": as a rule's, lowercase words joined by '-' (or absent). */
static int parse_review(const char *s, const char *file, unsigned line)
{
	const char *c = s;

	if (!s)
		return 0;
	for (; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c == '-' && c != s && c[1] && c[-1] != '-')))
			break;
	if (!*s || *c)
		return dts__error(DTS_ESYNTAX, file, line, 0,
				  "<model review=\"%s\">: name a reason in lowercase words "
				  "joined by '-', such as model", s);
	return 0;
}

int dts__model_declare(dts_rulebook *book, const char *file, unsigned line,
		       const dts__model_attrs *a, const char *dir, size_t max_file)
{
	const char *id = a->id, *src = a->src, *when = a->when, *review = a->review;
	dts__model_use *u;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (book->model)
		return dts__error(DTS_ESYNTAX, file, line, 0,
				  "a second <model>: a rule set has at most one (the first is at %s:%u)",
				  book->model->file, book->model->line);
	if (!(u = dts__arena_alloc(&book->arena, sizeof(*u))) ||
	    !(u->id = dts__arena_strdup(&book->arena, id)) ||
	    !(u->src = dts__arena_strdup(&book->arena, src)) ||
	    !(u->file = dts__arena_strdup(&book->arena, file)) ||
	    !(u->when_text = dts__arena_strdup(&book->arena, when ? when : "no-evidence")))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	u->line = line;
	u->review = NULL;
	u->disagree = -1;
	if (review && !(u->review = dts__arena_strdup(&book->arena, review)))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	if ((rc = parse_review(review, file, line)) < 0 ||
	    (rc = parse_prob(&u->min_prob, a->min_prob, "min-prob", file, line)) < 0 ||
	    (a->disagree && (rc = parse_prob(&u->disagree, a->disagree, "disagree", file, line)) < 0) ||
	    (rc = parse_when(&u->when, u->when_text, file, line)) < 0)
		return rc;
	if ((rc = dts__read_file(&text, &len, dir, src, DTS__READ_BENEATH,
				 max_file > MODEL_MAX_FILE ? max_file : MODEL_MAX_FILE,
				 file, line, 0)) < 0)
		return rc;
	rc = dts_model_load_buffer(&u->model, src, text, len);
	free(text);
	if (rc < 0)
		return rc;
	book->model = u;
	return 0;
}

/* The flags the classifier's confident rules of category c give most often. */
static void flags_of(dts__model_flags *f, const dts_rules *r, int c)
{
	size_t i, j, best = 0;
	int found = -1;

	for (i = 0; i < r->nrules; i++) {
		const dts_rule *a = r->rules[i];
		size_t n = 0;

		if (a->dimension != DTS_DIM_SOLD || a->category_index != c || a->review)
			continue;
		for (j = i; j < r->nrules; j++) {
			const dts_rule *b = r->rules[j];

			n += b->dimension == DTS_DIM_SOLD && b->category_index == c &&
			     !b->review && b->base == a->base && b->ordered == a->ordered &&
			     b->delivered == a->delivered && b->platform == a->platform;
		}
		if (n > best) {
			best = n;
			found = (int)i;
		}
	}
	f->cat = c;
	f->base = f->ordered = f->delivered = f->platform = -1;
	if (found >= 0) {
		const dts_rule *a = r->rules[found];

		f->base = (signed char)a->base;
		f->ordered = (signed char)a->ordered;
		f->delivered = (signed char)a->delivered;
		f->platform = (signed char)a->platform;
	}
}

int dts__model_bind(dts_rules *r)
{
	dts__model_use *u = r->book.model;
	size_t i, n;

	if (!u)
		return 0;
	n = dts_model_class_count(u->model);
	if (!(u->cls = dts__arena_alloc(&r->book.arena, n * sizeof(*u->cls))))
		return dts__error(DTS_ENOMEM, NULL, 0, 0, "out of memory");
	for (i = 0; i < n; i++) {
		int c = dts_rules_find_category(r, dts_model_class(u->model, i));

		if (c < 0)
			return dts__error(DTS_ESYNTAX, u->file, u->line, 0,
					  "<model src=\"%s\">: class '%s' is not a category of the classifier",
					  u->src, dts_model_class(u->model, i));
		flags_of(&u->cls[i], r, c);
	}
	return 0;
}

void dts__model_use_free(dts__model_use *u)
{
	if (u)
		dts_model_free(u->model);
}

int dts_rules_model(dts_rules_model_info *out, const dts_rules *r)
{
	const dts__model_use *u;

	if (!out || !r)
		return dts__error(DTS_EINVAL, NULL, 0, 0, "dts_rules_model: NULL argument");
	if (!(u = r->book.model))
		return DTS_ENOTFOUND;
	out->id = u->id;
	out->src = u->src;
	out->file = u->file;
	out->line = u->line;
	out->min_prob = u->min_prob;
	out->when = u->when_text;
	out->model = u->model;
	return 0;
}
