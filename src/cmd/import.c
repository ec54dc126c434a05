/* import.c - `gazette import wordpress FILE.xml [--dry-run] [--media-dir
 * DIR] [--menu SLUG]`: bring in a WordPress export (src/import/), with a
 * progress bar on a terminal and a summary: one line per kind on stdout,
 * warnings on stderr. With --media-dir, libvips is started for the
 * attachments' images. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "import/import.h"
#include "media/image.h"

struct bar {
	bool tty;
	struct timespec start;
	double last;
};

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress(void *ud, uint64_t bytes, uint64_t total, int64_t items)
{
	struct bar *b = ud;
	if (!b->tty)
		return;
	double el = since(&b->start);
	if (el - b->last < 0.1 && bytes < total)
		return; /* at most ten redraws a second */
	b->last = el;
	double frac = total ? (double)bytes / (double)total : 0;
	if (frac > 1)
		frac = 1;
	int width = 30, filled = (int)(frac * width);
	double rate = el > 0 ? (double)items / el : 0;
	double eta = frac > 0 ? el * (1 - frac) / frac : 0;
	fprintf(stderr, "\rimporting [%.*s%*s] %3d%% %lld items %.0f/s ETA %d:%02d ", filled,
		"##############################", width - filled, "", (int)(frac * 100),
		(long long)items, rate, (int)eta / 60, (int)eta % 60);
	fflush(stderr);
}

static void summary(const struct import_result *res, bool dry, double el)
{
	printf("source\t%s\tWXR %s%s\n", res->source, *res->version ? res->version : "?",
	       dry ? "\tdry run: nothing written" : "");
	for (int k = 0; k < IMP_KIND__MAX; k++) {
		const struct import_count *n = &res->n[k];
		printf("%s\tcreated %lld\tupdated %lld\tunchanged %lld\tskipped %lld\n",
		       import_kind_name((enum import_kind)k), (long long)n->created,
		       (long long)n->updated, (long long)n->unchanged, (long long)n->skipped);
	}
	printf("attachments\tin the file %lld\tURLs in bodies pointed at the media library %lld\n",
	       (long long)res->attachments, (long long)res->media_urls);
	if (res->no_media_dir)
		printf("media dir\tnone: attachments not copied (give --media-dir a copy of "
		       "the old wp-content/uploads folder); their URLs still point at the old site\n");
	printf("menu\t%s\tmenu items in the file %lld%s%s\n", *res->menu ? res->menu : "none",
	       (long long)res->menu_items, *res->other_menus ? "\tother menus: " : "",
	       res->other_menus);
	printf("not imported\tother items %lld\n", (long long)res->other_types);
	if (res->multi_category)
		printf("several categories\t%lld articles (the first was kept)\n",
		       (long long)res->multi_category);
	const struct convert_report *cr = &res->convert;
	printf("shortcodes\tconverted %zu\tleft as text", cr->converted);
	for (size_t i = 0; i < cr->nunknown; i++)
		printf("%s [%s] x%zu", i ? "," : "", cr->unknown[i].name, cr->unknown[i].count);
	if (cr->other)
		printf(", %zu more", cr->other);
	if (!cr->nunknown)
		printf(" none");
	printf("\n");
	printf("sanitized\tunsafe elements removed %zu\tattributes removed %zu\n",
	       res->sanitize.dropped_elements, res->sanitize.dropped_attrs);
	printf("time\t%.2f s\t%lld items\t%.0f items/s\n", el, (long long)res->items,
	       el > 0 ? (double)res->items / el : 0.0);
	printf("warnings\t%zu\n", res->nwarnings);
	fflush(stdout);
	for (size_t i = 0; i < res->nwarnings && i < IMPORT_WARNINGS; i++)
		if (res->warnings[i])
			fprintf(stderr, "gazette: warning: %s\n", res->warnings[i]);
	if (res->nwarnings > IMPORT_WARNINGS)
		fprintf(stderr, "gazette: ... and %zu more warnings\n",
			res->nwarnings - IMPORT_WARNINGS);
}

int cmd_import(struct cmd_ctx *c)
{
	static const struct option opts[] = {{"dry-run", no_argument, 0, 'n'},
					     {"media-dir", required_argument, 0, 'm'},
					     {"menu", required_argument, 0, 'M'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	bool dry = false;
	const char *media_dir = NULL, *menu = NULL;
	int o;
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(c->argc, c->argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'n': dry = true; break;
		case 'm': media_dir = optarg; break;
		case 'M': menu = optarg; break;
		case 'h': return cmd_help(c);
		default: return cmd_usage_error(c, "bad option '%s'", c->argv[optind - 1]);
		}
	}
	if (optind != c->argc - 2)
		return cmd_usage_error(c, "expected: wordpress FILE.xml");
	if (strcmp(c->argv[optind], "wordpress") != 0)
		return cmd_usage_error(c, "unknown source '%s' (only: wordpress)", c->argv[optind]);
	const char *path = c->argv[optind + 1];
	if (access(path, R_OK) != 0)
		return cmd_fail("%s: cannot read the file", path);
	struct stat sb;
	if (media_dir && (stat(media_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		return cmd_fail("--media-dir %s: not a folder", media_dir);
	if (!cmd_open_site(c) || (media_dir && !dry && !cmd_media_ready(c)))
		return 1;
	if (media_dir && image_init(c->argv[0]) != ERR_OK)
		return cmd_fail("cannot start libvips");
	struct bar bar = {0};
	bar.tty = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &bar.start);
	struct import_opts io = {0};
	io.path = path;
	io.dry_run = dry;
	io.library_dir = c->config.media_dir;
	io.media_dir = media_dir;
	io.menu = menu;
	io.progress = progress;
	io.ud = &bar;
	struct import_result res;
	char msg[512];
	int line = 0;
	enum err rc = import_wordpress(c->store, &io, &res, msg, sizeof msg, &line);
	if (bar.tty && res.items)
		fputc('\n', stderr);
	if (rc != ERR_OK) {
		/* a bad file is found by the checking pass, before anything is written */
		bool checked = !res.wrote;
		if (line)
			cmd_fail("%s:%d: %s", path, line, msg);
		else
			cmd_fail("%s: %s", path, msg);
		if (checked)
			fprintf(stderr, "gazette: nothing was imported\n");
		else
			fprintf(stderr, "gazette: the import stopped part way; run it again to "
					"finish (it updates, never duplicates)\n");
		import_result_free(&res);
		if (media_dir)
			image_shutdown();
		return 1;
	}
	double el = since(&bar.start);
	summary(&res, dry, el);
	import_result_free(&res);
	if (media_dir)
		image_shutdown();
	return 0;
}
