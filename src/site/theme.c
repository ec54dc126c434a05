#include "site/theme.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/embed.h"
#include "core/str.h"
#include "render/mustache.h"

static const struct {
	const char *ext, *ctype;
} ctypes[] = {
	{".css", "text/css; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
	{".svg", "image/svg+xml"},            {".png", "image/png"},
	{".jpg", "image/jpeg"},               {".jpeg", "image/jpeg"},
	{".gif", "image/gif"},                {".webp", "image/webp"},
	{".ico", "image/x-icon"},             {".woff2", "font/woff2"},
	{".txt", "text/plain; charset=utf-8"},
};

static const char *ctype_for(const char *name)
{
	for (size_t i = 0; i < sizeof ctypes / sizeof ctypes[0]; i++)
		if (str_ends(name, ctypes[i].ext))
			return ctypes[i].ctype;
	return "application/octet-stream";
}

/* FNV-1a 64: a content fingerprint, not a security hash. */
static uint64_t fnv(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ull;
	}
	return h;
}

static enum err add_asset(struct theme *t, const char *name, const char *data, size_t len)
{
	struct theme_asset *na = realloc(t->assets, (t->nassets + 1) * sizeof *na);
	if (!na)
		return ERR_NOMEM;
	t->assets = na;
	struct theme_asset *a = &t->assets[t->nassets];
	memset(a, 0, sizeof *a);
	uint64_t h = fnv(data, len);
	const char *dot = strrchr(name, '.');
	size_t stem = dot ? (size_t)(dot - name) : strlen(name);
	char url[600], etag[40];
	snprintf(url, sizeof url, "%s%.*s.%08llx%s", t->prefix, (int)stem, name,
		 (unsigned long long)(h & 0xffffffffu), dot ? dot : "");
	snprintf(etag, sizeof etag, "\"%016llx\"", (unsigned long long)h);
	a->name = strdup(name);
	a->url = strdup(url);
	a->etag = strdup(etag);
	a->data = malloc(len + 1);
	if (!a->name || !a->url || !a->etag || !a->data) {
		free(a->name);
		free(a->url);
		free(a->etag);
		free(a->data);
		return ERR_NOMEM;
	}
	memcpy(a->data, data, len);
	a->data[len] = '\0';
	a->len = len;
	a->ctype = ctype_for(name);
	t->nassets++;
	return ERR_OK;
}

static enum err add_file(struct theme *t, const char *name, const char *data, size_t len,
			 char *errmsg, size_t errlen)
{
	if (str_starts(name, "assets/")) {
		const char *base = name + strlen("assets/");
		if (!*base || strchr(base, '/'))
			return ERR_OK; /* only a flat assets/ folder is served */
		return add_asset(t, base, data, len);
	}
	if (!str_ends(name, ".mustache") || strchr(name, '/'))
		return ERR_OK;
	char tname[256];
	size_t n = strlen(name) - strlen(".mustache");
	if (n == 0 || n >= sizeof tname)
		return ERR_OK;
	memcpy(tname, name, n);
	tname[n] = '\0';
	return tmpl_set_add(t->tmpl, tname, data, len, errmsg, errlen);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	char tmp[16384];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_append(&b, tmp, n);
	fclose(f);
	if (b.oom) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, len);
}

static enum err load_dir(struct theme *t, const char *root, const char *sub, char *errmsg,
			 size_t errlen)
{
	char path[2048];
	snprintf(path, sizeof path, "%s%s%s", root, *sub ? "/" : "", sub);
	DIR *d = opendir(path);
	if (!d) {
		if (*sub)
			return ERR_OK; /* no assets/ folder */
		snprintf(errmsg, errlen, "theme %s: %s", root, strerror(errno));
		return ERR_NOTFOUND;
	}
	enum err rc = ERR_OK;
	struct dirent *e;
	while (rc == ERR_OK && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char rel[600], full[2700];
		snprintf(rel, sizeof rel, "%s%s%s", sub, *sub ? "/" : "", e->d_name);
		snprintf(full, sizeof full, "%s/%s", root, rel);
		struct stat sb;
		if (stat(full, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			if (!*sub && strcmp(e->d_name, "assets") == 0)
				rc = load_dir(t, root, "assets", errmsg, errlen);
			continue;
		}
		size_t len;
		char *data = slurp(full, &len);
		if (!data) {
			snprintf(errmsg, errlen, "theme: cannot read %s", full);
			rc = ERR_IO;
			break;
		}
		rc = add_file(t, rel, data, len, errmsg, errlen);
		free(data);
	}
	closedir(d);
	return rc;
}

/* A theme from a folder (dir) or a compiled-in table, with its assets
 * under prefix, and the templates it must have. */
static enum err load(struct theme **out, const char *dir, const struct embedded_file *tab,
		     const char *prefix, const char *const *required, char *errmsg,
		     size_t errlen)
{
	struct theme *t = calloc(1, sizeof *t);
	if (!t || !(t->tmpl = tmpl_set_new())) {
		free(t);
		snprintf(errmsg, errlen, "out of memory");
		return ERR_NOMEM;
	}
	t->prefix = prefix;
	enum err rc = ERR_OK;
	if (dir && *dir) {
		rc = load_dir(t, dir, "", errmsg, errlen);
	} else {
		for (const struct embedded_file *f = tab; rc == ERR_OK && f->name; f++)
			rc = add_file(t, f->name, f->data, f->len, errmsg, errlen);
	}
	for (size_t i = 0; rc == ERR_OK && required[i]; i++) {
		if (!tmpl_set_has(t->tmpl, required[i])) {
			snprintf(errmsg, errlen, "theme %s: missing %s.mustache",
				 dir && *dir ? dir : "(built-in)", required[i]);
			rc = ERR_INVALID;
		}
	}
	if (rc != ERR_OK) {
		theme_free(t);
		return rc;
	}
	*out = t;
	return ERR_OK;
}

enum err theme_load(struct theme **out, const char *dir, char *errmsg, size_t errlen)
{
	static const char *const required[] = {"layout", "home", "article", "archive",
					       "page", "error", "search", NULL};
	return load(out, dir, embedded_theme, "/assets/", required, errmsg, errlen);
}

enum err theme_load_admin(struct theme **out, char *errmsg, size_t errlen)
{
	static const char *const required[] = {
		"layout", "signin",	"dashboard", "comments", "posts", "editor",
		"revisions", "categories", "tags", "users", "settings", "error", NULL};
	return load(out, NULL, embedded_admin, "/admin/assets/", required, errmsg, errlen);
}

void theme_free(struct theme *t)
{
	if (!t)
		return;
	tmpl_set_free(t->tmpl);
	for (size_t i = 0; i < t->nassets; i++) {
		free(t->assets[i].name);
		free(t->assets[i].url);
		free(t->assets[i].etag);
		free(t->assets[i].data);
	}
	free(t->assets);
	free(t);
}

const struct theme_asset *theme_asset_by_file(const struct theme *t, const char *file)
{
	for (size_t i = 0; i < t->nassets; i++)
		if (strcmp(t->assets[i].url + strlen(t->prefix), file) == 0)
			return &t->assets[i];
	return NULL;
}

const char *theme_asset_url(const struct theme *t, const char *name)
{
	for (size_t i = 0; t && i < t->nassets; i++)
		if (strcmp(t->assets[i].name, name) == 0)
			return t->assets[i].url;
	return "";
}
