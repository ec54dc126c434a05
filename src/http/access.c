#include "http/access.h"

#include <string.h>

#include "core/log.h"

struct out {
	char *p, *end; /* end leaves room for the fixed fields after the target */
};

static void put(struct out *o, const char *s, size_t n)
{
	if (n > (size_t)(o->end - o->p))
		n = (size_t)(o->end - o->p);
	memcpy(o->p, s, n);
	o->p += n;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_u64(struct out *o, uint64_t v)
{
	char d[24];
	size_t i = sizeof d;
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(o, d + i, sizeof d - i);
}

/* Bytes written as they are: printable ASCII but '"' and '\\'. */
static int plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* s escaped (see access.h), at most max bytes of output: runs of plain
 * bytes copied at once (a target is mostly one run). */
static void put_escaped(struct out *o, const char *s, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	if (!s)
		s = "-";
	char *stop = o->p + max < o->end ? o->p + max : o->end;
	while (*s) {
		/* each byte needs room for its \xHH and a "..." after it */
		if (o->p + 8 >= stop) {
			put(o, "...", 3);
			return;
		}
		size_t room = (size_t)(stop - o->p) - 8, k = 0;
		while (k < room && plain((unsigned char)s[k]))
			k++;
		memcpy(o->p, s, k);
		o->p += k;
		s += k;
		if (k == room || !*s)
			continue;
		unsigned char c = (unsigned char)*s++;
		o->p[0] = '\\';
		o->p[1] = 'x';
		o->p[2] = hex[c >> 4];
		o->p[3] = hex[c & 15];
		o->p += 4;
	}
}

size_t access_format(char *out, const struct access_rec *a)
{
	struct out o = {out, out + ACCESS_LINE_MAX - 1};
	o.p += log_prefix(out, "info");
	puts_(&o, "access ");
	put_escaped(&o, a->ip ? a->ip : "-", 64);
	puts_(&o, " \"");
	put_escaped(&o, a->method, 40);
	put(&o, " ", 1);
	put_escaped(&o, a->target, 520);
	puts_(&o, "\" ");
	put_u64(&o, a->status > 0 ? (uint64_t)a->status : 0);
	put(&o, " ", 1);
	put_u64(&o, a->bytes);
	put(&o, " ", 1);
	put_u64(&o, a->us > 0 ? (uint64_t)a->us : 0);
	puts_(&o, "us");
	if (a->why)
		puts_(&o, a->why);
	if (a->cache) {
		puts_(&o, " cache=");
		puts_(&o, a->cache);
	}
	*o.p = '\0';
	return (size_t)(o.p - out);
}
