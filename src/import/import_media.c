/* import_media.c - WordPress attachments into the media library.
 *
 * The checking pass notes every attachment (imp_collect_attachment): its
 * file's path under the uploads folder (_wp_attached_file, else taken from
 * the attachment URL) and the folder's URL. Before the first item is
 * written, imp_media_all reads each file from the --media-dir copy of the
 * old uploads folder and hands it to media_upload (the same checks, EXIF
 * stripping and variants as an upload in the back office), dated as the
 * attachment was. A missing, unreadable or non-image file is a warning for
 * that attachment, never a failed import. Which attachment and which
 * upload path became which medium is kept in the import map ("attachment",
 * "upload"), so a re-run imports nothing twice and /wp-content/uploads/...
 * requests can be answered (site/wordpress.c).
 *
 * Bodies: imp_media_rewrite points every URL of an imported file - the
 * original, WordPress's size copies (name-300x200.jpg), a "-scaled" copy,
 * or Gazette's own variants (name-320w.jpg, in Gazette exports) - at the
 * medium's URL, the narrowest variant at least as wide for a size copy. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/str.h"
#include "import/import_int.h"
#include "media/media.h"
#include "media/sniff.h"

#define IMPORT_MEDIA_MAX ((size_t)64 << 20) /* bytes of one file */

static const char *keep(struct imp_collect *c, const char *s, size_t n)
{
	const char *k = arena_strndup(c->a, s, n);
	if (!k)
		c->oom = true;
	return k ? k : "";
}

/* The path under the uploads folder of a URL with no _wp_attached_file:
 * after /wp-content/uploads/, else from a YYYY/MM/ folder on, else the
 * whole path. */
static const char *file_of_url(const char *url, size_t *len)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	p += strcspn(p, "/");
	size_t n = strcspn(p, "?#");
	const char *up = strstr(p, "/wp-content/uploads/");
	if (up && up < p + n) {
		*len = n - (size_t)(up + 20 - p);
		return up + 20;
	}
	for (const char *s = p; s + 9 <= p + n; s++)
		if (s[0] == '/' && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
		    isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4]) && s[5] == '/' &&
		    isdigit((unsigned char)s[6]) && isdigit((unsigned char)s[7]) && s[8] == '/') {
			*len = n - (size_t)(s + 1 - p);
			return s + 1;
		}
	while (n && *p == '/') {
		p++;
		n--;
	}
	*len = n;
	return p;
}

void imp_collect_attachment(struct imp_collect *c, const struct wxr_item *it)
{
	if (c->natts == c->capatts) {
		size_t nc = c->capatts ? c->capatts * 2 : 64;
		struct imp_att *na =
			arena_realloc(c->a, c->atts, c->capatts * sizeof *na, nc * sizeof *na);
		if (!na) {
			c->oom = true;
			return;
		}
		c->atts = na;
		c->capatts = nc;
	}
	struct imp_att *t = &c->atts[c->natts++];
	memset(t, 0, sizeof *t);
	const char *url = *it->attachment_url ? it->attachment_url : it->guid;
	const char *file = imp_meta(it, "_wp_attached_file");
	size_t flen = strlen(file);
	if (!flen)
		file = file_of_url(url, &flen);
	t->wp_id = keep(c, it->post_id, strlen(it->post_id));
	t->url = keep(c, url, strlen(url));
	t->file = keep(c, file, flen);
	t->title = keep(c, it->title, strlen(it->title));
	const char *alt = imp_meta(it, "_wp_attachment_image_alt");
	t->alt = keep(c, alt, strlen(alt));
	t->creator = keep(c, it->creator, strlen(it->creator));
	if (!imp_date(it->post_date_gmt, &t->date) && !imp_date(it->post_date, &t->date))
		t->date = 0;
	t->line = it->line;
}

/* A relative path we may join to the media folder: no "..", no absolute
 * path, no control characters or backslashes. */
static bool safe_rel(const char *p)
{
	if (!*p || *p == '/')
		return false;
	for (const char *s = p; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == '\\')
			return false;
	for (const char *s = p; *s;) {
		size_t n = strcspn(s, "/");
		if ((n == 2 && s[0] == '.' && s[1] == '.') || (n == 1 && s[0] == '.') || n == 0)
			return false;
		s += n;
		if (*s == '/')
			s++;
	}
	return true;
}

/* The whole file (at most IMPORT_MEDIA_MAX bytes) in the arena; NULL and
 * *why on failure. */
