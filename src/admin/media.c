/* media.c - the media library at /admin/media/: the uploads (newest first,
 * with thumbnails and the posts using each), the upload form (POST
 * multipart/form-data to /admin/media/), and per image at
 * /admin/media/ID/ (POST do=alt edits the alt text, do=delete deletes).
 *
 * Roles: every role may upload (contributors too: their drafts need
 * pictures, and an upload shows nowhere until a post uses it); anyone may
 * edit the alt text of, or delete, their own uploads; editors and admins
 * (CAN_EDIT_OTHERS) anyone's. Deleting is refused while a post uses the
 * image, naming the posts. */
#include <string.h>

#include "admin/admin.h"
#include "core/str.h"
#include "core/time.h"
#include "http/app.h"
#include "media/media.h"
#include "media/sniff.h"

#define LIST_MAX 200

static const char *size_label(struct arena *a, int64_t bytes)
{
	if (bytes >= 1024 * 1024)
		return arena_printf(a, "%.1f MB", (double)bytes / (1024.0 * 1024.0));
	if (bytes >= 1024)
		return arena_printf(a, "%lld KB", (long long)((bytes + 512) / 1024));
	return arena_printf(a, "%lld bytes", (long long)bytes);
}

static bool may_change(const struct admin_ctx *ax, const struct media *m)
{
	return m->user_id == ax->user.id || role_can(ax->user.role, CAN_EDIT_OTHERS);
}

static struct tval *used_by(struct admin_ctx *ax, const struct post *ps, size_t n)
{
	struct arena *a = ax->v.a;
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tval *o = tval_map(a);
		tval_set_str(a, o, "title", *ps[i].title ? ps[i].title : "(no title)");
		tval_set_str(a, o, "status", post_status_name(ps[i].status));
		tval_set_str(a, o, "edit_url",
			     arena_printf(a, "/admin/posts/%lld/", (long long)ps[i].id));
		tval_push(a, list, o);
	}
	return list;
}

static enum err show(struct req *r, struct resp *rs, struct admin_ctx *ax, const char *message,
		     const struct post *blockers, size_t nblockers, int status)
{
	struct arena *a = r->arena;
	struct media *ms;
	size_t n;
	int64_t total = 0;
	enum err rc = STORE_CALL(ax->v.st, media_list, a, 0, LIST_MAX, &ms, &n, &total);
	if (rc != ERR_OK)
		return rc;
	struct tval *root = admin_page(ax, "Media", "media");
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < n; i++) {
		const struct media *m = &ms[i];
		struct tval *o = tval_map(a);
		tval_set_int(a, o, "id", m->id);
		tval_set_str(a, o, "url", media_url(a, m->path));
		tval_set_str(a, o, "thumb",
			     media_url(a, m->nvariants ? m->variants[0].path : m->path));
		tval_set_str(a, o, "path", m->path);
		tval_set_str(a, o, "name", m->orig_name);
		tval_set_str(a, o, "mime", m->mime);
		tval_set_int(a, o, "width", m->width);
		tval_set_int(a, o, "height", m->height);
		tval_set_str(a, o, "size", size_label(a, m->bytes));
		tval_set_str(a, o, "alt", m->alt);
		tval_set_str(a, o, "by", *m->user_name ? m->user_name : "command line");
		tval_set_str(a, o, "when", time_human(a, m->uploaded_at));
		tval_set_str(a, o, "action", arena_printf(a, "/admin/media/%lld/", (long long)m->id));
		tval_set_bool(a, o, "can_change", may_change(ax, m));
		struct tval *vs = tval_list(a);
		for (size_t k = 0; k < m->nvariants; k++) {
			struct tval *v = tval_map(a);
			tval_set_int(a, v, "width", m->variants[k].width);
			tval_set_str(a, v, "url", media_url(a, m->variants[k].path));
			tval_push(a, vs, v);
		}
		tval_set(a, o, "variants", vs);
		struct post *ps;
		size_t np = 0;
		if ((rc = media_users(ax->v.st, a, m, &ps, &np)) != ERR_OK)
			return rc;
		tval_set(a, o, "used_by", used_by(ax, ps, np));
		tval_set_bool(a, o, "in_use", np > 0);
		tval_push(a, list, o);
	}
	tval_set(a, root, "media", list);
	tval_set_bool(a, root, "has_media", n > 0);
	tval_set_int(a, root, "total", total);
	tval_set_bool(a, root, "more", total > (int64_t)n);
	tval_set_str(a, root, "max_upload", size_label(a, (int64_t)r->app->config->max_upload));
	tval_set_str(a, root, "message", message ? message : "");
	tval_set(a, root, "blockers", used_by(ax, blockers, nblockers));
	tval_set_bool(a, root, "has_blockers", nblockers > 0);
	const char *notice = req_query(r, "uploaded") ? "Uploaded."
			     : req_query(r, "saved")  ? "Saved."
			     : req_query(r, "deleted") ? "Deleted."
						       : "";
	tval_set_str(a, root, "notice", notice);
	rc = admin_render(r, rs, "media", root);
	rs->status = status;
	return rc;
}

