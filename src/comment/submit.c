/* submit.c - taking a new comment: the form's checks, spam defence and the
 * moderation policy described in comment.h, then one store write. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "comment/comment.h"
#include "comment/spam.h"
#include "content/post.h"
#include "content/settings.h"
#include "core/str.h"
#include "render/markdown.h"

const char *const comment_field_names[CF__MAX] = {"name", "email", "url", "comment"};

#define NAME_MAX_BYTES 100
#define EMAIL_MAX_BYTES 254
#define URL_MAX_BYTES 300

bool comment_open(const struct settings_snapshot *set, const struct post *p, int64_t now)
{
	if (p->type != POST_ARTICLE || !p->comments_open || !post_is_public(p, now))
		return false;
	if (!settings_snap_int(set, "comments_open"))
		return false;
	int64_t days = settings_snap_int(set, "comments_close_days");
	return days <= 0 || now - p->published_at < days * 86400;
}

static bool has_controls(const char *s, bool allow_newlines)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (allow_newlines && (*p == '\n' || *p == '\r' || *p == '\t'))
			continue;
		if (*p < 0x20 || *p == 0x7F)
			return true;
	}
	return false;
}

/* A copy with leading/trailing white space removed ("" for NULL). */
static char *trimmed(struct arena *a, const char *s)
{
	if (!s)
		s = "";
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return arena_strndup(a, s, n);
}

static bool email_valid(const char *e)
{
	const char *at = strrchr(e, '@');
	if (!at || at == e || strchr(e, '@') != at)
		return false;
	for (const char *p = e; *p; p++)
		if (*p == ' ' || *p == '"' || *p == '<' || *p == '>' || *p == ',' || *p == ';' ||
		    *p == '\\')
			return false;
	const char *dom = at + 1, *dot = strrchr(dom, '.');
	if (!dot || dot == dom || !dot[1] || strstr(dom, ".."))
		return false;
	for (const char *p = dom; *p; p++) {
		char ch = *p;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || (unsigned char)ch >= 0x80))
			return false;
	}
	return true;
}

/* An http(s) URL with a plausible host; "example.org" gets "https://". */
static const char *website(struct arena *a, const char *u)
{
	if (!*u)
		return u;
	if (!strstr(u, "://"))
		u = arena_printf(a, "https://%s", u);
	if (!u)
		return NULL;
	const char *host;
	if (strncasecmp(u, "https://", 8) == 0)
		host = u + 8;
	else if (strncasecmp(u, "http://", 7) == 0)
		host = u + 7;
	else
		return NULL;
	size_t hn = strcspn(host, "/?#");
	if (hn == 0 || !memchr(host, '.', hn))
		return NULL;
	for (const char *p = u; *p; p++)
		if (*p == ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\'' || *p == '`' ||
		    *p == '\\')
			return NULL;
	for (size_t i = 0; i < hn; i++) {
		char ch = host[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == ':' ||
		      (unsigned char)ch >= 0x80))
			return NULL;
	}
	return u;
}

/* The /24 of an IPv4 address or the /64 of an IPv6 one, for subnet limits. */
static const char *subnet(struct arena *a, const char *ip)
{
	unsigned char b[16];
	char out[INET6_ADDRSTRLEN];
	if (!ip || !*ip)
		return "";
	if (inet_pton(AF_INET, ip, b) == 1) {
		b[3] = 0;
		if (!inet_ntop(AF_INET, b, out, sizeof out))
			return "";
		return arena_printf(a, "%s/24", out);
	}
	if (inet_pton(AF_INET6, ip, b) == 1) {
		memset(b + 8, 0, 8);
		if (!inet_ntop(AF_INET6, b, out, sizeof out))
			return "";
		return arena_printf(a, "%s/64", out);
	}
	return "";
}

static void refuse(struct comment_outcome *out, int status, const char *message)
{
	out->status = status;
	out->message = message;
}

/* The fields (comment.h). */
void comment_check_fields(struct arena *a, const struct comment_form *f, int64_t max_chars,
			  struct comment *c, struct comment_outcome *out)
{
	c->author_name = trimmed(a, f->name);
	c->author_email = trimmed(a, f->email);
	const char *url = trimmed(a, f->url);
	c->body_md = trimmed(a, f->body);
	if (!c->author_name || !c->author_email || !url || !c->body_md)
		return;
	if (!*c->author_name)
		out->errors[CF_NAME] = "Please give your name.";
	else if (strlen(c->author_name) > NAME_MAX_BYTES)
		out->errors[CF_NAME] = "Your name is too long (100 characters at most).";
	else if (has_controls(c->author_name, false))
		out->errors[CF_NAME] = "Your name contains control characters.";
	if (!*c->author_email)
		out->errors[CF_EMAIL] = "Please give your email address (it is never shown).";
	else if (strlen(c->author_email) > EMAIL_MAX_BYTES || !email_valid(c->author_email) ||
		 has_controls(c->author_email, false))
		out->errors[CF_EMAIL] = "Please give a valid email address, like name@example.org.";
	c->author_url = strlen(url) > URL_MAX_BYTES || has_controls(url, false) ? NULL
										: website(a, url);
	if (!c->author_url)
		out->errors[CF_URL] = "Your website must be an http:// or https:// address.";
	if (!*c->body_md) {
		out->errors[CF_BODY] = "Please write a comment.";
	} else if ((int64_t)strlen(c->body_md) > max_chars) {
		out->errors[CF_BODY] = arena_printf(
			a, "Your comment is too long: %lld bytes at most, please shorten it.",
			(long long)max_chars);
		out->status = 413;
		out->message = "Your comment is too long.";
	} else if (has_controls(c->body_md, true)) {
		out->errors[CF_BODY] = "Your comment contains control characters.";
	}
	for (int i = 0; i < CF__MAX; i++)
		if (out->errors[i] && !out->status) {
			out->status = 400;
			out->message = "Please correct the fields marked below.";
		}
}