static unsigned char *read_file(struct arena *a, const char *path, size_t *len, const char **why)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		*why = errno == ENOENT ? "no such file" : strerror(errno);
		return NULL;
	}
	if (!S_ISREG(sb.st_mode)) {
		*why = "not a regular file";
		return NULL;
	}
	if ((uint64_t)sb.st_size > IMPORT_MEDIA_MAX) {
		*why = "larger than 64 MiB";
		return NULL;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		*why = strerror(errno);
		return NULL;
	}
	size_t cap = (size_t)sb.st_size + 1;
	unsigned char *d = arena_alloc(a, cap);
	size_t n = d ? fread(d, 1, cap, f) : 0;
	bool bad = !d || ferror(f) || n >= cap;
	fclose(f);
	if (bad) {
		*why = d ? "cannot be read (or changed while read)" : "out of memory";
		return NULL;
	}
	*len = n;
	return d;
}

/* The folder URL of an attachment: its URL without the file's path. */
static enum err note_base(struct imp *im, const struct imp_att *t)
{
	size_t ul = strlen(t->url), fl = strlen(t->file);
	if (!fl || ul <= fl || !strstr(t->url, "://") || strcmp(t->url + ul - fl, t->file) != 0 || t->url[ul - fl - 1] != '/')
		return ERR_OK;
	for (size_t i = 0; i < im->nbases; i++)
		if (strlen(im->bases[i]) == ul - fl && strncmp(im->bases[i], t->url, ul - fl) == 0)
			return ERR_OK;
	if (im->nbases >= 16)
		return ERR_OK; /* a file pointing at more folders than this is odd */
	const char **nb = arena_realloc(&im->keep, im->bases, im->nbases * sizeof *nb,
					(im->nbases + 1) * sizeof *nb);
	if (!nb || !(nb[im->nbases] = arena_strndup(&im->keep, t->url, ul - fl)))
		return ERR_NOMEM;
	im->bases = nb;
	im->nbases++;
	return ERR_OK;
}

/* Remember file -> id for rewriting (and its name without "-scaled",
 * which WordPress's size copies are named after). */
static enum err remember(struct imp *im, const struct imp_att *t, int64_t id)
{
	if (!strmap_put(&im->atts, &im->keep, t->wp_id, id) ||
	    !strmap_put(&im->uploads, &im->keep, t->file, id))
		return ERR_NOMEM;
	const char *dot = strrchr(t->file, '.');
	size_t stem = dot ? (size_t)(dot - t->file) : strlen(t->file);
	if (stem > 7 && strncmp(t->file + stem - 7, "-scaled", 7) == 0) {
		const char *un = arena_printf(&im->a, "%.*s%s", (int)(stem - 7), t->file,
					      dot ? dot : "");
		if (!un || !strmap_put(&im->uploads, &im->keep, un, id))
			return ERR_NOMEM;
	}
	return ERR_OK;
}

