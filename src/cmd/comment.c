/* comment.c - `gazette comment list|show|approve|unapprove|spam|trash|
 * restore|delete|train`: moderation from the command line, on the same code
 * (comment/comment.h) the back office uses. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "comment/comment.h"
#include "core/str.h"
#include "core/time.h"

/* The first line of the text, white space collapsed, at most max bytes
 * (cut on a UTF-8 boundary). */
static const char *excerpt(struct arena *a, const char *s, size_t max)
{
	char *out = arena_alloc(a, max + 4);
	if (!out)
		return "";
	size_t n = 0;
	bool space = false;
	for (; *s && n < max; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t' || ch < 0x20) {
			space = n > 0;
			continue;
		}
		if (space) {
			out[n++] = ' ';
			space = false;
			if (n >= max)
				break;
		}
		out[n++] = (char)ch;
	}
	if (*s) {
		while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
			n--;
		if (n > 0 && (unsigned char)out[n - 1] >= 0xC0)
			n--;
		memcpy(out + n, "\xE2\x80\xA6", 3);
		n += 3;
	}
	out[n] = '\0';
	return out;
}

static int list(struct cmd_ctx *c)
{
	static const struct option opts[] = {{"status", required_argument, 0, 's'},
					     {"post", required_argument, 0, 'p'},
					     {"email", required_argument, 0, 'e'},
					     {"ip", required_argument, 0, 'i'},
					     {"limit", required_argument, 0, 'l'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct comment_query q = {.limit = 50};
	optind = 1;
	opterr = 0;
	char **av = c->argv + 1;
	int ac = c->argc - 1, ch;
	while ((ch = getopt_long(ac, av, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (!comment_status_parse(optarg, &q.status))
				return cmd_usage_error(c, "--status: pending, approved, spam or trash");
			q.by_status = true;
			break;
		case 'p':
			if (!cmd_parse_id(c, optarg, &q.post_id))
				return 2;
			break;
		case 'e': q.email = optarg; break;
		case 'i': q.ip = optarg; break;
		case 'l':
			if (!str_to_i64(optarg, 0, 1000000, &q.limit))
				return cmd_usage_error(c, "--limit: a number (0 = all)");
			break;
		case 'h': return cmd_help(c);
		default: return cmd_usage_error(c, "bad option '%s'", av[optind - 1]);
		}
	}
	if (optind != ac)
		return cmd_usage_error(c, "list takes no arguments, only options");
	if (!cmd_open_site(c))
		return 1;
	struct comment *cs;
	size_t n;
	enum err rc = STORE_CALL(c->store, comment_list, &c->arena, &q, &cs, &n, NULL);
	if (rc != ERR_OK)
		return cmd_fail("cannot list comments: %s", err_str(rc));
	for (size_t i = 0; i < n; i++)
		printf("%lld\t%s\t%lld\t%s\t%s\n", (long long)cs[i].id,
		       comment_status_name(cs[i].status), (long long)cs[i].post_id,
		       excerpt(&c->arena, cs[i].author_name, 40),
		       excerpt(&c->arena, cs[i].body_md, 60));
	return 0;
}

static int show(struct cmd_ctx *c, int64_t id)
{
	struct comment cm;
	enum err rc = STORE_CALL(c->store, comment_get, &c->arena, id, &cm);
	if (rc == ERR_NOTFOUND)
		return cmd_fail("no comment %lld", (long long)id);
	if (rc != ERR_OK)
		return cmd_fail("cannot read comment %lld: %s", (long long)id, err_str(rc));
	printf("id: %lld\nstatus: %s\npost: %lld %s\nparent: %lld\nauthor: %s\nemail: %s\n"
	       "url: %s\nip: %s\nuser_agent: %s\ndate: %s\nnote: %s\nspam_score: %d\n\n%s\n",
	       (long long)cm.id, comment_status_name(cm.status), (long long)cm.post_id,
	       cm.post_title, (long long)cm.parent_id, cm.author_name, cm.author_email,
	       cm.author_url, cm.author_ip, cm.user_agent, time_iso(&c->arena, cm.created_at),
	       cm.note, cm.spam_score, cm.body_md);
	return 0;
}

int cmd_comment(struct cmd_ctx *c)
{
	if (c->argc < 2)
		return cmd_usage_error(c, "missing list, show, approve, unapprove, spam, trash, "
					  "restore, delete or train");
	const char *verb = c->argv[1];
	if (strcmp(verb, "--help") == 0)
		return cmd_help(c);
	if (strcmp(verb, "list") == 0)
		return list(c);
	if (strcmp(verb, "train") == 0) {
		if (c->argc != 2)
			return cmd_usage_error(c, "train takes no arguments");
		if (!cmd_open_site(c))
			return 1;
		int64_t ham = 0, spam = 0;
		enum err rc = comment_train(c->store, &ham, &spam);
		if (rc != ERR_OK)
			return cmd_fail("cannot train the spam filter: %s", err_str(rc));
		printf("learned %lld ham and %lld spam comments\n", (long long)ham,
		       (long long)spam);
		return 0;
	}
	enum comment_action act;
	bool is_show = strcmp(verb, "show") == 0;
	if (!is_show && !comment_action_parse(verb, &act))
		return cmd_usage_error(c, "unknown action '%s'", verb);
	if (c->argc < 3)
		return cmd_usage_error(c, "%s needs at least one comment ID", verb);
	int64_t *ids = ARENA_ARRAY(&c->arena, int64_t, (size_t)c->argc);
	if (!ids)
		return cmd_fail("out of memory");
	for (int i = 2; i < c->argc; i++)
		if (!cmd_parse_id(c, c->argv[i], &ids[i - 2]))
			return 2;
	if (!cmd_open_site(c))
		return 1;
	int status = 0;
	for (int i = 0; i < c->argc - 2; i++) {
		if (is_show) {
			if (i)
				printf("\n");
			status |= show(c, ids[i]);
			continue;
		}
		enum err rc = comment_moderate(c->store, &c->arena, ids[i], act);
		if (rc == ERR_NOTFOUND)
			status |= cmd_fail("no comment %lld", (long long)ids[i]);
		else if (rc != ERR_OK)
			status |= cmd_fail("cannot %s comment %lld: %s", verb, (long long)ids[i],
					   err_str(rc));
	}
	return status;
}
