/* roles.h - what each back-office role may do. The one place the rules
 * live; every admin handler asks before it reads or writes.
 *   admin        everything: users, settings
 *   editor       all posts and pages, categories, tags, comments
 *   author       own posts, and may publish them
 *   contributor  own drafts only; submits them for review */
#ifndef GAZETTE_AUTH_ROLES_H
#define GAZETTE_AUTH_ROLES_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

enum capability {
	CAN_ENTER,           /* the back office at all */
	CAN_MODERATE,        /* comments */
	CAN_EDIT_OTHERS,     /* posts and pages of other users */
	CAN_PUBLISH,         /* publish, schedule, unpublish */
	CAN_MANAGE_TERMS,    /* categories and tags */
	CAN_MANAGE_USERS,
	CAN_MANAGE_SETTINGS,
	CAN__MAX
};

bool role_can(enum user_role role, enum capability cap);
/* May user u edit post p (own post, or others' with CAN_EDIT_OTHERS; a
 * contributor only while it is a draft or pending)? */
bool role_can_edit(const struct user *u, const struct post *p);

#endif
