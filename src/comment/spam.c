/* spam.c - features of a comment and naive Bayes over them (spam.h). */
#include "comment/spam.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/str.h"

struct tokset {
	struct arena *a;
	const char **v;
	size_t n;
};

static void add(struct tokset *ts, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct tokset *ts, const char *fmt, ...)
{
	if (ts->n >= SPAM_MAX_TOKENS)
		return;
	char tok[128];
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(tok, sizeof tok, fmt, ap);
	va_end(ap);
	if (len <= 0 || (size_t)len >= sizeof tok)
		return;
	for (size_t i = 0; i < ts->n; i++)
		if (strcmp(ts->v[i], tok) == 0)
			return;
	const char *s = arena_strdup(ts->a, tok);
	if (s)
		ts->v[ts->n++] = s;
}

/* Decode one UTF-8 code point at s (valid UTF-8 is guaranteed by the
 * callers' input checks; anything odd counts as one byte). */
static unsigned next_cp(const unsigned char *s, size_t *len)
{
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	size_t n = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 1;
	unsigned cp = n == 2 ? s[0] & 0x1F : n == 3 ? s[0] & 0x0F : n == 4 ? s[0] & 0x07 : s[0];
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*len = 1;
			return s[0];
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*len = n;
	return cp;
}

static bool is_cjk(unsigned cp)
{
	return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) ||
	       (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

/* Letters and digits of any script, but not punctuation or symbols. */
static bool is_wordch(unsigned cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
	if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFE30 && cp <= 0xFE4F) || cp >= 0x1F000)
		return false;
	return cp >= 0xC0 && cp != 0xD7 && cp != 0xF7;
}

enum script { SC_LATIN, SC_LATIN_EXT, SC_CYRILLIC, SC_GREEK, SC_ARABIC, SC_CJK, SC_THAI,
	      SC_OTHER, SC__MAX };
static const char *const script_names[SC__MAX] = {"latin", "latinext", "cyrillic", "greek",
						  "arabic", "cjk", "thai", "other"};

static enum script script_of(unsigned cp)
{
	if (cp < 0x80)
		return SC_LATIN;
	if (cp < 0x250 || (cp >= 0x1E00 && cp <= 0x1EFF))
		return SC_LATIN_EXT;
	if (cp >= 0x370 && cp <= 0x3FF)
		return SC_GREEK;
	if (cp >= 0x400 && cp <= 0x52F)
		return SC_CYRILLIC;
	if (cp >= 0x600 && cp <= 0x6FF)
		return SC_ARABIC;
	if (cp >= 0xE00 && cp <= 0xE7F)
		return SC_THAI;
	if (is_cjk(cp))
		return SC_CJK;
	return SC_OTHER;
}

/* The host of the URL starting at u (after the scheme), lowercased without
 * "www.", into out. */
