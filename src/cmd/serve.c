/* serve.c - `gazette serve`: run the site until SIGINT/SIGTERM.
 *
 * Besides the HTTP server, one background thread keeps the site current:
 * every change_poll_ms it publishes scheduled posts whose time has come and
 * follows the change log (writes from CLI commands in other processes, or
 * from other nodes: on PostgreSQL it also wakes as soon as one is
 * announced), so nothing depends on a request arriving. Pages are rendered from the
 * database on every request for now; the page cache will purge from the
 * same loop. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "content/settings.h"
#include "auth/secret.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "http/server.h"
#include "http/cache.h"
#include "media/image.h"
#include "site/purge.h"
#include "site/site.h"
#include "site/theme.h"
#include "view/snap.h"

/* The cache-key origin (base_url) as the server follows settings changes.
 * Readers load the pointer at any time, so old strings are kept until
 * shutdown rather than freed under them (a few per base_url change). */
struct origin {
	_Atomic(const char *) current;
	char *old[64];
	size_t nold;
};

struct watcher {
	struct store *st;
	struct cache *cache;
	struct origin *origin;
	unsigned poll_ms;
	atomic_bool stop;
	bool retry;
	_Atomic long long last_change;
	pthread_mutex_t mu; /* one follower at a time: the thread or a POST */
};

/* The running server's watcher, for request_end (one server per process). */
static _Atomic(struct watcher *) the_watcher;

static void origin_refresh(struct origin *o, struct store *st)
{
	struct arena a;
	arena_init(&a, 4096);
	const char *base = settings_get(st, &a, "base_url");
	const char *cur = atomic_load(&o->current);
	if (!str_eq(cur ? cur : "", base) && o->nold < 64) {
		char *fresh = *base ? strdup(base) : NULL;
		if (!*base || fresh) {
			atomic_store(&o->current, fresh);
			if (cur)
				o->old[o->nold++] = (char *)cur;
		}
	}
	arena_free(&a);
}

static void origin_free(struct origin *o)
{
	free((char *)atomic_load(&o->current));
	for (size_t i = 0; i < o->nold; i++)
		free(o->old[i]);
}

/* Read the change log past what we have seen and purge what each change
 * touches; changes_since returns at most a batch at a time. False when the
 * log could not be read (the caller tries again on the next tick). */
static bool follow_changes(struct watcher *w)
{
	for (;;) {
		struct arena a;
		arena_init(&a, 4 << 20);
		struct change *cs;
		size_t nc = 0, purged = 0;
		enum err rc = STORE_CALL(w->st, changes_since, &a, w->last_change, &cs, &nc);
		if (rc != ERR_OK) {
			arena_free(&a);
			return false;
		}
		if (nc) {
			for (size_t i = 0; i < nc; i++) {
				/* a new base_url changes the cache keys: the origin first,
				 * then the purge of everything */
				if (str_eq(cs[i].kind, "setting") && str_eq(cs[i].detail, "base_url"))
					origin_refresh(w->origin, w->st);
				purged += site_purge(w->st, w->cache, &cs[i]);
			}
			w->last_change = cs[nc - 1].id;
			log_info("picked up %zu change%s (last %lld), purged %zu cached page%s", nc,
				 nc == 1 ? "" : "s", (long long)w->last_change, purged,
				 purged == 1 ? "" : "s");
		}
		arena_free(&a);
		if (nc < 1000)
			return true;
	}
}

/* Until the next tick (poll_ms), in slices that notice the server
 * stopping; on PostgreSQL sooner, when any node announces a change
 * (LISTEN/NOTIFY). */
static void wait_tick(struct watcher *w)
{
	for (unsigned left = w->poll_ms; left && !atomic_load(&w->stop);) {
		unsigned slice = left < 250 ? left : 250;
		bool announced = false;
		if (!w->st->ops->wait_change ||
		    STORE_CALL(w->st, wait_change, slice, &announced) != ERR_OK) {
			struct timespec ts = {0, (long)slice * 1000000L};
			nanosleep(&ts, NULL);
		}
		if (announced)
			return;
		left -= slice;
	}
}

static void *watch(void *arg)
{
	struct watcher *w = arg;
	while (!atomic_load(&w->stop)) {
		size_t n = 0;
		if (STORE_CALL(w->st, post_publish_due, clock_now(), &n) == ERR_OK && n)
			log_info("published %zu scheduled post%s", n, n == 1 ? "" : "s");
		/* data_version says whether anyone wrote; a failed read of the
		 * log is retried on every tick until it succeeds. */
		bool changed = false;
		if (STORE_CALL(w->st, changed, &changed) != ERR_OK)
			changed = true;
		pthread_mutex_lock(&w->mu);
		if (changed || w->retry)
			w->retry = !follow_changes(w);
		pthread_mutex_unlock(&w->mu);
		wait_tick(w);
	}
	return NULL;
}

/* A GET renders from one read snapshot (and one set of SQLite locks). */
/* Public reads see one snapshot; the back office writes even on GETs
 * (session activity), so it reads the newest state instead. */
static bool snapshot(const struct req *r)
{
	return (r->method == HTTP_GET || r->method == HTTP_HEAD) &&
	       strncmp(r->path, "/admin/", 7) != 0;
}

static void request_begin(const struct app *app, const struct req *r)
{
	if (snapshot(r))
		app->store->ops->read_begin(app->store);
}

/* After a POST (which may have written), catch up with the change log
 * before the answer goes out: the page a redirect leads to, on this node,
 * already shows the change. Other nodes follow within a poll. */
