/* theme.h - a theme: compiled templates and fingerprinted static assets.
 *
 * Loaded once at start-up from the built-in default theme or a folder
 * (`serve --theme DIR`): every top-level *.mustache file becomes a template
 * named after the file without its extension, every file in assets/ an asset
 * served at /assets/NAME.HASH.EXT with a year-long cache lifetime. The theme
 * owns all of it until theme_free. Read-only, so shared by all threads. */
#ifndef GAZETTE_SITE_THEME_H
#define GAZETTE_SITE_THEME_H

#include <stddef.h>

#include "core/err.h"

struct tmpl_set;

struct theme_asset {
	char *name;        /* "style.css" */
	char *url;         /* "/assets/style.1a2b3c4d.css" */
	char *etag;        /* "\"1a2b3c4d...\"" */
	const char *ctype; /* "text/css; charset=utf-8" */
	char *data;
	size_t len;
};

struct theme {
	const char *prefix; /* where its assets are served: "/assets/" */
	struct tmpl_set *tmpl;
	struct theme_asset *assets;
	size_t nassets;
};

/* dir NULL or "" = the built-in theme. Errors name the file at fault. */
enum err theme_load(struct theme **out, const char *dir, char *errmsg, size_t errlen);
/* The back office's own templates and assets (themes/admin/, compiled in,
 * not replaceable), assets under /admin/assets/. */
enum err theme_load_admin(struct theme **out, char *errmsg, size_t errlen);
void theme_free(struct theme *t);
/* The asset whose fingerprinted URL file part is `file` ("style.1a2b.css"). */
const struct theme_asset *theme_asset_by_file(const struct theme *t, const char *file);
/* The fingerprinted URL of asset `name`, or "" when absent. */
const char *theme_asset_url(const struct theme *t, const char *name);

#endif