/* CR LF and lone CR become LF, so the same text is the same text. */
static void normalise_newlines(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (*r == '\r') {
			*w++ = '\n';
			if (r[1] == '\n')
				r++;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

enum err comment_submit(const struct comment_env *env, const struct post *p,
			const struct comment_form *f, struct comment_outcome *out)
{
	struct arena *a = env->a;
	struct store *st = env->st;
	memset(out, 0, sizeof *out);
	struct settings_snapshot set;
	enum err rc = settings_load(st, a, &set);
	if (rc != ERR_OK)
		return rc;

	/* Clear abuse first: nothing a person does by mistake. */
	if (f->honeypot && *f->honeypot) {
		refuse(out, 400,
		       "Your comment was refused: the field marked \xE2\x80\x9CLeave this empty\xE2\x80\x9D "
		       "was filled in, as robots do.");
		return ERR_OK;
	}
	int64_t age = 0;
	switch (comment_token_check(env->key, f->token, p->id, env->now,
				    settings_snap_int(&set, "comments_token_max_age"), &age)) {
	case TOKEN_FORGED:
		refuse(out, 403, "This comment form is not valid for this article. Please send "
				 "your comment again from this page.");
		return ERR_OK;
	case TOKEN_EXPIRED:
		refuse(out, 403, "This comment form had expired. Your comment is kept below: "
				 "please send it again.");
		return ERR_OK;
	case TOKEN_OK:
		break;
	}
	if (!comment_open(&set, p, env->now)) {
		refuse(out, 403, "Comments are closed on this article.");
		return ERR_OK;
	}

	struct comment c = {.post_id = p->id, .author_ip = env->ip ? env->ip : "",
			    .user_agent = env->user_agent ? env->user_agent : "",
			    .created_at = env->now, .spam_score = -1};
	c.author_net = subnet(a, c.author_ip);
	comment_check_fields(a, f, settings_snap_int(&set, "comments_max_chars"), &c, out);
	if (a->failed)
		return ERR_NOMEM;
	if (out->status)
		return ERR_OK;
	normalise_newlines((char *)c.body_md);
	if (strlen(c.user_agent) > 300)
		c.user_agent = arena_strndup(a, c.user_agent, 300);

	const char *parent = f->parent ? f->parent : "";
	if (*parent && strcmp(parent, "0") != 0) {
		struct comment pc;
		if (!str_to_i64(parent, 1, INT64_MAX, &c.parent_id) ||
		    STORE_CALL(st, comment_get, a, c.parent_id, &pc) != ERR_OK ||
		    pc.post_id != p->id || pc.status != COMMENT_APPROVED) {
			refuse(out, 400, "The comment you are replying to is not available (it may "
					 "have been removed). Your comment is kept below.");
			return ERR_OK;
		}
	}

	int64_t window = settings_snap_int(&set, "comments_rate_window");
	struct comment_signals sig;
	rc = STORE_CALL(st, comment_signals, &c, env->now - window, &sig);
	if (rc != ERR_OK)
		return rc;
	if (sig.recent_by_ip >= settings_snap_int(&set, "comments_rate_ip") ||
	    sig.recent_by_net >= settings_snap_int(&set, "comments_rate_net")) {
		refuse(out, 429, arena_printf(a, "Too many comments from your network: please "
						 "wait %lld minutes and try again.",
					      (long long)((window + 59) / 60)));
		return ERR_OK;
	}
	if (sig.duplicate) {
		refuse(out, 409, "Duplicate comment: it looks as though you have already said that.");
		return ERR_OK;
	}

	int links = 0;
	char *html = NULL;
	rc = markdown_comment(a, c.body_md, &html, &links);
	if (rc != ERR_OK)
		return rc;
	c.body_html = html;

	/* The status: spam when sure; held on any soft signal; else live. */
	enum spam_verdict v;
	rc = spam_judge(st, a, &c, settings_snap_int(&set, "comments_spam_min"),
			(int)settings_snap_int(&set, "comments_spam_threshold"), &v, &c.spam_score);
	if (rc != ERR_OK)
		return rc;
	const char *why = NULL;
	if (v == SPAM_SPAM)
		why = "classifier";
	else if (settings_snap_int(&set, "comments_moderate_all"))
		why = "moderate all";
	else if (links > settings_snap_int(&set, "comments_max_links"))
		why = "links";
	else if (age < settings_snap_int(&set, "comments_min_seconds"))
		why = "too fast";
	else if (sig.approved_by_email == 0)
		why = "first comment";
	else if (v == SPAM_UNSURE)
		why = "classifier unsure";
	c.status = v == SPAM_SPAM ? COMMENT_SPAM : why ? COMMENT_PENDING : COMMENT_APPROVED;
	c.note = why ? why : "";

	rc = STORE_CALL(st, comment_add, &c, &out->id);
	if (rc == ERR_NOTFOUND) {
		refuse(out, 404, "This article is no longer available.");
		return ERR_OK;
	}
	if (rc == ERR_CONFLICT) {
		refuse(out, 409, "The comment you are replying to was just removed. Your comment "
				 "is kept below.");
		return ERR_OK;
	}
	if (rc != ERR_OK)
		return rc;
	out->stored = c.status;
	return ERR_OK;
}
