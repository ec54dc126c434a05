/* names.c - the stored / command-line names of the closed sets in store.h,
 * and the checks on values that both backends make. */
#include <string.h>

#include "store/store.h"

static const char *const post_status_names[POST_STATUS__MAX] = {
	[POST_DRAFT] = "draft",         [POST_PENDING] = "pending",
	[POST_SCHEDULED] = "scheduled", [POST_PUBLISHED] = "published",
	[POST_PRIVATE] = "private",     [POST_TRASH] = "trash",
};

static const char *const post_type_names[POST_TYPE__MAX] = {
	[POST_ARTICLE] = "post",
	[POST_PAGE] = "page",
};

static const char *const role_names[ROLE__MAX] = {
	[ROLE_ADMIN] = "admin",
	[ROLE_EDITOR] = "editor",
	[ROLE_AUTHOR] = "author",
	[ROLE_CONTRIBUTOR] = "contributor",
};

static const char *const comment_status_names[COMMENT_STATUS__MAX] = {
	[COMMENT_PENDING] = "pending",
	[COMMENT_APPROVED] = "approved",
	[COMMENT_SPAM] = "spam",
	[COMMENT_TRASH] = "trash",
};

static int lookup(const char *const *tab, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (tab[i] && strcmp(tab[i], s) == 0)
			return i;
	return -1;
}

const char *post_status_name(enum post_status s)
{
	return (unsigned)s < POST_STATUS__MAX ? post_status_names[s] : "draft";
}

bool post_status_parse(const char *s, enum post_status *out)
{
	int i = lookup(post_status_names, POST_STATUS__MAX, s);
	if (i < 0)
		return false;
	*out = (enum post_status)i;
	return true;
}

const char *post_type_name(enum post_type t)
{
	return (unsigned)t < POST_TYPE__MAX ? post_type_names[t] : "post";
}

const char *user_role_name(enum user_role r)
{
	return (unsigned)r < ROLE__MAX ? role_names[r] : "contributor";
}

bool user_role_parse(const char *s, enum user_role *out)
{
	int i = lookup(role_names, ROLE__MAX, s);
	if (i < 0)
		return false;
	*out = (enum user_role)i;
	return true;
}

const char *comment_status_name(enum comment_status s)
{
	return (unsigned)s < COMMENT_STATUS__MAX ? comment_status_names[s] : "pending";
}

const char *comment_learn_label(enum comment_status s, const char *learned)
{
	return s == COMMENT_APPROVED ? "ham" : s == COMMENT_SPAM ? "spam" : learned;
}

bool comment_status_parse(const char *s, enum comment_status *out)
{
	int i = lookup(comment_status_names, COMMENT_STATUS__MAX, s);
	if (i < 0)
		return false;
	*out = (enum comment_status)i;
	return true;
}

static const char *const menu_kind_names[MENU_KIND__MAX] = {"url", "post", "category"};

const char *menu_kind_name(enum menu_kind k)
{
	return (unsigned)k < MENU_KIND__MAX ? menu_kind_names[k] : "url";
}

bool menu_kind_parse(const char *s, enum menu_kind *out)
{
	int i = lookup(menu_kind_names, MENU_KIND__MAX, s);
	if (i < 0)
		return false;
	*out = (enum menu_kind)i;
	return true;
}

bool menu_well_formed(const struct menu_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (items[i].id <= 0 || (unsigned)items[i].kind >= MENU_KIND__MAX ||
		    items[i].parent_id == items[i].id)
			return false;
		bool parent_found = items[i].parent_id == 0;
		for (size_t k = 0; k < n; k++) {
			if (k != i && items[k].id == items[i].id)
				return false;
			if (items[k].id == items[i].parent_id)
				parent_found = true;
		}
		if (!parent_found)
			return false;
	}
	return true;
}