static enum err one(struct imp *im, const struct imp_att *t)
{
	struct arena *a = &im->a;
	struct import_count *n = &im->res->n[IMP_MEDIA];
	enum err rc = note_base(im, t);
	int64_t id = 0;
	if (rc == ERR_OK)
		rc = STORE_CALL(im->st, import_map_get, im->source, "attachment", t->wp_id, &id);
	if (rc == ERR_NOTFOUND)
		rc = ERR_OK;
	struct media m;
	if (rc == ERR_OK && id && STORE_CALL(im->st, media_get, a, id, &m) == ERR_OK) {
		if (strcmp(m.alt, t->alt) != 0 && str_label_ok(t->alt, MEDIA_ALT_MAX)) {
			if (!im->o->dry_run)
				rc = STORE_CALL(im->st, media_set_alt, id, t->alt);
			n->updated++;
		} else {
			n->unchanged++;
		}
		return rc == ERR_OK ? remember(im, t, id) : rc;
	}
	if (rc != ERR_OK)
		return rc;
	if (!im->o->media_dir) {
		n->skipped++;
		im->res->no_media_dir = true;
		return ERR_OK;
	}
	if (!safe_rel(t->file)) {
		imp_warn(im, t->line, "attachment %s: '%.80s' is not a path under the uploads "
			 "folder, skipped", t->wp_id, t->file);
		n->skipped++;
		return ERR_OK;
	}
	char *rel = str_url_decode(a, t->file, strlen(t->file), false);
	const char *path = rel ? arena_printf(a, "%s/%s", im->o->media_dir, rel) : NULL;
	if (!path)
		return ERR_NOMEM;
	size_t len = 0;
	const char *why = NULL;
	unsigned char *data = read_file(a, path, &len, &why);
	if (data && media_sniff(data, len) == MEDIA_UNKNOWN)
		why = "not a JPEG, PNG, GIF or WebP image (only images are kept)";
	if (!data || why) {
		imp_warn(im, t->line, "attachment %s '%.80s': %s, skipped (its URLs stay as they "
			 "were)", t->wp_id, t->file, why);
		n->skipped++;
		return ERR_OK;
	}
	if (im->o->dry_run) {
		n->created++;
		return remember(im, t, --im->fake_id);
	}
	int64_t author;
	if ((rc = imp_author_for(im, t->creator, &author)) != ERR_OK)
		return rc;
	const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	if (im->gazette && *t->title)
		name = t->title; /* a Gazette export: the name it was uploaded as */
	char msg[200] = "";
	rc = media_upload(im->st, a, im->o->library_dir, name, data, len, author,
			  t->date ? t->date : im->now, &id, msg, sizeof msg);
	if (rc == ERR_INVALID || rc == ERR_LIMIT) {
		imp_warn(im, t->line, "attachment %s '%.80s': %s, skipped", t->wp_id, t->file,
			 *msg ? msg : err_str(rc));
		n->skipped++;
		return ERR_OK;
	}
	if (rc != ERR_OK) {
		snprintf(im->errmsg, im->errlen, "attachment %s '%.80s': %s", t->wp_id, t->file,
			 *msg ? msg : err_str(rc));
		return rc;
	}
	n->created++;
	if (*t->alt && str_label_ok(t->alt, MEDIA_ALT_MAX))
		rc = STORE_CALL(im->st, media_set_alt, id, t->alt);
	if (rc == ERR_OK)
		rc = STORE_CALL(im->st, import_map_set, im->source, "attachment", t->wp_id, id);
	if (rc == ERR_OK)
		rc = STORE_CALL(im->st, import_map_set, im->source, "upload", t->file, id);
	return rc == ERR_OK ? remember(im, t, id) : rc;
}

enum err imp_media_all(struct imp *im)
{
	enum err rc = ERR_OK;
	im->res->attachments = (int64_t)im->col.natts;
	for (size_t i = 0; i < im->col.natts && rc == ERR_OK; i++) {
		rc = one(im, &im->col.atts[i]);
		arena_free(&im->a);
		arena_init(&im->a, 0);
	}
	return rc;
}

int64_t imp_media_featured(struct imp *im, const struct wxr_item *it)
{
	const char *v = imp_meta(it, "_thumbnail_id");
	int64_t id;
	if (!*v || !strmap_get(&im->atts, v, &id) || id <= 0)
		return -1;
	return id;
}

/* --- rewriting bodies ----------------------------------------------------- */

/* The digits ending just before end, as a number (at most 5 of them);
 * *start gets where they begin. 0 when there are none. */
static int64_t digits_before(const char *file, const char *end, const char **start)
{
	const char *d = end;
	while (d > file && end - d < 6 && isdigit((unsigned char)d[-1]))
		d--;
	*start = d;
	if (d == end || (d > file && isdigit((unsigned char)d[-1])))
		return 0;
	int64_t v = 0;
	for (const char *p = d; p < end; p++)
		v = v * 10 + (*p - '0');
	return v;
}

/* "name-300x200.jpg" -> "name.jpg" with *width 300; "name-320w.jpg" (a
 * Gazette variant) likewise; NULL when the name has no such suffix. */
static const char *strip_size(struct arena *a, const char *file, int64_t *width)
{
	const char *dot = strrchr(file, '.');
	const char *slash = strrchr(file, '/');
	if (!dot || (slash && dot < slash) || dot == file)
		return NULL;
	const char *d;
	if (dot[-1] == 'w') { /* -NNNw */
		*width = digits_before(file, dot - 1, &d);
	} else {
		const char *h;
		if (!digits_before(file, dot, &h) || h == file || h[-1] != 'x')
			return NULL;
		*width = digits_before(file, h - 1, &d);
	}
	if (!*width || d == file || d[-1] != '-')
		return NULL;
	return arena_printf(a, "%.*s%s", (int)(d - 1 - file), file, dot);
}

/* The URL of medium id, or of its narrowest variant at least width wide
 * (width > 0); NULL when it is gone. */