static bool alt_ok(const char *alt)
{
	if (strlen(alt) > MEDIA_ALT_MAX)
		return false;
	for (const unsigned char *p = (const unsigned char *)alt; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static enum err upload(struct req *r, struct resp *rs, struct admin_ctx *ax)
{
	const struct http_upload *u = req_upload(r, "file");
	if (!u || u->len == 0)
		return show(r, rs, ax, "Choose an image file to upload.", NULL, 0, 400);
	if (media_sniff(u->data, u->len) == MEDIA_UNKNOWN)
		return show(r, rs, ax,
			    arena_printf(r->arena,
					 "\"%s\" is not a JPEG, PNG, GIF or WebP image (the type is "
					 "read from the file's content, not its name).",
					 u->filename),
			    NULL, 0, 415);
	const char *alt = req_form(r, "alt");
	if (alt && !alt_ok(alt))
		return show(r, rs, ax, "Alt text: at most 500 characters, on one line.", NULL, 0,
			    400);
	char msg[300] = "";
	int64_t id = 0;
	enum err rc = media_upload(ax->v.st, r->arena, r->app->config->media_dir, u->filename,
				   u->data, u->len, ax->user.id, r->now, &id, msg, sizeof msg);
	if (rc == ERR_INVALID || rc == ERR_LIMIT)
		return show(r, rs, ax,
			    arena_printf(r->arena, "\"%s\" was not stored: %s.", u->filename, msg),
			    NULL, 0, rc == ERR_LIMIT ? 413 : 400);
	if (rc != ERR_OK)
		return rc;
	if (alt && *alt && (rc = STORE_CALL(ax->v.st, media_set_alt, id, alt)) != ERR_OK)
		return rc;
	resp_redirect(rs, 303, arena_printf(r->arena, "/admin/media/?uploaded=%lld#media-%lld",
					    (long long)id, (long long)id));
	return ERR_OK;
}

enum err admin_media(struct req *r, struct resp *rs)
{
	struct admin_ctx ax;
	bool done;
	enum err rc = admin_begin(r, rs, &ax, CAN_ENTER, &done);
	if (rc != ERR_OK || done)
		return rc;
	if (r->method == HTTP_POST)
		return upload(r, rs, &ax);
	return show(r, rs, &ax, NULL, NULL, 0, 200);
}

enum err admin_media_item(struct req *r, struct resp *rs)
{
	struct admin_ctx ax;
	bool done;
	enum err rc = admin_begin(r, rs, &ax, CAN_ENTER, &done);
	if (rc != ERR_OK || done)
		return rc;
	struct arena *a = r->arena;
	int64_t id;
	struct media m;
	if (!str_to_i64(r->params[0], 1, INT64_MAX, &id) ||
	    (rc = STORE_CALL(ax.v.st, media_get, a, id, &m)) == ERR_NOTFOUND)
		return admin_error(r, rs, 404, "There is no such image.");
	if (rc != ERR_OK)
		return rc;
	if (r->method != HTTP_POST) {
		resp_redirect(rs, 303, arena_printf(a, "/admin/media/#media-%lld", (long long)id));
		return ERR_OK;
	}
	if (!may_change(&ax, &m))
		return admin_error(r, rs, 403, "Your role allows changing only your own uploads.");
	const char *action = req_form(r, "do");
	if (str_eq(action, "alt")) {
		const char *alt = req_form(r, "alt");
		if (!alt || !alt_ok(alt))
			return show(r, rs, &ax, "Alt text: at most 500 characters, on one line.",
				    NULL, 0, 400);
		if ((rc = STORE_CALL(ax.v.st, media_set_alt, id, alt)) != ERR_OK)
			return rc;
		resp_redirect(rs, 303,
			      arena_printf(a, "/admin/media/?saved=1#media-%lld", (long long)id));
		return ERR_OK;
	}
	if (str_eq(action, "delete")) {
		struct post *users;
		size_t n;
		char msg[300] = "";
		rc = media_delete(ax.v.st, a, r->app->config->media_dir, id, &users, &n, msg,
				  sizeof msg);
		if (rc == ERR_CONFLICT)
			return show(r, rs, &ax,
				    arena_printf(a,
						 "Not deleted: %s. Remove it from these posts "
						 "first (as featured image or in the text):",
						 msg),
				    users, n, 409);
		if (rc != ERR_OK)
			return rc;
		resp_redirect(rs, 303, "/admin/media/?deleted=1");
		return ERR_OK;
	}
	return admin_error(r, rs, 400, "Unknown action.");
}
