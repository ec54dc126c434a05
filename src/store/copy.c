/* copy.c - store_copy(): a whole site from one store into another, through
 * the copy_* ops of store.h (each backend's own, see copy.h): the source
 * read in one snapshot, the target written table by table in one
 * transaction, its search index built there, and the transaction committed
 * only when every table's row count matches the source's. */
#include <stdio.h>
#include <string.h>

#include "core/time.h"
#include "store/copy.h"
#include "store/store.h"

/* Rows copied between two progress reports of one table. */
#define PROGRESS_ROWS 5000

struct pump {
	struct store *to;
	enum copy_table t;
	int64_t done, total;
	copy_progress_fn progress;
};

static enum err put_row(void *ud, const struct copy_value *row)
{
	struct pump *p = ud;
	enum err rc = STORE_CALL(p->to, copy_put, p->t, row);
	if (rc == ERR_OK && ++p->done % PROGRESS_ROWS == 0 && p->progress)
		p->progress(p->t, p->done, p->total);
	return rc;
}

static copy_progress_fn index_progress_to;

static void index_progress(int64_t done, int64_t total)
{
	if (index_progress_to)
		index_progress_to(COPY_TABLE__MAX, done, total);
}

/* Every table, source to target, counted on both sides; then the
 * target's sequences and search index. In the caller's transactions. */
static enum err copy_rows(struct store *from, struct store *to, const char *lang,
			  copy_progress_fn progress, struct copy_result *res)
{
	enum err rc = ERR_OK;
	for (int t = 0; rc == ERR_OK && t < COPY_TABLE__MAX; t++) {
		const char *name = copy_tables[t].name;
		struct pump p = {to, (enum copy_table)t, 0, 0, progress};
		rc = STORE_CALL(from, copy_count, p.t, &p.total);
		if (rc != ERR_OK) {
			snprintf(res->errmsg, sizeof res->errmsg, "counting %s in the source: %s %s",
				 name, err_str(rc), from->errmsg);
			break;
		}
		res->source[t] = p.total;
		rc = STORE_CALL(from, copy_read, p.t, put_row, &p);
		if (rc != ERR_OK) {
			/* the target's message when it refused a row, else the source's */
			snprintf(res->errmsg, sizeof res->errmsg, "copying %s: %s %s", name,
				 err_str(rc), to->errmsg[0] ? to->errmsg : from->errmsg);
			break;
		}
		if (progress)
			progress(p.t, p.done, p.total);
	}
	if (rc == ERR_OK) {
		index_progress_to = progress;
		rc = STORE_CALL(to, copy_finish, lang, index_progress);
		index_progress_to = NULL;
		if (rc != ERR_OK)
			snprintf(res->errmsg, sizeof res->errmsg, "%s (%s)", to->errmsg,
				 err_str(rc));
	}
	for (int t = 0; rc == ERR_OK && t < COPY_TABLE__MAX; t++) {
		rc = STORE_CALL(to, copy_count, (enum copy_table)t, &res->target[t]);
		if (rc != ERR_OK)
			snprintf(res->errmsg, sizeof res->errmsg, "counting %s in the target: %s %s",
				 copy_tables[t].name, err_str(rc), to->errmsg);
	}
	res->counted = rc == ERR_OK;
	for (int t = 0; rc == ERR_OK && t < COPY_TABLE__MAX; t++) {
		if (res->source[t] == res->target[t])
			continue;
		snprintf(res->errmsg, sizeof res->errmsg,
			 "row counts differ: %s has %lld rows in the source, %lld in the target",
			 copy_tables[t].name, (long long)res->source[t], (long long)res->target[t]);
		rc = ERR_INVALID;
	}
	return rc;
}

enum err store_copy(struct store *from, struct store *to, copy_progress_fn progress,
		    struct copy_result *res)
{
	memset(res, 0, sizeof *res);
	int64_t started = clock_mono_ms();
	from->errmsg[0] = to->errmsg[0] = '\0';
	if (from == to) {
		snprintf(res->errmsg, sizeof res->errmsg, "a store cannot be copied into itself");
		return ERR_INVALID;
	}
	enum err rc = from->ops->read_begin(from);
	if (rc != ERR_OK) {
		snprintf(res->errmsg, sizeof res->errmsg, "reading the source: %s", err_str(rc));
		return rc;
	}
	struct arena a;
	arena_init(&a, 0);
	/* the language the target's search index stems (the setting's
	 * default, English, when unset) */
	const char *lang = "";
	if (STORE_CALL(from, setting_get, &a, "language", &lang) != ERR_OK)
		lang = "";
	rc = STORE_CALL(from, change_last, &res->last_change, NULL);
	if (rc != ERR_OK)
		snprintf(res->errmsg, sizeof res->errmsg, "reading the source: %s", err_str(rc));
	if (rc == ERR_OK) {
		rc = to->ops->copy_begin(to);
		if (rc == ERR_CONFLICT)
			snprintf(res->errmsg, sizeof res->errmsg,
				 "the target is not empty (%s): refusing to write over a site",
				 to->errmsg);
		else if (rc != ERR_OK)
			snprintf(res->errmsg, sizeof res->errmsg, "writing the target: %s %s",
				 err_str(rc), to->errmsg);
	}
	if (rc == ERR_OK) {
		rc = copy_rows(from, to, lang, progress, res);
		enum err ended = STORE_CALL(to, copy_end, rc == ERR_OK);
		if (rc == ERR_OK && ended != ERR_OK) {
			rc = ended;
			snprintf(res->errmsg, sizeof res->errmsg, "committing the target: %s %s",
				 err_str(rc), to->errmsg);
		}
	}
	from->ops->read_end(from);
	arena_free(&a);
	res->seconds = (double)(clock_mono_ms() - started) / 1000.0;
	return rc;
}