static bool host_of(const char *u, char *out, size_t len)
{
	size_t n = 0;
	for (; *u && n + 1 < len; u++) {
		char ch = *u;
		if (ch == '/' || ch == ':' || ch == '?' || ch == '#' || ch == ' ' || ch == ')' ||
		    ch == ']' || ch == '>' || ch == '"' || ch == '\'' || ch == '\n' || ch == '\r' ||
		    ch == '\t' || ch == '<' || ch == '|' || ch == '\\' || ch == ',')
			break;
		if (ch == '@') { /* user@host: start again */
			n = 0;
			continue;
		}
		out[n++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
	}
	out[n] = '\0';
	while (n > 0 && out[n - 1] == '.')
		out[--n] = '\0';
	if (strncmp(out, "www.", 4) == 0)
		memmove(out, out + 4, n - 3);
	return strchr(out, '.') != NULL;
}

static void host_tokens(struct tokset *ts, const char *prefix, const char *host)
{
	add(ts, "%s:%s", prefix, host);
	const char *dot = strrchr(host, '.');
	if (dot && dot[1])
		add(ts, "%stld:%s", prefix, dot + 1);
}

/* Links in free text: http://, https://, www. - returns how many. */
static int url_tokens(struct tokset *ts, const char *s)
{
	int links = 0;
	for (const char *p = s; *p; p++) {
		const char *h = NULL;
		if (strncasecmp(p, "https://", 8) == 0)
			h = p + 8;
		else if (strncasecmp(p, "http://", 7) == 0)
			h = p + 7;
		else if (strncasecmp(p, "www.", 4) == 0 && (p == s || !isalnum((unsigned char)p[-1])))
			h = p;
		if (!h)
			continue;
		char host[100];
		if (host_of(h, host, sizeof host)) {
			links++;
			host_tokens(ts, "url", host);
		}
		if (h > p)
			p = h - 1; /* on past the scheme (the loop steps once more) */
	}
	return links;
}

static void word_token(struct tokset *ts, const char *prefix, const char *w, size_t n,
		       size_t letters, size_t digits, size_t vowels, bool ascii)
{
	if (digits && !letters) {
		add(ts, "%snum:%zu", prefix, n > 9 ? (size_t)10 : n);
		return;
	}
	if (digits && letters)
		add(ts, "%sshape:mixed", prefix);
	if (ascii && letters >= 5 && vowels == 0)
		add(ts, "%sshape:novowel", prefix);
	if (n > 25)
		add(ts, "%sshape:long", prefix);
	if (n >= 2 && n <= 40)
		add(ts, "%s%.*s", prefix, (int)n, w);
}

/* Words of text (ASCII lowercased), CJK as single characters and pairs;
 * with script, capitals and punctuation statistics for the body. */
static void text_tokens(struct tokset *ts, const char *prefix, const char *text, bool body)
{
	const unsigned char *s = (const unsigned char *)text;
	char w[160];
	size_t wn = 0, letters = 0, digits = 0, vowels = 0;
	bool ascii = true;
	size_t scripts[SC__MAX] = {0};
	size_t upper = 0, alpha = 0, bangs = 0;
	unsigned prev_cjk = 0;
	size_t prev_len = 0;
	const unsigned char *prev_at = NULL;
	for (size_t i = 0;;) {
		size_t len = 1;
		unsigned cp = s[i] ? next_cp(s + i, &len) : 0;
		bool cjk = cp && is_cjk(cp);
		if (cp && is_wordch(cp) && !cjk) {
			if (wn + len < sizeof w) {
				for (size_t k = 0; k < len; k++) {
					char ch = (char)s[i + k];
					if (ch >= 'A' && ch <= 'Z') {
						upper++;
						ch = (char)(ch - 'A' + 'a');
					}
					w[wn++] = ch;
				}
			}
			if (cp < 0x80) {
				if (cp >= '0' && cp <= '9') {
					digits++;
				} else {
					letters++;
					alpha++;
					if (strchr("aeiouyAEIOUY", (int)cp))
						vowels++;
				}
			} else {
				letters++;
				ascii = false;
			}
			scripts[script_of(cp)]++;
		} else {
			if (wn)
				word_token(ts, prefix, w, wn, letters, digits, vowels, ascii);
			wn = letters = digits = vowels = 0;
			ascii = true;
			if (cjk) {
				scripts[SC_CJK]++;
				add(ts, "%s%.*s", prefix, (int)len, (const char *)s + i);
				if (prev_cjk)
					add(ts, "%s%.*s%.*s", prefix, (int)prev_len,
					    (const char *)prev_at, (int)len, (const char *)s + i);
			}
			if (cp == '!')
				bangs++;
		}
		prev_cjk = cjk ? cp : 0;
		prev_len = len;
		prev_at = s + i;
		if (!cp)
			break;
		i += len;
	}
	if (!body)
		return;
	size_t total = 0, nonlatin = 0;
	enum script top = SC_LATIN;
	for (int k = 0; k < SC__MAX; k++) {
		total += scripts[k];
		if (k != SC_LATIN) {
			nonlatin += scripts[k];
			if (scripts[k] > scripts[top] || top == SC_LATIN)
				top = (enum script)k;
		}
	}
	if (total && nonlatin * 5 > total && scripts[top])
		add(ts, "script:%s", script_names[top]);
	else
		add(ts, "script:%s", "latin");
	if (alpha >= 10 && upper * 2 > alpha)
		add(ts, "caps:high");
	if (bangs >= 3)
		add(ts, "bang:many");
}

enum err spam_tokens(struct arena *a, const struct comment *c, const char ***out, size_t *n)
{
	struct tokset ts = {a, ARENA_ARRAY(a, const char *, SPAM_MAX_TOKENS), 0};
	*out = NULL;
	*n = 0;
	if (!ts.v)
		return ERR_NOMEM;
	const char *body = c->body_md ? c->body_md : "";
	int links = url_tokens(&ts, body);
	if (strstr(body, "mailto:"))
		add(&ts, "has:mailto");
	add(&ts, "links:%s", links == 0 ? "0" : links == 1 ? "1" : links == 2 ? "2" : "many");
	size_t len = strlen(body);
	add(&ts, "len:%s", len < 20 ? "tiny" : len < 80 ? "short" : len < 300 ? "mid"
			     : len < 1500 ? "long" : "huge");
	text_tokens(&ts, "", body, true);
	/* the name: its words, how many, digits in it */
	const char *name = c->author_name ? c->author_name : "";
	text_tokens(&ts, "name:", name, false);
	size_t words = 0;
	for (const char *p = name; *p; p++)
		if ((p == name || p[-1] == ' ') && *p != ' ')
			words++;
	add(&ts, "namewords:%zu", words > 4 ? (size_t)5 : words);
	/* the email's domain and whether its local part has digits */
	const char *email = c->author_email ? c->author_email : "";
	const char *at = strrchr(email, '@');
	if (at) {
		char host[100];
		if (host_of(at + 1, host, sizeof host))
			host_tokens(&ts, "edom", host);
		for (const char *p = email; p < at; p++)
			if (*p >= '0' && *p <= '9') {
				add(&ts, "elocal:digits");
				break;
			}
	}
	/* the website */
	const char *url = c->author_url ? c->author_url : "";
	const char *sep = strstr(url, "://");
	char host[100];
	if (sep && host_of(sep + 3, host, sizeof host))
		host_tokens(&ts, "site", host);
	else
		add(&ts, "site:none");
	*out = ts.v;
	*n = ts.n;
	return a->failed ? ERR_NOMEM : ERR_OK;
}

double spam_probability(const struct spam_counts *k, size_t n)
{
	double S = (double)k->spam_docs, H = (double)k->ham_docs;
	double ls = log((S + 1) / (S + H + 2)), lh = log((H + 1) / (S + H + 2));
	for (size_t i = 0; i < n; i++) {
		if (k->ham[i] == 0 && k->spam[i] == 0)
			continue; /* never seen: no evidence either way */
		ls += log(((double)k->spam[i] + 1) / (S + 2));
		lh += log(((double)k->ham[i] + 1) / (H + 2));
	}
	double d = lh - ls;
	if (d > 700)
		return 0;
	if (d < -700)
		return 1;
	return 1 / (1 + exp(d));
}

enum err spam_judge(struct store *st, struct arena *a, const struct comment *c, int64_t min_docs,
		    int threshold, enum spam_verdict *out, int *percent)
{
	*out = SPAM_UNSURE;
	*percent = -1;
	const char **toks;
	size_t n;
	enum err rc = spam_tokens(a, c, &toks, &n);
	if (rc != ERR_OK)
		return rc;
	struct spam_counts k;
	rc = STORE_CALL(st, spam_counts, a, toks, n, &k);
	if (rc != ERR_OK)
		return rc;
	if (k.ham_docs < min_docs || k.spam_docs < min_docs)
		return ERR_OK;
	double p = spam_probability(&k, n);
	*percent = (int)lround(p * 100);
	*out = p * 100 >= threshold ? SPAM_SPAM : SPAM_HAM;
	return ERR_OK;
}
