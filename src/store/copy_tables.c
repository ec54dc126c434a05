/* copy_tables.c - the logical tables and columns of a site that
 * `gazette migrate-db` copies (copy.h), shared by both backends so that no
 * column list is written twice, and the SQL text made from them. */
#include <stdio.h>

#include "store/copy.h"

#define I(n) {n, COPY_INT}
#define B(n) {n, COPY_BOOL}
#define R(n) {n, COPY_REAL}
#define T(n) {n, COPY_TEXT}
#define X(n) {n, COPY_BLOB}
#define COLS(...)                                                                          \
	sizeof((struct copy_col[]){__VA_ARGS__}) / sizeof(struct copy_col), { __VA_ARGS__ }

const struct copy_table_def copy_tables[COPY_TABLE__MAX] = {
	[COPY_SETTINGS] = {"settings", "key", NULL, COLS(T("key"), T("value"))},
	[COPY_USERS] = {"users", "id", "id",
			COLS(I("id"), T("login"), T("email"), T("display_name"), T("bio"),
			     T("pwhash"), T("role"), I("created_at"))},
	[COPY_SESSIONS] = {"sessions", "token_hash", NULL,
			   COLS(T("token_hash"), I("user_id"), T("csrf"), I("created_at"),
				I("seen_at"), T("ip"))},
	[COPY_CATEGORIES] = {"categories", "id", "id",
			     COLS(I("id"), I("parent_id"), T("slug"), T("name"), T("description"),
				  T("path"))},
	[COPY_TAGS] = {"tags", "id", "id", COLS(I("id"), T("slug"), T("name"))},
	[COPY_MEDIA] = {"media", "id", "id",
			COLS(I("id"), T("path"), T("orig_name"), T("mime"), I("width"),
			     I("height"), I("bytes"), T("alt"), I("uploaded_at"), I("user_id"))},
	[COPY_MEDIA_VARIANTS] = {"media_variants", "media_id, width", NULL,
				 COLS(I("media_id"), I("width"), I("height"), I("bytes"),
				      T("path"), T("mime"))},
	[COPY_POSTS] = {"posts", "id", "id",
			COLS(I("id"), T("type"), T("status"), T("slug"), T("title"), T("excerpt"),
			     T("summary"), I("author_id"), I("category_id"), I("parent_id"),
			     B("sticky"), B("comments_open"), I("published_at"), I("created_at"),
			     I("updated_at"), I("featured_media_id"))},
	[COPY_POST_BODIES] = {"post_bodies", "post_id", NULL,
			      COLS(I("post_id"), T("body_md"), T("body_html"))},
	[COPY_POST_TAGS] = {"post_tags", "post_id, tag_id", NULL,
			    COLS(I("post_id"), I("tag_id"))},
	[COPY_POST_REVISIONS] = {"post_revisions", "id", "id",
				 COLS(I("id"), I("post_id"), I("user_id"), I("saved_at"),
				      T("title"), T("excerpt"), T("body_md"))},
	[COPY_COMMENTS] = {"comments", "id", "id",
			   COLS(I("id"), I("post_id"), I("parent_id"), T("status"),
				T("prev_status"), T("author_name"), T("author_email"),
				T("author_url"), T("author_ip"), T("author_net"), T("user_agent"),
				T("body_md"), T("body_html"), T("note"), I("spam_score"),
				T("learned"), I("created_at"), I("updated_at"))},
	[COPY_SPAM_TOKENS] = {"spam_tokens", "token", NULL,
			      COLS(T("token"), I("ham"), I("spam"))},
	[COPY_REDIRECTS] = {"redirects", "from_path", NULL,
			    COLS(T("from_path"), T("to_path"), I("status"))},
	[COPY_MENU_ITEMS] = {"menu_items", "id", NULL,
			     COLS(I("id"), I("parent_id"), I("position"), T("kind"), T("label"),
				  T("url"), I("target_id"))},
	[COPY_IMPORT_MAP] = {"import_map", "source, kind, wp_id", NULL,
			     COLS(T("source"), T("kind"), T("wp_id"), I("local_id"))},
	/* with its ids: a server follows the log by id (store_changes_since),
	 * and new rows continue after the copied ones */
	[COPY_CHANGES] = {"changes", "id", "id",
			  COLS(I("id"), I("at"), T("kind"), I("object_id"), T("detail"))},
	/* related articles: the same tokenizer and arithmetic on both backends
	 * (PG_STATUS.md), so copying gives what a rebuild would, faster */
	[COPY_RELATED] = {"related", "post_id, rank", NULL,
			  COLS(I("post_id"), I("rank"), I("related_id"), R("score"))},
	[COPY_RELATED_DOCS] = {"related_docs", "post_id", NULL,
			       COLS(I("post_id"), X("terms"), X("vector"))},
	[COPY_RELATED_POSTINGS] = {"related_postings", "term, weight, post_id", NULL,
				   COLS(I("term"), R("weight"), I("post_id"))},
	[COPY_RELATED_DF] = {"related_df", "term", NULL, COLS(I("term"), I("df"))},
};

bool copy_select_sql(enum copy_table t, struct buf *b)
{
	const struct copy_table_def *d = &copy_tables[t];
	buf_puts(b, "SELECT ");
	for (size_t i = 0; i < d->ncols; i++)
		buf_printf(b, "%s%s", i ? ", " : "", d->cols[i].name);
	buf_printf(b, " FROM %s ORDER BY %s", d->name, d->order);
	return !b->oom;
}

bool copy_insert_sql(enum copy_table t, size_t rows, bool dollar, struct buf *b)
{
	const struct copy_table_def *d = &copy_tables[t];
	buf_printf(b, "INSERT INTO %s(", d->name);
	for (size_t i = 0; i < d->ncols; i++)
		buf_printf(b, "%s%s", i ? ", " : "", d->cols[i].name);
	buf_puts(b, ") VALUES ");
	size_t n = 0;
	for (size_t r = 0; r < rows; r++) {
		buf_puts(b, r ? ", (" : "(");
		for (size_t i = 0; i < d->ncols; i++)
			buf_printf(b, "%s%c%zu", i ? ", " : "", dollar ? '$' : '?', ++n);
		buf_putc(b, ')');
	}
	return !b->oom;
}
