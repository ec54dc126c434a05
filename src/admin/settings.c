/* settings.c - /admin/settings/ (admins only): every site setting with its
 * help text, checked by content/settings.c like `gazette settings set`.
 * Changed values are saved; a bad one is shown again with its error and
 * nothing of that submit is kept, so a form is saved whole or not at all. */
#include <string.h>

#include "admin/admin.h"
#include "content/settings.h"
#include "core/str.h"

enum err admin_settings(struct req *r, struct resp *rs)
{
	struct admin_ctx ax;
	bool done;
	enum err rc = admin_begin(r, rs, &ax, CAN_MANAGE_SETTINGS, &done);
	if (rc != ERR_OK || done)
		return rc;
	struct arena *a = r->arena;
	const struct settings_snapshot *snap = &ax.v.settings; /* read by admin_begin */
	const char *message = NULL, *bad_key = NULL;
	size_t changed = 0;
	if (r->method == HTTP_POST) {
		/* check every changed value first, then store them */
		char err[256] = "";
		for (size_t i = 0;; i++) {
			const char *deflt, *help, *key = settings_key(i, &deflt, &help);
			if (!key)
				break;
			const char *v = req_form(r, key);
			if (!v || strcmp(v, settings_snap_get(snap, key)) == 0)
				continue;
			if (!settings_check(key, v, err, sizeof err)) {
				message = arena_strdup(a, err);
				bad_key = key;
				break;
			}
		}
		for (size_t i = 0; !message;) {
			const char *deflt, *help, *key = settings_key(i++, &deflt, &help);
			if (!key)
				break;
			const char *v = req_form(r, key);
			if (!v || strcmp(v, settings_snap_get(snap, key)) == 0)
				continue;
			if ((rc = settings_set(ax.v.st, key, v, err, sizeof err)) != ERR_OK) {
				message = arena_strdup(a, err);
				bad_key = key;
				break;
			}
			changed++;
		}
		if (!message) {
			resp_redirect(rs, 303, arena_printf(a, "/admin/settings/?saved=%zu", changed));
			return ERR_OK;
		}
	}
	struct tval *root = admin_page(&ax, "Settings", "settings");
	struct tval *list = tval_list(a);
	for (size_t i = 0;; i++) {
		const char *deflt, *help, *key = settings_key(i, &deflt, &help);
		if (!key)
			break;
		struct tval *v = tval_map(a);
		const char *typed = r->method == HTTP_POST ? req_form(r, key) : NULL;
		tval_set_str(a, v, "key", key);
		tval_set_str(a, v, "value", typed ? typed : settings_snap_get(snap, key));
		tval_set_str(a, v, "help", help);
		tval_set_str(a, v, "default", deflt);
		tval_set_str(a, v, "error", str_eq(key, bad_key) ? message : "");
		tval_push(a, list, v);
	}
	tval_set(a, root, "settings", list);
	tval_set_str(a, root, "message", message ? "Nothing was saved: correct the field marked below." : "");
	const char *saved = req_query(r, "saved");
	int64_t nsaved = 0;
	tval_set_str(a, root, "notice",
		     saved && str_to_i64(saved, 0, 1000, &nsaved)
			     ? arena_printf(a, "Saved: %lld setting%s changed.", (long long)nsaved,
					    nsaved == 1 ? "" : "s")
			     : "");
	rc = admin_render(r, rs, "settings", root);
	if (message)
		rs->status = 400;
	return rc;
}