static const char *url_of(struct store *st, struct arena *a, int64_t id, int64_t width)
{
	struct media m;
	if (id <= 0 || STORE_CALL(st, media_get, a, id, &m) != ERR_OK)
		return NULL;
	const char *path = m.path;
	for (size_t i = 0; width > 0 && i < m.nvariants; i++) /* narrowest first */
		if (m.variants[i].width >= width) {
			path = m.variants[i].path;
			break;
		}
	return media_url(a, path);
}

/* The new URL for an old file path under an uploads folder; NULL when it
 * is not one of ours. */
static const char *new_url(struct imp *im, const char *file)
{
	int64_t id = 0, width = 0;
	if (!strmap_get(&im->uploads, file, &id)) {
		const char *base = strip_size(&im->a, file, &width);
		if (!base || !strmap_get(&im->uploads, base, &id))
			return NULL;
	}
	return url_of(im->st, &im->a, id, width);
}

const char *import_upload_url(struct store *st, struct arena *a, const char *file)
{
	int64_t id = 0, width = 0;
	if (STORE_CALL(st, import_map_find, "upload", file, &id) != ERR_OK) {
		const char *base = strip_size(a, file, &width);
		if (!base || STORE_CALL(st, import_map_find, "upload", base, &id) != ERR_OK)
			return NULL;
	}
	return url_of(st, a, id, width);
}

static bool url_end(char c)
{
	return !c || c == '"' || c == '\'' || c == '<' || c == '>' || c == ')' || c == '?' ||
	       c == '#' || isspace((unsigned char)c);
}

/* Where a base URL's host and path start ("//host/path/"), and its path. */
static const char *after_scheme(const char *b)
{
	const char *p = strstr(b, "://");
	return p ? p + 1 : b;
}

static const char *host_path(const char *b)
{
	const char *p = after_scheme(b) + 2;
	return p + strcspn(p, "/");
}

static bool same_host(const char *base, const char *source)
{
	if (!strstr(source, "://"))
		return false;
	const char *b = after_scheme(base), *s = after_scheme(source);
	size_t bn = (size_t)(host_path(base) - b), sn = strcspn(s + 2, "/") + 2;
	return bn == sn && strncmp(b, s, bn) == 0;
}

enum err imp_media_rewrite(struct imp *im, const char *html, const char **out)
{
	*out = html;
	if (!im->nbases || im->o->dry_run || !strstr(html, "/"))
		return ERR_OK;
	struct buf b = BUF_INIT;
	const char *last = html;
	int64_t done = 0;
	for (const char *p = html; *p; p++) {
		if (*p != '/')
			continue;
		const char *start = NULL, *tail = NULL;
		for (size_t i = 0; i < im->nbases && !tail; i++) {
			const char *hp = after_scheme(im->bases[i]); /* "//host/path/" */
			const char *path = host_path(im->bases[i]);
			size_t hn = strlen(hp), pn = strlen(path);
			if (strncmp(p, hp, hn) == 0) {
				start = p;
				if (p - html >= 6 && strncmp(p - 6, "https:", 6) == 0)
					start = p - 6;
				else if (p - html >= 5 && strncmp(p - 5, "http:", 5) == 0)
					start = p - 5;
				tail = p + hn;
			} else if (pn > 1 && p > html && strncmp(p, path, pn) == 0 &&
				   (p[-1] == '"' || p[-1] == '\'' || p[-1] == '(' || p[-1] == '=' ||
				    isspace((unsigned char)p[-1])) &&
				   same_host(im->bases[i], im->source)) {
				start = p;
				tail = p + pn;
			}
		}
		if (!tail || start < last)
			continue;
		size_t tn = 0;
		while (!url_end(tail[tn]))
			tn++;
		const char *file = tn ? arena_strndup(&im->a, tail, tn) : NULL;
		const char *to = file ? new_url(im, file) : NULL;
		if (!to)
			continue;
		buf_append(&b, last, (size_t)(start - last));
		buf_puts(&b, to);
		last = tail + tn;
		p = last - 1;
		done++;
	}
	enum err rc = ERR_OK;
	if (done) {
		buf_puts(&b, last);
		char *s = b.oom ? NULL : arena_strndup(&im->a, b.data, b.len);
		if (s) {
			*out = s;
			im->res->media_urls += done;
		} else {
			rc = ERR_NOMEM;
		}
	}
	buf_free(&b);
	return rc;
}