static void request_end(const struct app *app, const struct req *r)
{
	if (snapshot(r))
		app->store->ops->read_end(app->store);
	snap_request_done();
	struct watcher *w = atomic_load(&the_watcher);
	if (r->method == HTTP_POST && w) {
		pthread_mutex_lock(&w->mu);
		if (!follow_changes(w))
			w->retry = true;
		pthread_mutex_unlock(&w->mu);
	}
}

int cmd_serve(struct cmd_ctx *c)
{
	static const struct option opts[] = {{"listen", required_argument, 0, 'l'},
					     {"threads", required_argument, 0, 't'},
					     {"theme", required_argument, 0, 'T'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	const char *listen = NULL, *theme_dir = NULL;
	int64_t threads = -1;
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(c->argc, c->argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'l': listen = optarg; break;
		case 'T': theme_dir = optarg; break;
		case 't':
			if (!str_to_i64(optarg, 1, 256, &threads))
				return cmd_usage_error(c, "--threads: a number from 1 to 256");
			break;
		case 'h': return cmd_help(c);
		default:
			return cmd_usage_error(c, "bad option '%s'", c->argv[optind - 1]);
		}
	}
	if (optind != c->argc)
		return cmd_usage_error(c, "unexpected argument '%s'", c->argv[optind]);
	if (!cmd_open_site(c) || !cmd_media_ready(c))
		return 1;
	if (listen)
		str_copy(c->config.listen, listen, sizeof c->config.listen);
	if (threads > 0)
		c->config.threads = (unsigned)threads;
	if (theme_dir)
		str_copy(c->config.theme_dir, theme_dir, sizeof c->config.theme_dir);

	char msg[512];
	/* The signing key; made on first use by sites that predate it. */
	static unsigned char secret[SECRET_BYTES];
	if (secret_load(c->config.secrets_path, true, secret, msg, sizeof msg) != ERR_OK)
		return cmd_fail("%s", msg);
	struct theme *theme = NULL;
	if (theme_load(&theme, c->config.theme_dir, msg, sizeof msg) != ERR_OK)
		return cmd_fail("%s", msg);
	struct theme *admin_theme = NULL;
	if (theme_load_admin(&admin_theme, msg, sizeof msg) != ERR_OK) {
		theme_free(theme);
		return cmd_fail("%s", msg);
	}

	/* Block the signals in every thread; this one waits for them. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	/* libvips (uploads) after the mask: its threads must not take signals */
	if (image_init(c->argv[0]) != ERR_OK) {
		theme_free(theme);
		theme_free(admin_theme);
		return cmd_fail("cannot start libvips");
	}
	signal(SIGPIPE, SIG_IGN);

	struct app app = {0};
	app.config = &c->config;
	app.store = c->store;
	app.theme = theme;
	app.admin_theme = admin_theme;
	app.secret = secret;
	app.routes = site_routes;
	app.nroutes = site_nroutes;
	app.error_page = site_error_page;
	app.request_begin = request_begin;
	app.request_end = request_end;

	/* The page cache; server.c supplies how its ready responses are freed. */
	if (c->config.cache_mb) {
		app.cache = cache_new((size_t)c->config.cache_mb << 20, server_free_native);
		if (!app.cache) {
			theme_free(theme);
			theme_free(admin_theme);
			return cmd_fail("cannot allocate the page cache");
		}
	}

	static struct origin origin;
	origin_refresh(&origin, c->store);
	app.cache_origin = &origin.current;
	static struct watcher w;
	w = (struct watcher){.st = c->store, .cache = app.cache, .origin = &origin,
			     .poll_ms = c->config.poll_ms ? c->config.poll_ms : 250};
	pthread_mutex_init(&w.mu, NULL);
	int64_t last = 0;
	STORE_CALL(c->store, change_last, &last, NULL);
	w.last_change = last;
	app.followed_change = &w.last_change;
	bool dummy;
	STORE_CALL(c->store, changed, &dummy);
	pthread_t wt;
	if (pthread_create(&wt, NULL, watch, &w) != 0) {
		cache_free(app.cache);
		origin_free(&origin);
		theme_free(theme);
		theme_free(admin_theme);
		return cmd_fail("cannot start the background thread");
	}

	atomic_store(&the_watcher, &w);
	struct server *srv = NULL;
	char bound[300];
	enum err rc = server_start(&srv, &app, bound, sizeof bound, msg, sizeof msg);
	if (rc != ERR_OK) {
		atomic_store(&w.stop, true);
		pthread_join(wt, NULL);
		cache_free(app.cache);
		origin_free(&origin);
		theme_free(theme);
		theme_free(admin_theme);
		return cmd_fail("%s", msg);
	}
	printf("Listening on http://%s/\n", bound);
	fflush(stdout);
	/* a URL's user and password stay out of the log */
	const char *db = c->config.db_path, *at = strchr(db, '@');
	if (config_is_url(db) && at)
		log_info("serving %s from %.*s//%s", c->site_dir, (int)(strchr(db, ':') - db + 1),
			 db, at + 1);
	else
		log_info("serving %s from %s", c->site_dir, db);

	int sig = 0;
	sigwait(&sigs, &sig);
	log_info("received %s, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
	server_stop(srv);
	atomic_store(&the_watcher, NULL);
	atomic_store(&w.stop, true);
	pthread_join(wt, NULL);
	cache_free(app.cache);
	origin_free(&origin);
	theme_free(theme);
	theme_free(admin_theme);
	image_shutdown();
	return 0;
}
